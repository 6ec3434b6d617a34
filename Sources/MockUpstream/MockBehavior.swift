/// How the mock misbehaves, set by tests through `POST /__mock/behavior`.
public struct MockBehavior: Sendable, Equatable {
    /// Answer every API call with this status and an OpenAI-style error (429, 500, …).
    public var failStatus: Int?
    /// `retry-after` seconds sent with `failStatus`.
    public var retryAfter: Int?
    /// Delay before the response head, in milliseconds.
    public var latencyMilliseconds: Int = 0
    /// Delay after a stream's head, before its first event, in milliseconds (a model thinking
    /// after its provider sent the head).
    public var firstEventDelayMilliseconds: Int = 0
    /// Delay between stream chunks, in milliseconds.
    public var chunkDelayMilliseconds: Int = 0
    /// Streams stop abruptly (no `[DONE]`, connection reset) after this many content chunks.
    public var failMidStreamAfter: Int?

    public init() {}
}
