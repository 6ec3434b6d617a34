import CEvent
import FoundationEssentials
import Glibc

/// One client connection: reads and parses requests, runs the responder, writes responses.
///
/// - Important: confined to its loop's thread. libevent callbacks arrive there, and the
///   connection's task runs there because its executor preference is the loop. `@unchecked
///   Sendable` only so that task can hold it.
///
/// One task serves the connection's requests one after another, created with its first request
/// and ended by ``close()``: a keep-alive client's next request reuses the task and the memory
/// its allocator already holds, instead of a task created and destroyed per request.
final class HTTPConnection: ConnectionSocketDelegate, @unchecked Sendable {
    enum Phase {
        /// Between requests, waiting for the first byte of the next (idle timeout).
        case idle
        /// Reading a head (header timeout, from its first byte) or body (body timeout, per read).
        case reading
        /// The responder is running or the response is being written.
        case responding
        /// An error response is out; reading and discarding what the client still sends, so
        /// closing doesn't reset the connection before the client has read the error.
        case lingering
        case closed
    }

    private let context: ServerLoopContext
    private var socket: ConnectionSocket?
    private var timer: OpaquePointer?
    private var parser: HTTPRequestParser
    private var input: [UInt8] = []
    private var inputIndex = 0
    private(set) var phase = Phase.idle
    private var task: Task<Void, Never>?
    /// Parsed requests on their way to the task (the next is parsed once a response is out).
    private let requests = RequestHandoff<Exchange>()
    private var drainWaiter: CheckedContinuation<Void, any Error>?
    private var closeWhenFlushed = false
    private var lingerBeforeClose = false
    private var lingeredBytes = 0
    private var closeAfterResponse = false
    /// When the request being read must be complete (`requestTimeout` from its first byte).
    private var requestDeadline = ContinuousClock.Instant.now
    private var retained: Unmanaged<HTTPConnection>?
    let remoteAddress: String?
    let id: Int

    init(fd: Int32, remoteAddress: String?, context: ServerLoopContext, id: Int) {
        self.context = context
        self.remoteAddress = remoteAddress
        self.id = id
        let limits = HTTPRequestParser.Limits(
            maxHeaderBytes: context.configuration.maxHeaderBytes, maxBodyBytes: context.configuration.maxBodyBytes)
        parser = HTTPRequestParser(limits: limits)
        var one: Int32 = 1
        // evhttp-style servers stall ~40 ms on chunked replies under Nagle + delayed ACK (DESIGN §3).
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        evutil_make_socket_nonblocking(fd)
        socket = ConnectionSocket(fd: fd, base: context.loop.base)
        let pointer = Unmanaged.passUnretained(self).toOpaque()
        timer = event_new(
            context.loop.base, -1, 0,
            { _, _, pointer in
                Unmanaged<HTTPConnection>.fromOpaque(pointer!).takeUnretainedValue().timerFired()
            }, pointer)
    }

    /// Registers callbacks and starts reading; the connection keeps itself alive until closed.
    func start() {
        guard let socket else {
            close()
            return
        }
        retained = Unmanaged.passRetained(self)
        socket.delegate = self
        socket.resumeReading()
        arm(context.configuration.idleTimeout)
    }

    // MARK: reading

    func socketRead(_ bytes: UnsafeRawBufferPointer) {
        if phase == .lingering {
            lingeredBytes += bytes.count
            if lingeredBytes > Self.maxLingerBytes { close() }
            return
        }
        input.append(contentsOf: bytes)
        parseInput()
    }

    private func parseInput() {
        guard phase == .idle || phase == .reading else {
            // Pipelined bytes wait for the current response; stop reading if they pile up.
            if input.count - inputIndex > context.configuration.maxHeaderBytes + context.configuration.maxBodyBytes {
                socket?.pauseReading()
            }
            return
        }
        if inputIndex == input.count {
            return
        }
        let wasIdle = phase == .idle
        do {
            while true {
                switch try parser.parse(input, index: &inputIndex) {
                case .needMore:
                    compactInput()
                    let now = ContinuousClock.now
                    if wasIdle { requestDeadline = now + context.configuration.requestTimeout }
                    if wasIdle || parser.isReadingBody {
                        phase = .reading
                        // Header timeout counts from the request's first byte, body timeout per
                        // read, and neither outlasts the whole request's deadline.
                        let phaseLimit =
                            parser.isReadingBody
                            ? context.configuration.bodyTimeout : context.configuration.headerTimeout
                        arm(min(phaseLimit, max(.zero, requestDeadline - now)))
                    }
                    return
                case .head:
                    write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                case .request(let head, let body):
                    compactInput()
                    dispatch(head, body: body)
                    return
                }
            }
        } catch {
            fail(status: error.status, message: error.message)
        }
    }

