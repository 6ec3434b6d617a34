import CCurl
import CEvent
import Glibc

/// One upstream request on a curl easy handle: head delivered to `fetch`'s continuation as soon
/// as it is complete, body chunks pushed into a bounded ``Body`` stream.
///
/// Backpressure: when the body buffer is full the write callback returns `CURL_WRITEFUNC_PAUSE`
/// and the reader's demand unpauses the transfer. Idle timeout: our own timer, reset by every
/// byte received and stopped while paused, so a slow reader never looks like a silent upstream.
///
/// The easy handle is borrowed from its multi's pool when the transfer begins and given back,
/// reset, when it ends: no `curl_easy_init` and cleanup per request.
///
/// - Important: confined to its multi's loop thread after creation.
final class CurlTransfer: @unchecked Sendable {
    private enum State {
        case created
        case waitingForHead(CheckedContinuation<Response, any Error>)
        case streaming
        case done
    }

    /// Set while the transfer runs (from ``begin(_:)`` to its end).
    private(set) var easy: UnsafeMutableRawPointer?
    private let multi: CurlMulti
    private let request: Request
    private let requestBody: [UInt8]
    private let configuration: FetchConfiguration
    private var state = State.created
    private var cancelled = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The parsed URL curl reads while the transfer runs (`CURLOPT_CURLU`).
    private var parsedURL: CurlURL?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var status = 0
    private var headers = Headers()
    /// Handed over with the head and not kept: the transfer must not keep its own body's reader alive.
    private var body: Body?
    private let writer: BodyWriter
    private var paused = false
    private var idleTimer: OpaquePointer?
    private let idleTimeout: Duration
    /// The timer is armed once and moved only when it fires: a callback notes the time instead
    /// of re-adding the event (a header line or chunk is a clock read, not a timer-heap update).
    private var idleTimerArmed = false
    private var lastActivity = ContinuousClock.now
    private var timedOut = false
    private var retained: Unmanaged<CurlTransfer>?

    init(request: Request, body requestBody: [UInt8], configuration: FetchConfiguration, multi: CurlMulti) {
        self.multi = multi
        self.request = request
        self.requestBody = requestBody
        self.configuration = configuration
        idleTimeout = configuration.idleTimeout
        (body, writer) = Body.makeStream(bufferLimit: configuration.responseBufferBytes)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        // The easy handle went back to the pool when the transfer ended; one that never ended
        // (dropped mid-way) is not reused.
        if let easy { curl_easy_cleanup(easy) }
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
        if let idleTimer { event_free(idleTimer) }
    }

