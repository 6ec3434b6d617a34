import Testing

@testable import EdgeRuntime

@Suite struct ResponseHeadTests {
    /// The head as text, written the plain way (interpolation), to compare the byte writer with.
    private func expected(status: Int, fields: [(String, String)], framing: ResponseHead.Framing, close: Bool)
        -> String
    {
        var text = "HTTP/1.1 \(status) \(HTTPStatus.reasonPhrase(status))\r\n"
        for (name, value) in fields {
            let lowered = name.lowercased()
            if ResponseHead.connectionFields.contains(lowered) { continue }
            if lowered == "content-length", case .noBody = framing {} else if lowered == "content-length" { continue }
            if name.isEmpty || value.utf8.contains(13) || value.utf8.contains(10) { continue }
            text += "\(name): \(value)\r\n"
        }
        switch framing {
        case .length(let length): text += "content-length: \(length)\r\n"
        case .chunked: text += "transfer-encoding: chunked\r\n"
        case .untilClose, .noBody: break
        }
        if close { text += "connection: close\r\n" }
        return text + "\r\n"
    }

    @Test(arguments: [200, 101, 404, 503, 599, 999])
    func theHeadIsTheStatusLineTheWorkersFieldsAndTheFraming(status: Int) {
        let fields = [
            ("Content-Type", "application/json"), ("Connection", "keep-alive"), ("Content-Length", "12"),
            ("X-Split", "a\r\nInjected: 1"), ("x-request-id", "é-1"), ("Transfer-Encoding", "gzip"),
            ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
        ]
        let framings: [ResponseHead.Framing] = [.length(0), .length(1_234_567_890), .chunked, .untilClose, .noBody]
        for framing in framings {
            for close in [false, true] {
                let bytes = ResponseHead.bytes(status: status, headers: Headers(fields), framing: framing, close: close)
                #expect(
                    String(decoding: bytes, as: UTF8.self)
                        == expected(status: status, fields: fields, framing: framing, close: close),
                    "\(framing) close \(close)")
            }
        }
    }
}
