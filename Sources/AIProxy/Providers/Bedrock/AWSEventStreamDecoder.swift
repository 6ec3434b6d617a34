import EdgeRuntime

/// AWS's `application/vnd.amazon.eventstream` binary framing → one ``SSEEvent`` per message,
/// so ConverseStream flows through the same relay as every SSE stream.
///
/// A message is a 12-byte prelude (total length, headers length, CRC-32 of those 8 bytes),
/// typed headers, the payload and a CRC-32 of everything before it. An `event` message becomes
/// `event: <:event-type>`; an `exception` message `event: <:exception-type>` (AWS names all end
/// in "Exception"); an `error` message `event: error` with `{"message", "code"}`. The payload is
/// the event's JSON. A bad checksum or length fails the stream.
struct AWSEventStreamDecoder: StreamDecoder {
    struct FramingError: Error, CustomStringConvertible {
        let description: String
    }

    /// The service's limit on one message (AWS documents 16 MB payloads).
    static let maxMessageBytes = 24 << 20
    private var buffer: [UInt8] = []

    mutating func decode(_ chunk: [UInt8]) throws -> [SSEEvent] {
        // TODO(perf): messages are copied into `buffer` and out again as Strings; decoding in
        // place from the chunks would save both copies (Benchmarks/providers.sh, Bedrock SSE row).
        buffer += chunk
        var events: [SSEEvent] = []
        var start = 0
        while buffer.count - start >= 12 {
            let total = Int(Self.uint32(buffer, at: start)), headersLength = Int(Self.uint32(buffer, at: start + 4))
            guard CRC32.checksum(buffer[start..<start + 8]) == Self.uint32(buffer, at: start + 8) else {
                throw FramingError(description: "event stream prelude checksum mismatch")
            }
            guard total >= 16 + headersLength, total <= Self.maxMessageBytes else {
                throw FramingError(description: "event stream message length \(total) is invalid")
            }
            guard buffer.count - start >= total else { break }
            let end = start + total
            guard CRC32.checksum(buffer[start..<end - 4]) == Self.uint32(buffer, at: end - 4) else {
                throw FramingError(description: "event stream message checksum mismatch")
            }
            let headers = try Self.headers(buffer[start + 12..<start + 12 + headersLength])
            let payload = Array(buffer[start + 12 + headersLength..<end - 4])
            events.append(Self.event(headers: headers, payload: payload))
            start = end
        }
        buffer.removeFirst(start)
        return events
    }

    mutating func finish() throws -> [SSEEvent] {
        guard buffer.isEmpty else { throw FramingError(description: "event stream ended inside a message") }
        return []
    }

    private static func event(headers: [String: String], payload: [UInt8]) -> SSEEvent {
        switch headers[":message-type"] {
        case "exception":
            return SSEEvent(event: headers[":exception-type"] ?? "UnknownException", data: payload)
        case "error":
            let body: JSONValue = [
                "message": .string(headers[":error-message"] ?? "event stream error"), "code": .string(headers[":error-code"] ?? ""),
            ]
            return SSEEvent(event: "error", data: body.serialized)
        default:
            return SSEEvent(event: headers[":event-type"], data: payload)
        }
    }

    /// String-valued headers by name; headers of other types are skipped by their size.
    private static func headers(_ bytes: ArraySlice<UInt8>) throws -> [String: String] {
        var out: [String: String] = [:]
        var i = bytes.startIndex
        func need(_ n: Int) throws {
            guard bytes.endIndex - i >= n else { throw FramingError(description: "event stream header is truncated") }
        }
        while i < bytes.endIndex {
            try need(1)
            let nameLength = Int(bytes[i])
            try need(2 + nameLength)
            let name = String(decoding: bytes[i + 1..<i + 1 + nameLength], as: UTF8.self)
            let type = bytes[i + 1 + nameLength]
            i += 2 + nameLength
            switch type {
            case 0, 1: break  // true, false
            case 2: try need(1); i += 1
            case 3: try need(2); i += 2
            case 4: try need(4); i += 4
            case 5, 8: try need(8); i += 8  // long, timestamp
            case 9: try need(16); i += 16  // uuid
            case 6, 7:  // bytes, string: 2-byte length
                try need(2)
                let length = Int(bytes[i]) << 8 | Int(bytes[i + 1])
                try need(2 + length)
                if type == 7 { out[name] = String(decoding: bytes[i + 2..<i + 2 + length], as: UTF8.self) }
                i += 2 + length
            default:
                throw FramingError(description: "event stream header type \(type) is unknown")
            }
        }
        return out
    }

    private static func uint32(_ bytes: [UInt8], at i: Int) -> UInt32 {
        UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }
}
