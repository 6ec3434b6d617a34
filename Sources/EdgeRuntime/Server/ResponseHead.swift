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

    static func bytes(status: Int, headers: Headers, framing: Framing, close: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + headers.count * 40)
        out.append(contentsOf: "HTTP/1.1 \(status) \(HTTPStatus.reasonPhrase(status))\r\n".utf8)
        for field in headers {
            if field.hasName(in: connectionFields) { continue }
            if field.hasName("content-length") {
                if case .noBody = framing {} else { continue }
            }
            // A CR or LF in a worker's header would split the response: drop such a field.
            if field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) || field.name.isEmpty { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        switch framing {
        case .length(let length): out.append(contentsOf: "content-length: \(length)\r\n".utf8)
        case .chunked: out.append(contentsOf: "transfer-encoding: chunked\r\n".utf8)
        case .untilClose, .noBody: break
        }
        if close { out.append(contentsOf: "connection: close\r\n".utf8) }
        out.append(contentsOf: "\r\n".utf8)
        return out
    }

    /// Whether a response with this status to this method carries no body.
    static func hasNoBody(status: Int, method: String) -> Bool {
        method == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304
    }
}
