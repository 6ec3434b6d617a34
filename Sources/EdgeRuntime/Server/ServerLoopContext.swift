import CEvent
import FoundationEssentials
import Glibc

/// The server's state on one event loop: its listener and the connections it accepted.
///
/// - Important: confined to `loop`'s thread except for the `Sendable` lets and the shared counters.
final class ServerLoopContext: @unchecked Sendable {
    let loop: EventLoop
    let configuration: ServerConfiguration
    let responder: HTTPServer.Responder
    let logger: Logger
    let counters: ServerCounters
    let requestIDs: RequestIDs
    private var listener: OpaquePointer?
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var nextConnectionID = 0
    private(set) var isDraining = false

    init(
        loop: EventLoop, configuration: ServerConfiguration, responder: @escaping HTTPServer.Responder, logger: Logger,
        counters: ServerCounters,
        requestIDs: RequestIDs
    ) {
        self.requestIDs = requestIDs
        self.loop = loop
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.counters = counters
    }

    /// Binds and listens (SO_REUSEPORT, so every loop accepts on the same port); returns the bound port.
    func listen(port: Int) throws -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, configuration.host, &address.sin_addr) == 1 else {
            throw ServerError(code: .bindFailed, message: "not an IPv4 address: \(configuration.host)")
        }
        let pointer = Unmanaged.passUnretained(self).toOpaque()
        let flags = UInt32(LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC)
        let listener = withUnsafePointer(to: &address) { addressPointer in
            addressPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                evconnlistener_new_bind(
                    loop.base,
                    { _, fd, address, length, pointer in
                        Unmanaged<ServerLoopContext>.fromOpaque(pointer!).takeUnretainedValue().accept(fd, address)
                    },
                    pointer, flags, 1024, socketAddress, Int32(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard let listener else {
            throw ServerError(
                code: .bindFailed,
                message: "cannot listen on \(configuration.host):\(port): \(String(cString: strerror(errno)))")
        }
        self.listener = listener
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(evconnlistener_get_fd(listener), $0, &length)
            }
        }
        return Int(UInt16(bigEndian: bound.sin_port))
    }

    private func accept(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?) {
        if isDraining {
            Glibc.close(fd)
            return
        }
        nextConnectionID += 1
        let connection = HTTPConnection(
            fd: fd, remoteAddress: Self.describe(address), context: self, id: nextConnectionID)
        connections[ObjectIdentifier(connection)] = connection
        counters.connectionOpened()
        connection.start()
    }

    func connectionClosed(_ connection: HTTPConnection) {
        if connections.removeValue(forKey: ObjectIdentifier(connection)) != nil {
            counters.connectionClosed()
        }
    }

    /// Stops accepting and closes idle connections; busy ones close after their response.
    func beginDrain() {
        isDraining = true
        if let listener {
            evconnlistener_free(listener)
            self.listener = nil
        }
        for connection in Array(connections.values) { connection.beginDrain() }
    }

    /// Closes every connection now (after the grace period).
    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
        if let listener {
            evconnlistener_free(listener)
            self.listener = nil
        }
    }

    private static func describe(_ address: UnsafeMutablePointer<sockaddr>?) -> String? {
        guard let address, address.pointee.sa_family == sa_family_t(AF_INET) else { return nil }
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var addr = inet.pointee.sin_addr
            inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return text + ":\(UInt16(bigEndian: inet.pointee.sin_port))"
        }
    }
}

/// Connection counts across all loops, so drain knows when the server is quiet.
final class ServerCounters: Sendable {
    private let open = QuietWaiters()
    let trimmer: HeapTrimmer

    init(trimmer: HeapTrimmer = .shared) { self.trimmer = trimmer }

    var openConnections: Int { open.count }

    func connectionOpened() {
        open.increment()
        trimmer.connectionOpened()
    }

    func connectionClosed() {
        open.decrement()
        trimmer.connectionClosed()
    }

    /// Returns once no connection is open, or when the calling task is cancelled.
    func waitUntilQuiet() async { await open.waitForZero() }
}
