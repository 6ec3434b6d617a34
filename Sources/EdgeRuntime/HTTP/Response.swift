import FoundationEssentials

/// An HTTP response: what a worker returns, and what ``FetchClient/fetch(_:)`` gives back.
public struct Response: Sendable {
    public var status: Int
    public var headers: Headers
    public var body: Body

    public init(status: Int = 200, headers: Headers = [:], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text response with `content-type: text/plain; charset=utf-8`.
    public static func text(_ text: String, status: Int = 200) -> Response {
        Response(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: Body(string: text))
    }

    /// A JSON response from already-encoded bytes.
    public static func json(bytes: [UInt8], status: Int = 200, headers: Headers = [:]) -> Response {
        var headers = headers
        headers["content-type"] = "application/json"
        return Response(status: status, headers: headers, body: Body(bytes: bytes))
    }

    /// The error envelope every JSON API here uses: `{"error": {"message", "type", "code"}}`.
    public static func jsonError(status: Int, message: String, type: String, code: String?) -> Response {
        let code = code.map(JSONString.quoted) ?? "null"
        let text =
            "{\"error\":{\"code\":\(code),\"message\":\(JSONString.quoted(message)),\"type\":\(JSONString.quoted(type))}}"
        return json(bytes: Array(text.utf8), status: status)
    }
}
