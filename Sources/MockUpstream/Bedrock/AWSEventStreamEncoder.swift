import EdgeRuntime
import Foundation

/// AWS's `application/vnd.amazon.eventstream` framing, encoding side: prelude (total length,
/// headers length, CRC-32), string headers, payload, CRC-32 of the whole message.
public enum AWSEventStreamEncoder {
    /// One message with string-typed headers (type 7), in the given order.
    public static func message(headers: [(String, String)], payload: [UInt8]) -> [UInt8] {
        var headerBytes: [UInt8] = []
        for (name, value) in headers {
            headerBytes.append(UInt8(name.utf8.count))
            headerBytes += Array(name.utf8)
            headerBytes.append(7)
            headerBytes += [UInt8(value.utf8.count >> 8), UInt8(value.utf8.count & 0xFF)]
            headerBytes += Array(value.utf8)
        }
        var out = bigEndian(UInt32(16 + headerBytes.count + payload.count)) + bigEndian(UInt32(headerBytes.count))
        out += bigEndian(CRC32.checksum(out))
        out += headerBytes + payload
        return out + bigEndian(CRC32.checksum(out))
    }

    /// A ConverseStream event message: `:event-type`, JSON content, the event's JSON as payload.
    public static func event(_ type: String, _ json: [String: Any]) -> [UInt8] {
        let payload = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8)
        return message(headers: [(":event-type", type), (":content-type", "application/json"), (":message-type", "event")], payload: Array(payload))
    }

    /// An exception message, as Bedrock sends mid-stream (`throttlingException`, …).
    public static func exception(_ type: String, message text: String) -> [UInt8] {
        let payload = (try? JSONSerialization.data(withJSONObject: ["message": text])) ?? Data()
        return message(headers: [(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], payload: Array(payload))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
