import CEvent
import CHiredis
import Glibc

/// One hiredis async connection on one event loop: commands are pipelined on it and their
/// replies come back on the loop thread, in order — no thread hop, nothing blocks.
///
/// hiredis 0.14 has no command timeouts, so each command carries a deadline and one timer per
/// connection watches the earliest. Replies come in order, so a command past its deadline means
/// the connection is stuck: it is dropped at once (every command on it fails with a timeout) and
/// the next command connects afresh. A dropped or failed connection is redialled the same way,
/// so a restarted Redis is picked up by itself.
///
/// - Important: confined to `loop`'s thread; `@unchecked Sendable` so the client can hand it there.
final class RedisConnection: @unchecked Sendable {
    typealias Completion = (Result<RedisReply, RedisCommandError>) -> Void

    /// A command sent and not yet answered; hiredis holds it (retained) as the callback's privdata.
    fileprivate final class PendingCommand {
        let deadline: ContinuousClock.Instant
        let completion: Completion
        var isDone = false

        init(deadline: ContinuousClock.Instant, completion: @escaping Completion) {
            self.deadline = deadline
            self.completion = completion
        }

        /// Runs the completion once.
        func finish(_ result: Result<RedisReply, RedisCommandError>) {
            guard !isDone else { return }
            isDone = true
            completion(result)
        }
    }

    /// One context's read and write events; hiredis holds it (retained) as `ev.data` and lets it
    /// go in its cleanup hook, so a context freed late never touches a newer context's events.
    private final class ContextEvents {
        var read: OpaquePointer?
        var write: OpaquePointer?
        let context: UnsafeMutablePointer<redisAsyncContext>
        /// Inside the write callback: a write hiredis couldn't finish waits for the socket.
        var writing = false

        init(context: UnsafeMutablePointer<redisAsyncContext>) { self.context = context }

        static func of(_ data: UnsafeMutableRawPointer?) -> ContextEvents {
            Unmanaged<ContextEvents>.fromOpaque(data!).takeUnretainedValue()
        }
    }

    let url: RedisURL
    let loop: EventLoop
    private var context: UnsafeMutablePointer<redisAsyncContext>?
    private var pending: [PendingCommand] = []
    private var watchdog: OpaquePointer?
    /// Why the context is being dropped, for the commands that fail with it.
    private var dropReason: KVError?

    init(url: RedisURL, loop: EventLoop) {
        self.url = url
        self.loop = loop
        let pointer = Unmanaged.passUnretained(self).toOpaque()
        watchdog = event_new(
            loop.base, -1, 0,
            { _, _, pointer in
                Unmanaged<RedisConnection>.fromOpaque(pointer!).takeUnretainedValue().watchdogFired()
            }, pointer)
    }

    /// Frees the connection and its timer, failing what is pending. Loop thread only: the owner
    /// hands the connection to its loop for this, so the last release happens there too.
    func close() {
        if let context {
            dropReason = KVError(code: .backend, message: "\(url): client closed")
            self.context = nil
            redisAsyncFree(context)
        }
        if let watchdog { event_free(watchdog) }
        watchdog = nil
    }

    /// Sends one command (binary-safe arguments); `completion` runs once, on the loop thread,
    /// with the reply or the failure. Loop thread only.
    func send(_ arguments: [[UInt8]], timeout: Duration, completion: @escaping Completion) {
        let command = PendingCommand(deadline: .now + timeout, completion: completion)
        guard let context = connected() else {
            return completion(
                .failure(.connection(dropReason ?? KVError(code: .backend, message: "cannot connect to \(url)"))))
        }
        guard enqueue(arguments, command, on: context) else {
            return completion(
                .failure(.connection(KVError(code: .backend, message: "\(url): \(Self.errorText(context))"))))
        }
        armWatchdog()
    }

    // MARK: connecting