    private func compactInput() {
        if inputIndex == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
            inputIndex = 0
        } else if inputIndex > 32 * 1024 {
            input.removeFirst(inputIndex)
            inputIndex = 0
        }
    }

    // MARK: responding

    /// One request and how its response is to be framed.
    private struct Exchange: Sendable {
        var request: Request
        var method: String
        var keepAlive: Bool
        var http10: Bool
        var offLoop: Bool
    }

    private func dispatch(_ head: HTTPRequestParser.Head, body: [UInt8]) {
        phase = .responding
        disarm()
        let host = head.headers["host"] ?? context.configuration.host
        let url = head.target.hasPrefix("/") ? "http://\(host)\(head.target)" : head.target
        var request = Request(
            method: HTTPMethod(rawValue: head.method), url: url, headers: head.headers, body: Body(bytes: body))
        request.remoteAddress = remoteAddress
        let exchange = Exchange(
            request: request, method: head.method, keepAlive: head.keepAlive, http10: head.versionMinor == 0,
            offLoop: body.count >= context.configuration.largeRequestBytes)
        requests.offer(exchange)
        if task == nil { startTask() }
    }

    /// The connection's task: each request in turn, until the connection closes.
    private func startTask() {
        task = Task(executorPreference: context.loop) { [self] in
            while let exchange = await requests.take() {
                let response: Response
                if exchange.offLoop {
                    response = await Self.respondOnPool(context.responder, exchange.request)
                } else {
                    response = await context.responder(exchange.request)
                }
                await send(response, method: exchange.method, keepAlive: exchange.keepAlive, http10: exchange.http10)
            }
        }
    }

    /// Megabytes of body mean megabytes of parsing: the handler runs in a child task on the
    /// global pool, so the loop's other connections are not held meanwhile; the connection's
    /// task waits on its loop and writes the response from there. A function of its own, so the
    /// task group's frame is not part of every connection task's frame.
    private static func respondOnPool(_ responder: @escaping HTTPServer.Responder, _ request: Request) async -> Response
    {
        await withTaskGroup(of: Response.self) { group in
            group.addTask(executorPreference: globalConcurrentExecutor) { await responder(request) }
            return await group.next()!  // the one child always returns
        }
    }

    private func send(_ response: Response, method: String, keepAlive: Bool, http10: Bool) async {
        guard phase == .responding else {
            response.body.cancelReader()
            return
        }
        let closing = !keepAlive || closeAfterResponse || context.isDraining
        if ResponseHead.hasNoBody(status: response.status, method: method) {
            response.body.cancelReader()
            write(
                ResponseHead.bytes(status: response.status, headers: response.headers, framing: .noBody, close: closing)
            )
            finishResponse(close: closing)
            return
        }
        if let bytes = response.body.knownBytes {
            var out = ResponseHead.bytes(
                status: response.status, headers: response.headers, framing: .length(bytes.count), close: closing)
            out.append(contentsOf: bytes)
            write(out)
            finishResponse(close: closing)
            return
        }
        let framing: ResponseHead.Framing = http10 ? .untilClose : .chunked
        write(
            ResponseHead.bytes(
                status: response.status, headers: response.headers, framing: framing, close: closing || http10))
        // The body writes through this output on this task: a writer body's closure runs here,
        // on the loop that owns the socket.
        let output = BodyOutput { [self] chunk in
            guard !chunk.isEmpty else { return }
            guard phase == .responding else { throw CancellationError() }
            if http10 {
                write(chunk)
            } else {
                var framed = Array(String(chunk.count, radix: 16).utf8)
                framed.append(contentsOf: [0x0D, 0x0A])
                framed.append(contentsOf: chunk)
                framed.append(contentsOf: [0x0D, 0x0A])
                write(framed)
            }
            try await waitForDrainIfNeeded()
        }
        do {
            try await response.body.write(to: output)
            if !http10 { write(Array("0\r\n\r\n".utf8)) }
            finishResponse(close: closing || http10)
        } catch {
            response.body.cancelReader()
            guard phase == .responding, !(error is CancellationError) else {
                close()  // the client is gone
                return
            }
            context.logger.error("connection \(id): response body failed after the head was sent: \(error)")
            // The head is out: the only honest signal left is an incomplete message. What was
            // already produced still goes out first (closing at once would drop it unsent).
            finishResponse(close: true)
        }
    }

    private func finishResponse(close shouldClose: Bool) {
        guard phase == .responding else { return }
        if shouldClose {
            closeWhenFlushed = true
            flushAndMaybeClose()
            return
        }
        phase = .idle
        arm(context.configuration.idleTimeout)
        socket?.resumeReading()
        parseInput()
    }

    private func write(_ bytes: [UInt8]) {
        socket?.write(bytes)
    }

    private func waitForDrainIfNeeded() async throws {
        guard let socket else { throw CancellationError() }
        guard socket.queuedBytes > context.configuration.writeHighWaterMark else { return }
        arm(context.configuration.writeTimeout)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            drainWaiter = continuation
        }
        disarm()
    }

    /// Output fully flushed.
    func socketFlushed() {
        if let waiter = drainWaiter {
            drainWaiter = nil
            waiter.resume()
        }
        flushAndMaybeClose()
    }

    private func flushAndMaybeClose() {
        guard closeWhenFlushed, phase != .lingering, let socket else { return }
        guard socket.queuedBytes == 0 else { return }
        guard lingerBeforeClose else { return close() }
        // RFC 9112 §9.6: half-close, then read and drop for a while before closing, so the
        // client's unread request bytes don't turn our close into a reset that eats the error.
        phase = .lingering
        socket.shutdownWrite()
        socket.resumeReading()
        arm(Self.lingerTime)
    }

    /// The error `code` of a response the server makes itself, so clients can tell them apart.
    static func errorCode(status: Int) -> String {
        switch status {
        case 408: "request_timeout"
        case 413: "request_too_large"
        case 414: "uri_too_long"
        case 431: "request_header_fields_too_large"
        case 501: "not_implemented"
        case 505: "http_version_not_supported"
        default: "bad_request"
        }
    }

    private static let lingerTime = Duration.seconds(2)
    private static let maxLingerBytes = 16 * 1024 * 1024

    /// Answers a malformed request with an OpenAI-style error and closes (RFC 9112 §9.6: no reuse after a framing error).
    private func fail(status: Int, message: String) {
        guard phase != .closed else { return }
        phase = .responding
        disarm()
        var body = Response.jsonError(
            status: status, message: message, type: "invalid_request_error", code: Self.errorCode(status: status))
        body.headers.add("x-request-id", context.requestIDs.next())
        var out = ResponseHead.bytes(
            status: status, headers: body.headers, framing: .length(body.body.knownBytes?.count ?? 0), close: true)
        out.append(contentsOf: body.body.knownBytes ?? [])
        write(out)
        socket?.pauseReading()
        arm(context.configuration.writeTimeout)
        lingerBeforeClose = true
        finishResponse(close: true)
    }

    // MARK: events, timers, drain

    func socketEnded() {
        // EOF or a socket error: the client is gone.
        close()
    }

    private func timerFired() {
        switch phase {
        case .reading:
            fail(status: 408, message: "request was not received in time")
        case .idle, .responding, .lingering, .closed:
            close()
        }
    }

    private func arm(_ duration: Duration) {
        guard let timer else { return }
        var tv = duration.timevalue
        event_add(timer, &tv)
    }

    private func disarm() {
        if let timer { event_del(timer) }
    }

    /// Drain: close now when idle or still reading a head (no request has been accepted yet),
    /// otherwise after the response in flight. A body being read is let finish, within
    /// `requestTimeout`.
    func beginDrain() {
        closeAfterResponse = true
        switch phase {
        case .idle, .lingering: close()
        case .reading where !parser.isReadingBody: close()
        case .reading, .responding, .closed: break
        }
    }

    /// Closes the socket, cancels the connection's task, and wakes anything waiting on this connection.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        if let timer {
            event_free(timer)
            self.timer = nil
        }
        if let socket {
            socket.close()
            self.socket = nil
        }
        task?.cancel()
        task = nil
        requests.finish()
        if let waiter = drainWaiter {
            drainWaiter = nil
            waiter.resume(throwing: CancellationError())
        }
        context.connectionClosed(self)
        retained?.release()
        retained = nil
    }
}
