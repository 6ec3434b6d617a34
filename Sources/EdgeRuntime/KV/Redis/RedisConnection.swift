import CHiredis
import Dispatch
import Foundation
import Glibc

/// One blocking hiredis connection, used only on its own serial queue (never the cooperative
/// pool). It reconnects on the next command after any connection error, so a restarted Redis
/// is picked up by itself. ``RedisClient`` schedules commands on it.
final class RedisConnection: @unchecked Sendable {
    // @unchecked: `context` and `socketTimeout` are touched only on `queue`.
    enum Reply: Sendable, Equatable {
        case null
        case integer(Int)
        case bytes([UInt8])
        case status(String)
        case array([Reply])
    }

    private let url: RedisURL
    /// Where this connection's commands run, one at a time.
    let queue: DispatchQueue
    private var context: UnsafeMutablePointer<redisContext>?
    private var socketTimeout: Duration?

    init(url: RedisURL, label: String) {
        self.url = url
        queue = DispatchQueue(label: label)
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Runs one command (binary-safe arguments), waiting at most `timeout` for each read and
    /// write of the socket (and for connecting). Call on ``queue`` only.
    /// - Throws: ``RedisCommandError`` — `.connection` for connection failures and timeouts
    ///   (the dependency may be down), `.reply` for Redis's own errors (it is up).
    func runBlocking(_ arguments: [[UInt8]], timeout: Duration) throws(RedisCommandError) -> Reply {
        dispatchPrecondition(condition: .onQueue(queue))
        let context: UnsafeMutablePointer<redisContext>
        do {
            context = try connected(timeout: timeout)
        } catch {
            throw .connection(error)
        }
        if socketTimeout != timeout {
            redisSetTimeout(context, timeout.timevalue)
            socketTimeout = timeout
        }
        do {
            return try Self.send(arguments, on: context)
        } catch {
            // A dropped connection or a timeout: forget it; the next command reconnects.
            if context.pointee.err != 0 {
                redisFree(context)
                self.context = nil
                socketTimeout = nil
                throw .connection(error)
            }
            throw .reply(error)
        }
    }

    private func connected(timeout: Duration) throws(KVError) -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        let tv = timeout.timevalue
        guard let context = redisConnectWithTimeout(url.host, Int32(url.port), tv) else {
            throw KVError(code: .backend, message: "redisConnectWithTimeout: out of memory")
        }
        guard context.pointee.err == 0 else {
            let reason = Self.errorText(context)
            redisFree(context)
            throw KVError(code: .backend, message: "cannot connect to \(url): \(reason)")
        }
        redisSetTimeout(context, tv)
        socketTimeout = timeout
        do {
            if let password = url.password {
                let auth = [Array("AUTH".utf8)] + (url.user.map { [Array($0.utf8)] } ?? []) + [Array(password.utf8)]
                _ = try Self.send(auth, on: context)
            }
            if url.database != 0 {
                _ = try Self.send([Array("SELECT".utf8), Array(String(url.database).utf8)], on: context)
            }
        } catch {
            redisFree(context)
            throw error
        }
        self.context = context
        return context
    }

    private static func send(_ arguments: [[UInt8]], on context: UnsafeMutablePointer<redisContext>) throws(KVError)
        -> Reply
    {
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        let buffers = arguments.map { argument -> UnsafeMutablePointer<CChar> in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(argument.count, 1))
            argument.withUnsafeBytes { raw in
                if let base = raw.baseAddress {
                    UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: raw.count)
                }
            }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        for (buffer, argument) in zip(buffers, arguments) {
            pointers.append(UnsafePointer(buffer))
            lengths.append(argument.count)
        }
        let raw = pointers.withUnsafeMutableBufferPointer { pointerBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                redisCommandArgv(context, Int32(arguments.count), pointerBuffer.baseAddress, lengthBuffer.baseAddress)
            }
        }
        guard let raw else {
            throw KVError(
                code: .backend,
                message:
                    "redisCommandArgv(\(String(decoding: arguments.first ?? [], as: UTF8.self))): \(errorText(context))"
            )
        }
        defer { freeReplyObject(raw) }
        return try convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) throws(KVError) -> Reply {
        let value = reply.pointee
        switch Int32(value.type) {
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_STRING:
            return .bytes(value.str.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(value.len))) } ?? [])
        case REDIS_REPLY_STATUS:
            return .status(
                value.str.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(value.len)), as: UTF8.self)
                } ?? "")
        case REDIS_REPLY_ARRAY:
            var elements: [Reply] = []
            elements.reserveCapacity(Int(value.elements))
            for index in 0..<Int(value.elements) { elements.append(try convert(value.element[index]!)) }
            return .array(elements)
        case REDIS_REPLY_ERROR:
            let text = value.str.map { String(cString: $0) } ?? "error"
            throw KVError(code: .backend, message: "redis: \(text)")
        default:
            throw KVError(code: .backend, message: "redis: unexpected reply type \(value.type)")
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// How a command failed: the difference decides whether the dependency counts as down.
enum RedisCommandError: Error, Sendable {
    /// No answer: connecting, writing or reading failed or timed out.
    case connection(KVError)
    /// Redis answered with an error (it is up).
    case reply(KVError)

    var kvError: KVError {
        switch self {
        case .connection(let error), .reply(let error): error
        }
    }
}
