import Dispatch

/// The commands of every namespace on one Redis server: one pipelined hiredis async connection
/// per event loop, a deadline per command, and a circuit breaker.
///
/// A command runs on the loop of the task that sends it (or the next loop), so a request
/// handler's Redis round trip needs no thread hop. Each command waits at most its own timeout:
/// a hung server costs a caller that long. After `failureThreshold` commands in a row go
/// unanswered, the breaker opens: commands fail at once with ``KVError/Code/unavailable`` (a
/// cache read becomes a miss, a write is skipped, credentials come from their cache) and a
/// background `PING` every `probeInterval` closes it again when Redis answers. Each transition
/// is one log line; ``health`` reports the state for `/healthz/dependencies`.
public final class RedisClient: Sendable {
    public let url: RedisURL
    private let group: EventLoopGroup
    private let connections: [ObjectIdentifier: RedisConnection]
    private let breaker: LockedValue<CircuitBreaker>
    private let probeInterval: Duration
    private let clock: any WallClock
    private let logger: Logger
    /// SHA1s of the ``RedisScript``s loaded, by name (shared by every namespace on this client).
    let loadedScripts = LockedValue<[String: [UInt8]]>([:])

    /// - Parameters:
    ///   - group: the loops the connections live on (the server's, so handlers need no hop).
    ///   - failureThreshold: unanswered commands in a row that open the breaker.
    ///   - probeInterval: how often an open breaker asks whether Redis is back.
    public init(
        url: RedisURL, group: EventLoopGroup, failureThreshold: Int = 3, probeInterval: Duration = .seconds(1),
        clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "redis")
    ) {
        self.url = url
        self.group = group
        connections = Dictionary(
            uniqueKeysWithValues: group.loops.map { (ObjectIdentifier($0), RedisConnection(url: url, loop: $0)) })
        breaker = LockedValue(CircuitBreaker(failureThreshold: failureThreshold))
        self.probeInterval = probeInterval
        self.clock = clock
        self.logger = logger
    }

    deinit {
        // Each connection is confined to its loop: it is closed, and released, there.
        for connection in connections.values {
            connection.loop.execute { connection.close() }
        }
    }

    /// Whether Redis answers, as the breaker sees it.
    public var health: DependencyHealth {
        guard let since = breaker.withLock({ $0.openSince }) else {
            return DependencyHealth(target: url.description, isUp: true)
        }
        return DependencyHealth(
            target: url.description, isUp: false, downSince: since, detail: "not answering; failing fast and probing")
    }

    /// Runs one command, failing after `timeout` or at once while the breaker is open.
    /// - Throws: ``KVError`` — `.unavailable` (breaker open), `.timeout`, `.backend` (connection or Redis error).
    func run(_ arguments: [[UInt8]], timeout: Duration) async throws(KVError) -> RedisReply {
        if breaker.withLock({ $0.isOpen }) { throw unavailable }
        switch await send(arguments, timeout: timeout) {
        case .success(let reply):
            record(success: true)
            return reply
        case .failure(.reply(let error)):
            record(success: true)  // Redis answered: it is up
            throw error
        case .failure(.connection(let error)):
            record(success: false, reason: error)
            throw error
        }
    }

    private func send(_ arguments: [[UInt8]], timeout: Duration) async -> Result<RedisReply, RedisCommandError> {
        let loop = group.next()
        guard let connection = connections[ObjectIdentifier(loop)] else {
            preconditionFailure("every loop of the group has a Redis connection")
        }
        return await withCheckedContinuation { continuation in
            let send: @Sendable () -> Void = {
                connection.send(arguments, timeout: timeout) { continuation.resume(returning: $0) }
            }
            // On the connection's loop already (a request handler): send now, no hop.
            if loop.inEventLoop { send() } else { loop.execute(send) }
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
                let timeout = min(probeInterval, .milliseconds(500))
                let answered =
                    if case .success = await self.send([Array("PING".utf8)], timeout: timeout) { true } else { false }
                let now = self.clock.now()
                if case .closed(let downFor)? = self.breaker.withLock({ $0.recordProbe(success: answered, now: now) }) {
                    self.logger.info("\(self.url) answers again after \(Int(downFor * 1000)) ms")
                    return
                }
                if !self.breaker.withLock({ $0.isOpen }) { return }
            }
        }
    }
}
