import EdgeRuntime
import Synchronization

/// A runtime serving a worker on a free loopback port, for live tests.
final class ServerHarness: Sendable {
    let group: EventLoopGroup
    let runtime: Runtime
    let port: Int

    private init(group: EventLoopGroup, runtime: Runtime, port: Int) {
        self.group = group
        self.runtime = runtime
        self.port = port
    }

    static func start(
        threads: Int = 1, env: Env = Env(fetcher: UnusedFetchClient()),
        configure: (inout ServerConfiguration) -> Void = { _ in },
        readiness: (@Sendable () async -> Bool)? = nil,
        worker: @escaping @Sendable (Request, Env, ExecutionContext) async throws -> Response
    ) async throws -> ServerHarness {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = threads
        configure(&configuration)
        let group = EventLoopGroup(threadCount: threads, name: "test-loop")
        let runtime = Runtime(
            worker: ClosureWorker(worker), env: env, group: group, configuration: configuration,
            logger: Logger(label: "test", level: .error), readiness: readiness)
        try await runtime.start()
        return ServerHarness(group: group, runtime: runtime, port: runtime.server.port!)
    }

    func client() throws -> RawClient { try RawClient(port: port) }

    func stop() async {
        await runtime.shutdown()
        group.shutdown()
    }
}

/// For tests whose worker never calls upstream.
struct UnusedFetchClient: FetchClient {
    func fetch(_ request: Request) async throws -> Response {
        Response.text("fetch is not available in this test", status: 501)
    }
}

/// A one-shot signal between a test and a worker.
final class Gate: Sendable {
    private let state = LockedValue<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// Polls `condition` every 10 ms for up to `seconds`; for effects that happen on another thread.
func eventually(within seconds: Double = 5, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A counter shared between a test and the tasks it starts.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    var value: Int { storage.load(ordering: .relaxed) }
    func add(_ amount: Int = 1) { storage.add(amount, ordering: .relaxed) }
}
