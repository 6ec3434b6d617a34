import CHiredis

/// A Redis reply, converted from hiredis' `redisReply` before hiredis frees it.
enum RedisReply: Sendable, Equatable {
    case null
    case integer(Int)
    case bytes([UInt8])
    case status(String)
    case array([RedisReply])

    /// Converts `reply`; an error reply becomes ``KVError`` `.backend` with Redis's message.
    init(_ reply: UnsafeMutablePointer<redisReply>) throws(KVError) {
        let value = reply.pointee
        switch Int32(value.type) {
        case REDIS_REPLY_NIL: self = .null
        case REDIS_REPLY_INTEGER: self = .integer(Int(value.integer))
        case REDIS_REPLY_STRING:
            self = .bytes(value.str.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(value.len))) } ?? [])
        case REDIS_REPLY_STATUS:
            self = .status(
                value.str.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(value.len)), as: UTF8.self)
                } ?? "")
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(Int(value.elements))
            for index in 0..<Int(value.elements) { elements.append(try RedisReply(value.element[index]!)) }
            self = .array(elements)
        case REDIS_REPLY_ERROR:
            let text = value.str.map { String(cString: $0) } ?? "error"
            throw KVError(code: .backend, message: "redis: \(text)")
        default:
            throw KVError(code: .backend, message: "redis: unexpected reply type \(value.type)")
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
