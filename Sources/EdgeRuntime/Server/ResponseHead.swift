/// Serialises the status line and header block the server sends.
enum ResponseHead {
    /// Hop-by-hop fields the server owns: a worker's values for them are dropped (RFC 9110 §7.6.1).
    static let connectionFields = ["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer"]

    enum Framing {
        case length(Int)
        case chunked
        /// HTTP/1.0 stream or close-delimited: the end of the body is the end of the connection.
        case untilClose
        /// HEAD, 1xx, 204, 304: no body, but keep the worker's content-length.
        case noBody
    }

    /// Written byte by byte into one buffer: every response has one, and interpolated strings
    /// and generic appends cost ~17,000 instructions a head (callgrind), this ~11,000.
    static func bytes(status: Int, headers: Headers, framing: Framing, close: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + headers.count * 40)
        appendLiteral("HTTP/1.1 ", to: &out)
        appendUTF8(String(status), to: &out)
        out.append(UInt8(ascii: " "))
        appendUTF8(HTTPStatus.reasonPhrase(status), to: &out)
        appendLiteral("\r\n", to: &out)
        let keepsLength: Bool = if case .noBody = framing { true } else { false }
        for field in headers {
            if field.hasName(in: connectionFields) { continue }
            if !keepsLength && field.hasName("content-length") { continue }
            // A CR or LF in a worker's header would split the response: drop such a field.
            if field.name.isEmpty || containsLineBreak(field.value) { continue }
            appendUTF8(field.name, to: &out)
            appendLiteral(": ", to: &out)
            appendUTF8(field.value, to: &out)
            appendLiteral("\r\n", to: &out)
        }
        switch framing {
        case .length(let length):
            appendLiteral("content-length: ", to: &out)
            appendUTF8(String(length), to: &out)
            appendLiteral("\r\n", to: &out)
        case .chunked: appendLiteral("transfer-encoding: chunked\r\n", to: &out)
        case .untilClose, .noBody: break
        }
        if close { appendLiteral("connection: close\r\n", to: &out) }
        appendLiteral("\r\n", to: &out)
        return out
    }

    private static func appendLiteral(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// The string's UTF-8 appended in one copy (native and small strings are contiguous).
    private static func appendUTF8(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static func containsLineBreak(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.contains { $0 == 0x0D || $0 == 0x0A } }
    }

    /// Whether a response with this status to this method carries no body.
    static func hasNoBody(status: Int, method: String) -> Bool {
        method == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304
    }
}
