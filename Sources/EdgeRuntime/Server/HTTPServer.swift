import Synchronization

/// The HTTP/1.1 server: one listener per event loop on a shared port, requests handed to a responder.
///
/// Keep-alive, `Content-Length` and chunked request bodies, streamed responses with
/// backpressure, header/body/idle/write timeouts and limits from ``ServerConfiguration``.
/// Malformed requests get a 4xx JSON error and the connection closes; the server keeps serving.
///
/// ```swift
/// let group = EventLoopGroup()
/// let server = HTTPServer(configuration: .init(), group: group) { request in .text("hi") }
/// try await server.start()
/// ```
public final class HTTPServer: Sendable {
    /// Produces the response for a request; it must not throw (the runtime maps errors to 500s).
    public typealias Responder = @Sendable (Request) async -> Response

    private let contexts: [ServerLoopContext]
    private let counters = ServerCounters()
    private let boundPort = LockedValue<Int?>(nil)
    private let draining = Atomic<Bool>(false)

    public convenience init(configuration: ServerConfiguration, group: EventLoopGroup, logger: Logger = Logger(label: "server"), responder: @escaping Responder) {
        self.init(configuration: configuration, group: group, logger: logger, requestIDs: RequestIDs(), responder: responder)
    }

    /// - Parameter requestIDs: shared with the worker's responder, so every response has one id sequence.
    init(configuration: ServerConfiguration, group: EventLoopGroup, logger: Logger, requestIDs: RequestIDs, responder: @escaping Responder) {
        let counters = self.counters
        contexts = group.loops.map {
            ServerLoopContext(
                loop: $0, configuration: configuration, responder: responder, logger: logger, counters: counters, requestIDs: requestIDs)
        }
    }

    /// Binds every loop's listener; after this returns, ``port`` is the bound port.
    /// - Throws: ``ServerError`` when the address can't be bound.
    public func start() async throws {
        var port = contexts[0].configuration.port
        for context in contexts {
            let requested = port
            port = try await context.loop.submit { try context.listen(port: requested) }
        }
        let bound = port
        boundPort.withLock { $0 = bound }
    }

    /// The port the server listens on (useful with port 0); `nil` before ``start()``.
    public var port: Int? { boundPort.withLock { $0 } }

    /// Whether ``drain(timeout:)`` has begun.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Open client connections across all loops.
    public var openConnections: Int { counters.openConnections }

    /// Reports draining (for `/readyz`) while still accepting connections.
    public func markDraining() {
        draining.store(true, ordering: .relaxed)
    }

    /// Stops accepting, closes idle connections and waits (up to `timeout`) for in-flight responses.
    /// Returns `true` when every connection finished within the timeout; the rest are then closed.
    @discardableResult
    public func drain(timeout: Duration) async -> Bool {
        draining.store(true, ordering: .relaxed)
        for context in contexts {
            context.loop.execute { context.beginDrain() }
        }
        let counters = self.counters
        let finished = await finishes(within: timeout) { await counters.waitUntilQuiet() }
        for context in contexts {
            _ = try? await context.loop.submit { context.closeAll() }
        }
        return finished
    }
}