    private func connected() -> UnsafeMutablePointer<redisAsyncContext>? {
        if let context { return context }
        dropReason = nil
        // TODO(perf): a host name is resolved with a blocking getaddrinfo on this loop thread
        // (hiredis 0.14); a Redis named by IP address, as in the shipped configs, is not.
        guard let context = redisAsyncConnect(url.host, Int32(url.port)) else {
            dropReason = KVError(code: .backend, message: "redisAsyncConnect: out of memory")
            return nil
        }
        guard context.pointee.err == 0 else {
            dropReason = KVError(code: .backend, message: "cannot connect to \(url): \(Self.errorText(context))")
            redisAsyncFree(context)
            return nil
        }
        self.context = context
        context.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        attachEvents(context)
        redisAsyncSetConnectCallback(context) { context, status in
            guard status != REDIS_OK, let connection = RedisConnection.owner(of: context) else { return }
            // hiredis frees the context after this callback and fails its commands.
            connection.contextGone(
                context, reason: KVError(code: .backend, message: "cannot connect to \(connection.url)"))
        }
        redisAsyncSetDisconnectCallback(context) { context, _ in
            RedisConnection.owner(of: context)?.contextGone(
                context, reason: KVError(code: .backend, message: "connection lost"))
        }
        // AUTH and SELECT go first on the new connection; a failure there drops it.
        var setup: [[[UInt8]]] = []
        if let password = url.password {
            setup.append([Array("AUTH".utf8)] + (url.user.map { [Array($0.utf8)] } ?? []) + [Array(password.utf8)])
        }
        if url.database != 0 { setup.append([Array("SELECT".utf8), Array(String(url.database).utf8)]) }
        for arguments in setup {
            let name = String(decoding: arguments[0], as: UTF8.self)
            let command = PendingCommand(deadline: .now + .seconds(2)) { [weak self] result in
                guard case .failure(let error) = result else { return }
                self?.drop(reason: KVError(code: .backend, message: "\(name) failed: \(error.kvError.message)"))
            }
            _ = enqueue(arguments, command, on: context)
        }
        return context
    }

    /// hiredis' event hooks, on this loop's base (what its libevent adapter header does, without
    /// including libevent's headers in the hiredis module).
    private func attachEvents(_ context: UnsafeMutablePointer<redisAsyncContext>) {
        let fd = context.pointee.c.fd
        let pointer = UnsafeMutableRawPointer(context)
        let events = ContextEvents(context: context)
        let retained = Unmanaged.passRetained(events).toOpaque()
        // Persistent: the read event stays registered between replies (no epoll_ctl per reply).
        events.read = event_new(
            loop.base, fd, Int16(EV_READ | EV_PERSIST),
            { _, _, context in
                redisAsyncHandleRead(context!.assumingMemoryBound(to: redisAsyncContext.self))
            }, pointer)
        events.write = event_new(
            loop.base, fd, Int16(EV_WRITE | EV_PERSIST),
            { _, _, data in
                let events = ContextEvents.of(data)
                events.writing = true
                redisAsyncHandleWrite(events.context)
                events.writing = false
            }, retained)
        context.pointee.ev.data = retained
        context.pointee.ev.addRead = { data in ContextEvents.of(data).read.map { _ = event_add($0, nil) } }
        context.pointee.ev.delRead = { data in ContextEvents.of(data).read.map { _ = event_del($0) } }
        // A command is written once the loop has run what is ready now (so commands sent
        // together go in one write), without asking epoll whether the socket can take it; only
        // a write the socket refused, or a connect still in progress, waits for EV_WRITE.
        context.pointee.ev.addWrite = { data in
            let events = ContextEvents.of(data)
            guard let write = events.write else { return }
            if events.writing || events.context.pointee.c.flags & REDIS_CONNECTED == 0 {
                event_add(write, nil)
            } else {
                event_active(write, Int32(EV_WRITE), 0)
            }
        }
        context.pointee.ev.delWrite = { data in ContextEvents.of(data).write.map { _ = event_del($0) } }
        context.pointee.ev.cleanup = { data in
            let events = Unmanaged<ContextEvents>.fromOpaque(data!).takeRetainedValue()
            if let read = events.read { event_free(read) }
            if let write = events.write { event_free(write) }
        }
        // As the adapter does: a non-blocking connect completes with the first write event.
        if let read = events.read { event_add(read, nil) }
        if let write = events.write { event_add(write, nil) }
    }

