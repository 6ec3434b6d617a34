import Dispatch
import Synchronization

/// The commands of every namespace on one Redis server: a small pool of blocking connections,
/// a deadline per command, and a circuit breaker.
///
/// Each command waits at most its own timeout, queueing included: a hung server costs a caller
/// that long, never a queue of other callers' timeouts. After `failureThreshold` commands in a
/// row go unanswered, the breaker opens: commands fail at once with ``KVError/Code/unavailable``
/// (a cache read becomes a miss, a write is skipped, credentials come from their cache) and a
/// background `PING` every `probeInterval` closes it again when Redis answers. Each transition
/// is one log line; ``health`` reports the state for `/healthz/dependencies`.
public final class RedisClient: Sendable {
    public let url: RedisURL
    private let connections: [RedisConnection]
    private let probeConnection: RedisConnection
    private let next = Atomic<Int>(0)
    private let breaker: Mutex<CircuitBreaker>
    private let probeInterval: Duration
    private let clock: any WallClock
    private let logger: Logger

    /// - Parameters:
    ///   - connections: pool size; each connection runs one command at a time.
    ///   - failureThreshold: unanswered commands in a row that open the breaker.
    ///   - probeInterval: how often an open breaker asks whether Redis is back.
    public init(
        url: RedisURL, connections: Int = 4, failureThreshold: Int = 3, probeInterval: Duration = .seconds(1),
        clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "redis")
    ) {
        self.url = url
        self.connections = (0..<max(1, connections)).map { RedisConnection(url: url, label: "redis-\($0)") }
        probeConnection = RedisConnection(url: url, label: "redis-probe")
        breaker = Mutex(CircuitBreaker(failureThreshold: failureThreshold))
        self.probeInterval = probeInterval
        self.clock = clock
        self.logger = logger
    }

    /// Whether Redis answers, as the breaker sees it.
    public var health: DependencyHealth {
        guard let since = breaker.withLock({ $0.openSince }) else {
            return DependencyHealth(target: url.description, isUp: true)
        }
        return DependencyHealth(
            target: url.description, isUp: false, downSince: since, detail: "not answering; failing fast and probing")
    }

    /// Runs one command, failing after `timeout` (queueing included) or at once while the breaker is open.
    /// - Throws: ``KVError`` — `.unavailable` (breaker open), `.timeout`, `.backend` (connection or Redis error).
    func run(_ arguments: [[UInt8]], timeout: Duration) async throws(KVError) -> RedisConnection.Reply {
        if breaker.withLock({ $0.isOpen }) { throw unavailable }
        let connection = connections[next.wrappingAdd(1, ordering: .relaxed).oldValue % connections.count]
        let outcome: Result<RedisConnection.Reply, RedisCommandError> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            connection.queue.async { [self] in
                // The caller gave up or the breaker opened while this waited: don't send it.
                guard !once.isResumed else { return }
                if breaker.withLock({ $0.isOpen }) { return once.resume(.failure(.connection(unavailable))) }
                once.resume(
                    Result { () throws(RedisCommandError) in try connection.runBlocking(arguments, timeout: timeout) })
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatchInterval) {
                once.resume(
                    .failure(.connection(KVError(code: .timeout, message: "\(self.url): no answer within \(timeout)"))))
            }
        }
        switch outcome {
        case .success(let reply):
            record(success: true)
            return reply
        case .failure(.reply(let error)):
            record(success: true)  // Redis answered: it is up
            throw error
        case .failure(.connection(let error)):
            if error.code != .unavailable { record(success: false, reason: error) }
            throw error
        }
    }

    private var unavailable: KVError {
        KVError(code: .unavailable, message: "\(url) is not answering; failing fast until a probe succeeds")
    }

    private func record(success: Bool, reason: KVError? = nil) {
        let now = clock.now()
        guard let transition = breaker.withLock({ $0.record(success: success, now: now) }), transition == .opened else {
            return
        }
        logger.error(
            "\(url) is not answering (\(reason?.message ?? "failures")): failing fast, probing every \(probeInterval)")
        startProbing()
    }

    /// `PING`s until Redis answers, then closes the breaker. Runs only while the breaker is open.
    private func startProbing() {
        Task.detached { [weak self, probeInterval] in
            while true {
                try? await Task.sleep(for: probeInterval)
                guard let self else { return }
                let answered = await self.ping()
                let now = self.clock.now()
                if case .closed(let downFor)? = self.breaker.withLock({ $0.recordProbe(success: answered, now: now) }) {
                    self.logger.info("\(self.url) answers again after \(Int(downFor * 1000)) ms")
                    return
                }
                if !self.breaker.withLock({ $0.isOpen }) { return }
            }
        }
    }

    private func ping() async -> Bool {
        let connection = probeConnection
        let timeout = min(probeInterval, .milliseconds(500))
        return await withCheckedContinuation { continuation in
            connection.queue.async {
                let reply = try? connection.runBlocking([Array("PING".utf8)], timeout: timeout)
                continuation.resume(returning: reply != nil)
            }
        }
    }
}
