/// How a Responses stream passed through from OpenAI or Azure ends when the upstream fails
/// mid-way: OpenAI's `error` event, numbered right after the last event the client got (the
/// relay forwards events as bytes, so the number is read from them, not counted).
enum ResponsesStreamFailure {
    private static let marker = Array(#""sequence_number":"#.utf8)

    /// The last top-level `sequence_number` in `bytes` (whole events), found from the end.
    static func lastSequenceNumber(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        var start = bytes.count - marker.count
        while start >= 0 {
            if bytes[start] == marker[0] && bytes[start..<start + marker.count].elementsEqual(marker) {
                var value = 0
                var index = start + marker.count
                while index < bytes.count, bytes[index] == 0x20 { index += 1 }
                let first = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]), index - first < 18 {
                    value = value * 10 + Int(bytes[index] - 0x30)
                    index += 1
                }
                return index > first ? value : nil
            }
            start -= 1
        }
        return nil
    }

    /// The `error` event that ends the stream.
    static func event(for error: any Error, sequenceNumber: Int) -> SSEEvent {
        let message = (error as? UpstreamStreamError)?.description ?? "The upstream stream ended unexpectedly: \(error)"
        let data: JSONValue = [
            "type": "error", "sequence_number": .number(sequenceNumber), "code": "upstream_stream_error",
            "message": .string(message), "param": .null,
        ]
        return SSEEvent(event: "error", data: data.serialized)
    }
}