    private static func owner(of context: UnsafePointer<redisAsyncContext>?) -> RedisConnection? {
        context?.pointee.data.map { Unmanaged<RedisConnection>.fromOpaque($0).takeUnretainedValue() }
    }

    /// hiredis is freeing `gone` (connect failed or connection lost); a newer context stays.
    private func contextGone(_ gone: UnsafePointer<redisAsyncContext>?, reason: KVError) {
        guard let context, UnsafePointer(context) == gone else { return }
        if dropReason == nil { dropReason = reason }
        self.context = nil
    }

    // MARK: commands

    private func enqueue(
        _ arguments: [[UInt8]], _ command: PendingCommand, on context: UnsafeMutablePointer<redisAsyncContext>
    ) -> Bool {
        let privdata = Unmanaged.passRetained(command).toOpaque()
        let status = Self.withArgv(arguments) { count, argv, lengths in
            redisAsyncCommandArgv(
                context,
                { context, reply, privdata in
                    let command = Unmanaged<PendingCommand>.fromOpaque(privdata!).takeRetainedValue()
                    guard let connection = RedisConnection.owner(of: context) else {
                        return command.finish(
                            .failure(.connection(KVError(code: .backend, message: "connection closed"))))
                    }
                    connection.answered(command, reply?.assumingMemoryBound(to: redisReply.self))
                }, privdata, count, argv, lengths)
        }
        guard status == REDIS_OK else {
            Unmanaged<PendingCommand>.fromOpaque(privdata).release()
            return false
        }
        pending.append(command)
        return true
    }

    /// A reply, or `nil` when hiredis fails the command (the connection went away).
    private func answered(_ command: PendingCommand, _ reply: UnsafeMutablePointer<redisReply>?) {
        if let index = pending.firstIndex(where: { $0 === command }) { pending.remove(at: index) }
        guard let reply else {
            return command.finish(
                .failure(.connection(dropReason ?? KVError(code: .backend, message: "connection lost"))))
        }
        do {
            command.finish(.success(try RedisReply(reply)))
        } catch {
            command.finish(.failure(.reply(error)))
        }
    }

    /// Drops the connection now: hiredis fails every command on it (with `reason`) and frees it.
    private func drop(reason: KVError) {
        guard let context else { return }
        dropReason = reason
        self.context = nil
        redisAsyncFree(context)
    }

    // MARK: deadlines

    private func armWatchdog() {
        guard let watchdog, let earliest = pending.lazy.map(\.deadline).min() else { return }
        var tv = max(.zero, earliest - .now).timevalue
        event_add(watchdog, &tv)
    }

    private func watchdogFired() {
        let now = ContinuousClock.Instant.now
        // Replies come in order: one this late means the connection is stuck.
        if pending.contains(where: { $0.deadline <= now }) {
            drop(reason: KVError(code: .timeout, message: "\(url): no answer in time"))
        }
        armWatchdog()
    }

    // MARK: C glue

    private static func withArgv<T>(
        _ arguments: [[UInt8]], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        let buffers = arguments.map { argument -> UnsafeMutablePointer<CChar> in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(argument.count, 1))
            argument.withUnsafeBytes { raw in
                if let base = raw.baseAddress {
                    UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: raw.count)
                }
            }
            pointers.append(UnsafePointer(buffer))
            lengths.append(argument.count)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        return pointers.withUnsafeMutableBufferPointer { pointerBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                body(Int32(arguments.count), pointerBuffer.baseAddress!, lengthBuffer.baseAddress!)
            }
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisAsyncContext>) -> String {
        withUnsafeBytes(of: context.pointee.c.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
