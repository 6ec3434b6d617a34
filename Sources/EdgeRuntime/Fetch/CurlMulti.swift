import CCurl
import CEvent
import Glibc

/// One libcurl multi handle driven by one event loop (`curl_multi_socket_action`).
///
/// curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to call back
/// (CURLMOPT_TIMERFUNCTION); libevent watches and calls `socket_action`. Transfers to the same
/// host reuse connections from this handle's cache.
///
/// - Important: confined to `loop`'s thread after init; `@unchecked Sendable` so the client
///   can hand it to the loop.
final class CurlMulti: @unchecked Sendable {
    let loop: EventLoop
    private let multi: UnsafeMutableRawPointer
    private var timer: OpaquePointer?
    private var socketEvents: [curl_socket_t: OpaquePointer] = [:]
    private var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Easy handles of ended transfers, reset and ready for the next (at most `maxIdleEasyHandles`).
    private var idleEasyHandles: [UnsafeMutableRawPointer] = []
    private static let maxIdleEasyHandles = 256
    /// Request URLs parsed once: an upstream's calls go to a handful of URLs.
    private var parsedURLs: [String: CurlURL] = [:]
    private static let maxParsedURLs = 256

    init(loop: EventLoop) {
        CurlGlobal.once()
        guard let multi = curl_multi_init() else { preconditionFailure("curl_multi_init failed: out of memory") }
        self.multi = multi
        self.loop = loop
        let context = Unmanaged.passUnretained(self).toOpaque()
        timer = event_new(
            loop.base, -1, 0,
            { _, _, context in
                Unmanaged<CurlMulti>.fromOpaque(context!).takeUnretainedValue().timerFired()
            }, context)
        _ = CCurl_multi_setopt_socketfn(multi) { _, socket, what, context, _ in
            Unmanaged<CurlMulti>.fromOpaque(context!).takeUnretainedValue().watch(socket, what: what)
            return 0
        }
        _ = CCurl_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, context)
        _ = CCurl_multi_setopt_timerfn(multi) { _, milliseconds, context in
            Unmanaged<CurlMulti>.fromOpaque(context!).takeUnretainedValue().schedule(milliseconds)
            return 0
        }
        _ = CCurl_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, context)
        // Keep idle upstream connections for reuse. The default cache shrinks with the number of
        // transfers in flight, so under load curl closed and reopened connections per request.
        // - SeeAlso: https://curl.se/libcurl/c/CURLMOPT_MAXCONNECTS.html
        _ = CCurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 1024)
    }

    deinit {
        for easy in idleEasyHandles { curl_easy_cleanup(easy) }
        for event in socketEvents.values { event_free(event) }
        if let timer { event_free(timer) }
        curl_multi_cleanup(multi)
    }

    /// An easy handle for a new transfer: a pooled one, or a new one. Loop thread only.
    func takeEasyHandle() -> UnsafeMutableRawPointer? {
        if let easy = idleEasyHandles.popLast() { return easy }
        return curl_easy_init()
    }

    /// Takes back the handle of an ended transfer (already out of the multi), reset to
    /// defaults so nothing of the last request carries over. Loop thread only.
    /// - SeeAlso: https://curl.se/libcurl/c/curl_easy_reset.html
    func returnEasyHandle(_ easy: UnsafeMutableRawPointer) {
        guard idleEasyHandles.count < Self.maxIdleEasyHandles else { return curl_easy_cleanup(easy) }
        curl_easy_reset(easy)
        idleEasyHandles.append(easy)
    }

    /// `url` parsed by curl, from this multi's cache; `nil` if curl can't parse it. Loop thread only.
    func parsedURL(_ url: String) -> CurlURL? {
        if let parsed = parsedURLs[url] { return parsed }
        guard let parsed = CurlURL(url) else { return nil }
        // Many distinct URLs (query strings): start over rather than grow without bound.
        if parsedURLs.count >= Self.maxParsedURLs { parsedURLs.removeAll(keepingCapacity: true) }
        parsedURLs[url] = parsed
        return parsed
    }

    /// Starts a transfer. Loop thread only.
    func add(_ transfer: CurlTransfer) -> CURLMcode {
        guard let easy = transfer.easy else { return CURLM_BAD_EASY_HANDLE }
        let code = curl_multi_add_handle(multi, easy)
        if code == CURLM_OK { transfers[easy] = transfer }
        return code
    }

    /// Stops a transfer without completing it. Loop thread only.
    func remove(_ transfer: CurlTransfer) {
        guard let easy = transfer.easy, transfers.removeValue(forKey: easy) != nil else { return }
        curl_multi_remove_handle(multi, easy)
    }

    // MARK: curl → libevent

    private func watch(_ socket: curl_socket_t, what: Int32) {
        if let existing = socketEvents.removeValue(forKey: socket) { event_free(existing) }
        guard what != CURL_POLL_REMOVE else { return }
        var flags = Int16(EV_PERSIST)
        if what & CURL_POLL_IN != 0 { flags |= Int16(EV_READ) }
        if what & CURL_POLL_OUT != 0 { flags |= Int16(EV_WRITE) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        guard
            let event = event_new(
                loop.base, socket, flags,
                { fd, events, context in
                    Unmanaged<CurlMulti>.fromOpaque(context!).takeUnretainedValue().socketReady(fd, events: events)
                }, context)
        else { return }
        event_add(event, nil)
        socketEvents[socket] = event
    }

    private func schedule(_ milliseconds: Int) {
        guard let timer else { return }
        if milliseconds < 0 {
            event_del(timer)
            return
        }
        var tv = Duration.milliseconds(milliseconds).timevalue
        event_add(timer, &tv)
    }

    // MARK: libevent → curl

    private func socketReady(_ fd: Int32, events: Int16) {
        var flags: Int32 = 0
        if events & Int16(EV_READ) != 0 { flags |= CURL_CSELECT_IN }
        if events & Int16(EV_WRITE) != 0 { flags |= CURL_CSELECT_OUT }
        var running: Int32 = 0
        curl_multi_socket_action(multi, fd, flags, &running)
        collectFinished()
    }

    private func timerFired() {
        var running: Int32 = 0
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running)
        collectFinished()
    }

    /// Lets curl act on the loop right now (after an unpause).
    func kick() { timerFired() }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            guard let transfer = transfers.removeValue(forKey: easy) else { continue }
            curl_multi_remove_handle(multi, easy)
            transfer.finished(result)
        }
    }
}

/// `curl_global_init`, once per process, before the first handle (a lazy global is fine here).
enum CurlGlobal {
    private static let done: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    static func once() { _ = done }
}
