public import EdgeRuntime

/// Translates between the OpenAI API (the proxy's lingua franca) and one provider's API.
///
/// An adapter builds the upstream request for an OpenAI-format call, turns a complete upstream
/// body back into OpenAI format, and makes a fresh ``StreamTranslator`` for each stream, so no
/// stream state leaks between requests. Adding a provider is a folder under `Providers/` plus
/// one line in ``ProviderRegistry``.
///
/// ```swift
/// struct ExampleAdapter: ProviderAdapter {
///     let kind: ProviderKind = "example"
///     func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request { … }
/// }
/// ```
public protocol ProviderAdapter: Sendable {
    var kind: ProviderKind { get }
    /// Whether the provider's responses are already in OpenAI's format (bodies pass through
    /// untouched, and it can serve any `/v1/*` passthrough path).
    var speaksOpenAIFormat: Bool { get }
    /// The upstream request for `call` sent to `endpoint`.
    /// - Throws: ``ProxyError`` when the call can't be expressed in the provider's API.
    func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request
    /// A complete successful upstream body, in OpenAI format.
    func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8]
    /// An upstream error body, in OpenAI's error envelope (the status is kept).
    func translateError(_ body: [UInt8], status: Int) -> [UInt8]
    /// Whether the provider serves OpenAI's Responses API itself (`/v1/responses` passes
    /// through); otherwise a ``ResponsesBridge`` carries such calls over chat.
    var servesResponsesAPI: Bool { get }
    /// Provider-native operations the adapter relays untranslated (Anthropic: `/v1/anthropic/messages`).
    var nativeOperations: Set<ProxyCall.Operation> { get }
    /// The content type of the provider's streams (`text/event-stream` unless it frames otherwise).
    var streamContentType: String { get }
    /// Splits the upstream stream's bytes into events (SSE unless the provider frames otherwise).
    func makeStreamDecoder() -> any StreamDecoder
    /// A new translator for one stream.
    func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator
}

/// Turns upstream stream bytes into typed events.
public protocol StreamDecoder: Sendable {
    mutating func decode(_ chunk: [UInt8]) throws -> [SSEEvent]
    mutating func finish() throws -> [SSEEvent]
}

/// Turns one provider stream's events into OpenAI-format SSE events; one per stream.
public protocol StreamTranslator: Sendable {
    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent]
    /// Events owed at the end of the stream (e.g. a final usage chunk and `[DONE]`).
    mutating func finish() throws -> [SSEEvent]
    /// The events that end a stream that failed with `error`: by default one OpenAI-format error
    /// event (the provider's own, translated, for an ``UpstreamStreamError``).
    func failureEvents(for error: any Error) -> [SSEEvent]
}

extension StreamTranslator {
    public func failureEvents(for error: any Error) -> [SSEEvent] {
        let failure: JSONValue = (error as? UpstreamStreamError)?.envelope ?? [
            "error": [
                "message": .string("The upstream stream ended unexpectedly: \(error)"),
                "type": "server_error", "code": "upstream_stream_error",
            ]
        ]
        return [SSEEvent(data: failure.serialized)]
    }
}

extension SSEParser: StreamDecoder {
    public mutating func decode(_ chunk: [UInt8]) -> [SSEEvent] { feed(chunk) }
    public mutating func finish() -> [SSEEvent] {
        let last: SSEEvent? = finish()
        return last.map { [$0] } ?? []
    }
}

extension ProviderAdapter {
    public var speaksOpenAIFormat: Bool { false }
    public var servesResponsesAPI: Bool { false }
    public var streamContentType: String { "text/event-stream" }
    public var nativeOperations: Set<ProxyCall.Operation> { [] }
    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] { body }
    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] { body }
    public func makeStreamDecoder() -> any StreamDecoder { SSEParser() }
}