    private func configure(
        _ easy: UnsafeMutableRawPointer, _ request: Request, body: [UInt8], configuration: FetchConfiguration
    ) throws(FetchError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_URL, request.url), "CURLOPT_URL")
        // The URL above is still set: curl reports it, and prints nothing back from the handle.
        if let parsed = multi.parsedURL(request.url) {
            parsedURL = parsed
            try CurlError.check(
                CCurl_easy_setopt_ptr(easy, CURLOPT_CURLU, UnsafeRawPointer(parsed.handle)), "CURLOPT_CURLU")
        }
        try CurlError.check(CCurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        // HTTP/1.1 even over TLS: libcurl has reports of HTTP/2 transfers stalling after a pause
        // (curl/curl#9180, #11982), and pausing is how we apply backpressure.
        try CurlError.check(
            CCurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1), "CURLOPT_HTTP_VERSION")
        try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        let (connectSeconds, connectAtto) = configuration.connectTimeout.components
        try CurlError.check(
            CCurl_easy_setopt_long(
                easy, CURLOPT_CONNECTTIMEOUT_MS, Int(connectSeconds) * 1000 + Int(connectAtto / 1_000_000_000_000_000)),
            "CURLOPT_CONNECTTIMEOUT_MS")
        if let caBundle = configuration.caBundlePath {
            try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_CAINFO, caBundle), "CURLOPT_CAINFO")
        }
        if !Self.environmentNamesAProxy {
            // What curl would find in the environment, without its five getenv calls per transfer.
            try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
        }
        switch request.method {
        case .get: try CurlError.check(CCurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
        case .head: try CurlError.check(CCurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY")
        case .post: try CurlError.check(CCurl_easy_setopt_long(easy, CURLOPT_POST, 1), "CURLOPT_POST")
        default:
            try CurlError.check(
                CCurl_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "CURLOPT_CUSTOMREQUEST")
        }
        if !body.isEmpty || request.method == .post {
            try CurlError.check(
                CCurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                "CURLOPT_POSTFIELDSIZE_LARGE")
            // COPYPOSTFIELDS copies: the Swift array need not outlive this call.
            let code = body.withUnsafeBytes { raw in
                CCurl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
            }
            try CurlError.check(code, "CURLOPT_COPYPOSTFIELDS")
        }
        // Each line written as bytes into one reused buffer (curl copies it).
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for field in request.headers where !field.hasName(in: Self.fieldsCurlSets) {
            guard !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { continue }
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: field.name.utf8)
            line.append(UInt8(ascii: ":"))
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: field.value.utf8)
            line.append(0)
            headerList = line.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { curl_slist_append(headerList, $0.baseAddress) }
            }
        }
        // No `Expect: 100-continue` round trip: upstreams answer promptly and the body is small.
        headerList = curl_slist_append(headerList, "Expect:")
        try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        try CurlError.check(
            CCurl_easy_setopt_header(easy) { data, size, count, context in
                Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().headerLine(data!, size * count)
            }, "CURLOPT_HEADERFUNCTION")
        try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try CurlError.check(
            CCurl_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().bodyBytes(data!, size * count)
            }, "CURLOPT_WRITEFUNCTION")
        try CurlError.check(CCurl_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
    }

    // MARK: lifecycle (loop thread)

    /// Adds the transfer to its multi; the continuation gets the head or an error.
    func begin(_ continuation: CheckedContinuation<Response, any Error>) {
        guard !cancelled else {
            state = .done
            continuation.resume(throwing: CancellationError())
            return
        }
        guard let easy = multi.takeEasyHandle() else {
            state = .done
            continuation.resume(throwing: FetchError(code: .other, message: "curl_easy_init failed"))
            return
        }
        self.easy = easy
        do {
            try configure(easy, request, body: requestBody, configuration: configuration)
        } catch {
            state = .done
            releaseEasyHandle()
            continuation.resume(throwing: error)
            return
        }
        state = .waitingForHead(continuation)
        retained = Unmanaged.passRetained(self)
        let context = Unmanaged.passUnretained(self).toOpaque()
        idleTimer = event_new(
            multi.loop.base, -1, 0,
            { _, _, context in
                Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().idleTimerFired()
            }, context)
        armIdleTimer()
        let code = multi.add(self)
        if code != CURLM_OK {
            finish(
                with: FetchError(
                    code: .other, message: "curl_multi_add_handle: \(String(cString: curl_multi_strerror(code)))"))
        } else {
            // Start now rather than on the 0 ms timer curl just asked for: that timer costs a
            // loop turn (an extra epoll_wait) before the request goes out.
            multi.kick()
        }
        // When the reader goes away, stop the transfer (from the loop thread).
        let loop = multi.loop
        writer.onCancel { [weak self] in
            loop.execute { [weak self] in self?.cancel() }
        }
    }

    /// The caller gave up (task cancelled, or the body's reader went away).
    func cancel() {
        cancelled = true
        switch state {
        case .created, .done: return
        case .waitingForHead, .streaming:
            multi.remove(self)
            finish(with: CancellationError())
        }
    }

    /// curl finished the transfer (loop thread, from the multi).
    func finished(_ result: CURLcode) {
        if result == CURLE_OK && !timedOut {
            // A head that never completed (e.g. a bare HTTP/1.0 reply) is completed now.
            if case .waitingForHead = state { deliverHead() }
            finish(with: nil)
            return
        }
        let detail = String(cString: errorBuffer)
        let headDelivered: Bool = if case .streaming = state { true } else { false }
        let error =
            timedOut
            ? FetchError(code: .timedOut, message: "no data from upstream for \(idleTimeout)")
            : CurlError.fetchError(result, detail: detail, headDelivered: headDelivered)
        finish(with: error)
    }

    private func finish(with error: (any Error)?) {
        disarmIdleTimer()
        switch state {
        case .waitingForHead(let continuation):
            continuation.resume(
                throwing: error ?? FetchError(code: .other, message: "transfer ended without a response"))
        case .streaming:
            writer.finish(throwing: error)
        case .created, .done:
            break
        }
        state = .done
        releaseEasyHandle()
        retained?.release()
        retained = nil
    }

    /// Gives the easy handle back to the pool; it is out of the multi by now (finished transfers
    /// are removed before ``finished(_:)``, cancelled ones by ``cancel()``).
    private func releaseEasyHandle() {
        guard let easy else { return }
        self.easy = nil
        multi.returnEasyHandle(easy)
        parsedURL = nil
    }

    // MARK: curl callbacks (loop thread)

    private func headerLine(_ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int {
        armIdleTimer()
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = bytes[..<end]
        if line.isEmpty {
            if status >= 200, case .waitingForHead = state { deliverHead() }
        } else if line.starts(with: Self.httpPrefix) {
            // A new status line (after a 1xx, or a redirect we don't follow) starts a new head.
            let afterVersion = line.drop { $0 != 0x20 }.drop { $0 == 0x20 }
            status = afterVersion.prefix { $0 >= 0x30 && $0 <= 0x39 }.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            headers = Headers()
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = line[..<colon]
            var value = line[(colon + 1)...]
            while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
            while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
            headers.add(
                nameBytes: UnsafeRawBufferPointer(rebasing: name), valueBytes: UnsafeRawBufferPointer(rebasing: value))
        }
        return length
    }

    private static let httpPrefix = Array("HTTP/".utf8)
    /// Whether the process was started with a proxy variable curl reads (`https_proxy`,
    /// `no_proxy`, …): then curl looks them up per transfer as usual; if not, none is set.
    private static let environmentNamesAProxy = [
        "http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
    ].contains { (name: String) in getenv(name) != nil }
    /// Fields curl writes itself from the request's framing.
    private static let fieldsCurlSets = ["host", "content-length", "transfer-encoding", "connection", "expect"]

    private func deliverHead() {
        guard case .waitingForHead(let continuation) = state else { return }
        state = .streaming
        let body = self.body ?? .empty
        self.body = nil
        continuation.resume(returning: Response(status: status, headers: headers, body: body))
    }

    private func bodyBytes(_ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int {
        if case .waitingForHead = state { deliverHead() }
        guard case .streaming = state else { return 0 }
        armIdleTimer()
        let chunk = Array(UnsafeRawBufferPointer(start: data, count: length))
        do {
            let loop = multi.loop
            let accepted = try writer.tryWrite(chunk) { [weak self] in
                loop.execute { [weak self] in self?.resume() }
            }
            if accepted { return length }
            paused = true
            disarmIdleTimer()
            return Int(CURL_WRITEFUNC_PAUSE)
        } catch {
            return 0  // the reader is gone: abort (CURLE_WRITE_ERROR)
        }
    }

    private func resume() {
        guard paused, case .streaming = state else { return }
        paused = false
        armIdleTimer()
        // May call the write callback at once with the data curl kept while paused.
        guard let easy else { return }
        curl_easy_pause(easy, CURLPAUSE_CONT)
        multi.kick()
    }

    /// Data moved: the idle timeout counts from now.
    private func armIdleTimer() {
        guard let idleTimer, !paused else { return }
        lastActivity = .now
        guard !idleTimerArmed else { return }
        idleTimerArmed = true
        var tv = idleTimeout.timevalue
        event_add(idleTimer, &tv)
    }

    private func disarmIdleTimer() {
        guard let idleTimer else { return }
        event_del(idleTimer)
        idleTimerArmed = false
    }

    private func idleTimerFired() {
        idleTimerArmed = false
        guard !paused, let idleTimer else { return }
        let quiet = ContinuousClock.now - lastActivity
        if quiet < idleTimeout {
            // Data came since the timer was set: wait for the rest of the timeout from then.
            idleTimerArmed = true
            var tv = (idleTimeout - quiet).timevalue
            event_add(idleTimer, &tv)
            return
        }
        switch state {
        case .waitingForHead, .streaming:
            timedOut = true
            multi.remove(self)
            finished(CURLE_OPERATION_TIMEDOUT)
        case .created, .done:
            break
        }
    }
}
