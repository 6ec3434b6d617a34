public import EdgeRuntime

/// An error that knows how to answer a client: status and OpenAI's `{"error": {…}}` envelope.
///
/// `ProxyWorker` has exactly one catch, which renders any `OpenAIErrorRenderable` (and maps
/// anything else to a 500), so every proxy-side failure reaches clients in the shape their
/// OpenAI SDK parses.
public protocol OpenAIErrorRenderable: Error {
    var status: Int { get }
    /// OpenAI's `type`: `invalid_request_error`, `authentication_error`, `server_error`, …
    var errorType: String { get }
    /// OpenAI's machine-readable `code`, or `nil`.
    var code: String? { get }
    /// A sentence for a person; never contains a key or secret.
    var message: String { get }
    /// Extra response headers, e.g. `retry-after`.
    var headers: Headers { get }
}

extension OpenAIErrorRenderable {
    public var headers: Headers { [:] }

    /// The HTTP response for this error.
    public var response: Response {
        var response = Response.jsonError(status: status, message: message, type: errorType, code: code)
        for field in headers { response.headers.add(field.name, field.value) }
        return response
    }
}
