import Dispatch
import FoundationEssentials
import Glibc

/// Runs a ``Worker``: event loops, the HTTP server, background work and graceful drain.
///
/// ```swift
/// let runtime = Runtime(worker: MyWorker(), env: env, group: group, configuration: config)
/// try await runtime.run()   // serves; on SIGTERM/SIGINT drains, then returns
/// ```
///
/// Tests and embedders that stop the runtime themselves call ``start()`` and ``shutdown()``.
public final class Runtime: Sendable {
    public let server: HTTPServer
    /// The servers of the extra ``Listener``s, in the order given.
    public let listeners: [HTTPServer]
    public let background = BackgroundWork()
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let group: EventLoopGroup

    /// - Parameter readiness: an extra check of this instance's own ability to serve (`/readyz` is
    ///   503 when it fails), on top of "not draining" and "every loop answers within a second".
    ///   Never a shared dependency's health: that is `/healthz/dependencies`.
    /// - Parameter listeners: more ports, each served by its own worker with the same env, loops
    ///   and server settings (an admin API kept off the public port).
    public init(
        worker: any Worker, env: Env, group: EventLoopGroup, configuration: ServerConfiguration,
        logger: Logger = Logger(label: "runtime"),
        readiness: (@Sendable () async -> Bool)? = nil, listeners: [Listener] = []
    ) {
        self.configuration = configuration
        self.logger = logger
        self.group = group
        let background = self.background
        let ids = RequestIDs()
        let ready: @Sendable () async -> Bool = {
            guard await group.loopsAnswer(within: .seconds(1)) else { return false }
            return await readiness?() ?? true
        }
        func serve(_ worker: any Worker, _ configuration: ServerConfiguration) -> HTTPServer {
            // The server is created first so the responder can ask it whether it drains.
            let box = ServerBox()
            let responder = WorkerResponder(
                worker: worker, env: env, background: background, logger: logger,
                isDraining: { box.server?.isDraining ?? false }, readiness: ready, ids: ids)
            let server = HTTPServer(configuration: configuration, group: group, logger: logger, requestIDs: ids) {
                request in
                await responder.respond(to: request)
            }
            box.server = server
            return server
        }
        server = serve(worker, configuration)
        self.listeners = listeners.map { listener in
            var settings = configuration
            settings.host = listener.host
            settings.port = listener.port
            return serve(listener.worker, settings)
        }
    }

    /// A port besides the main one and the worker that serves it.
    public struct Listener: Sendable {
        public var host: String
        public var port: Int
        public var worker: any Worker

        public init(host: String, port: Int, worker: any Worker) {
            self.host = host
            self.port = port
            self.worker = worker
        }
    }

    /// Binds the server. - Throws: ``ServerError`` when the port can't be bound.
    public func start() async throws {
        try await server.start()
        logger.info(
            "listening on http://\(configuration.host):\(server.port ?? configuration.port) with \(configuration.threads) loop threads"
        )
        for listener in listeners {
            try await listener.start()
            logger.info("also listening on port \(listener.port ?? 0)")
        }
    }

    /// Serves until SIGTERM or SIGINT, then drains: stop accepting, finish in-flight requests and
    /// `waitUntil` work within the configured grace period.
    ///
    /// The signals are watched before the server listens, so one sent as soon as the server
    /// answers is never lost (see ``TerminationSignals``).
    /// - Parameter whenListening: runs once the server listens (e.g. to report ``HTTPServer/port``).
    /// - Throws: ``ServerError`` when the port can't be bound.
    public func run(whenListening: () -> Void = {}) async throws {
        let signals = await TerminationSignals.watch()
        try await start()
        whenListening()
        let signal = await signals.first()
        logger.info("received \(signal), draining (grace period \(configuration.drainTimeout))")
        let clean = await shutdown()
        logger.info(clean ? "drained cleanly" : "grace period over; closed remaining connections")
    }

    /// Drains the server and waits for background work; `true` if everything finished in time.
    @discardableResult
    public func shutdown() async -> Bool {
        let start = ContinuousClock.now
        let servers = [server] + listeners
        for server in servers { server.markDraining() }
        if configuration.drainDelay > .zero {
            try? await Task.sleep(for: min(configuration.drainDelay, configuration.drainTimeout))
        }
        let timeout = max(.zero, configuration.drainTimeout - (ContinuousClock.now - start))
        let connectionsDone = await withTaskGroup(of: Bool.self) { group in
            for server in servers { group.addTask { await server.drain(timeout: timeout) } }
            return await group.reduce(true) { $0 && $1 }
        }
        let remaining = configuration.drainTimeout - (ContinuousClock.now - start)
        let background = self.background
        let backgroundDone = await finishes(within: remaining) { await background.idle() }
        return connectionsDone && backgroundDone
    }
}

/// Lets the responder closure reach the server that is built with it.
private final class ServerBox: @unchecked Sendable {
    // @unchecked: written once in Runtime.init before the server starts, read-only afterwards.
    // Weak: the server's responder holds this box, so a strong reference back to the server was
    // a cycle that leaked every Runtime's server, loop contexts and worker (LeakSanitizer).
    weak var server: HTTPServer?
}

extension Runtime {
    /// Adds the runtime's own gauges to `registry`: open connections (every listener), pending
    /// background work and the process's resident memory.
    public func registerMetrics(_ registry: MetricsRegistry) {
        let servers = [server] + listeners
        registry.gauge("edge_open_connections", help: "Client connections open on every listener.") {
            Double(servers.reduce(0) { $0 + $1.openConnections })
        }
        registry.gauge("process_resident_memory_bytes", help: "Resident memory of the process.") {
            Double(Self.residentBytes())
        }
        let group = self.group
        group.startLagProbes()
        registry.gauge(
            "edge_event_loop_lag_seconds",
            help: "How late the busiest event loop ran a timer at its last probe (every 500 ms)."
        ) {
            let (seconds, attoseconds) = group.eventLoopLag().components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    /// From `/proc/self/statm` (pages resident × page size); 0 where there is none.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
