import Glibc
import CHiredis
import Dispatch
import Foundation

/// Where a Redis server is: `redis://[user:password@]host:port/db`.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: Int
    public var user: String?
    public var password: String?

    /// - Throws: ``KVError`` `.invalidArgument` naming what is wrong (never the password).
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), components.scheme == "redis", let host = components.host, !host.isEmpty else {
            throw KVError(code: .invalidArgument, message: "expected redis://[user:password@]host:port/db")
        }
        self.host = host
        port = components.port ?? 6379
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard path.isEmpty || Int(path) != nil else { throw KVError(code: .invalidArgument, message: "the database must be a number") }
        database = Int(path) ?? 0
        user = components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        password = components.password?.removingPercentEncoding
    }

    /// Host, port and database; the credentials are never printed.
    public var description: String { "redis://\(host):\(port)/\(database)" }
}

/// One blocking hiredis connection, used only on its own serial queue (never the cooperative
/// pool). It reconnects on the next command after any connection error, so a restarted Redis
/// is picked up by itself.
final class RedisConnection: @unchecked Sendable {
    // @unchecked: `context` is touched only on `queue`.
    enum Reply: Sendable, Equatable {
        case null
        case integer(Int)
        case bytes([UInt8])
        case status(String)
        case array([Reply])
    }

    private let url: RedisURL
    private let timeout: Duration
    private let queue: DispatchQueue
    private var context: UnsafeMutablePointer<redisContext>?

    init(url: RedisURL, timeout: Duration, label: String) {
        self.url = url
        self.timeout = timeout
        queue = DispatchQueue(label: label)
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Runs one command (binary-safe arguments) and returns its reply.
    /// - Throws: ``KVError`` `.backend` for connection failures and Redis errors.
    func run(_ arguments: [[UInt8]]) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in continuation.resume(with: Result { try runBlocking(arguments) }) }
        }
    }

    private func runBlocking(_ arguments: [[UInt8]]) throws -> Reply {
        let context = try connected()
        do {
            return try Self.send(arguments, on: context)
        } catch {
            // A dropped connection: forget it; the next command reconnects.
            if context.pointee.err != 0 {
                redisFree(context)
                self.context = nil
            }
            throw error
        }
    }

    private func connected() throws -> UnsafeMutablePointer<redisContext> {
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
        do {
            if let password = url.password {
                let auth = [Array("AUTH".utf8)] + (url.user.map { [Array($0.utf8)] } ?? []) + [Array(password.utf8)]
                _ = try Self.send(auth, on: context)
            }
            if url.database != 0 { _ = try Self.send([Array("SELECT".utf8), Array(String(url.database).utf8)], on: context) }
        } catch {
            redisFree(context)
            throw error
        }
        self.context = context
        return context
    }

    private static func send(_ arguments: [[UInt8]], on context: UnsafeMutablePointer<redisContext>) throws -> Reply {
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        let buffers = arguments.map { argument -> UnsafeMutablePointer<CChar> in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(argument.count, 1))
            argument.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: raw.count) }
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
            throw KVError(code: .backend, message: "redisCommandArgv(\(String(decoding: arguments.first ?? [], as: UTF8.self))): \(errorText(context))")
        }
        defer { freeReplyObject(raw) }
        return try convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) throws -> Reply {
        let value = reply.pointee
        switch Int32(value.type) {
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_STRING:
            return .bytes(value.str.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(value.len))) } ?? [])
        case REDIS_REPLY_STATUS:
            return .status(value.str.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(value.len)), as: UTF8.self) } ?? "")
        case REDIS_REPLY_ARRAY:
            return .array(try (0..<Int(value.elements)).map { try convert(value.element[$0]!) })
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
