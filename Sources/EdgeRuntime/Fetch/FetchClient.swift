/// An upstream HTTP client: the runtime's `fetch`.
///
/// The production client is ``CurlFetchClient`` (libcurl's multi interface on the event loops).
/// The response body streams: its first bytes reach the caller before the upstream has finished.
public protocol FetchClient: Sendable {
    /// Sends `request` and returns once the response head has arrived.
    /// - Throws: ``FetchError`` (connect failed, timed out, reset mid-body, …).
    func fetch(_ request: Request) async throws -> Response
}
