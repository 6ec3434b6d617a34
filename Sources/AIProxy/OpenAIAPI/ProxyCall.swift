public import EdgeRuntime

/// A client's OpenAI API call as the proxy understands it, before any provider translation.
public struct ProxyCall: Sendable {
    /// Which OpenAI operation the path names; everything else under `/v1` is passed through.
    public enum Operation: String, Sendable, Equatable {
        case chatCompletions = "chat/completions"
        case completions
        case embeddings
        case moderations
        /// OpenAI's Responses API: passed through to OpenAI and Azure, bridged over chat elsewhere.
        case responses
        /// Anthropic's own Messages API at `/v1/anthropic/messages`, relayed untranslated.
        case anthropicMessages = "anthropic/messages"
        case passthrough

        /// Operations whose results depend only on their input, so `auto` always caches them.
        public var isDeterministic: Bool { self == .embeddings || self == .moderations }

        /// A provider's own API, served only by endpoints of that provider and relayed untranslated.
        public var isProviderNative: Bool { self == .anthropicMessages }
    }

    public var operation: Operation
    public var method: HTTPMethod
    /// The OpenAI API path without the `/v1` prefix, e.g. `/chat/completions`.
    public var path: String
    public var query: String?
    public var headers: Headers
    public var rawBody: [UInt8]
    /// The JSON body, when the body is JSON.
    public var body: JSONValue?
    /// What the catalog knows of the called model (limits, prices), set before routing.
    public var catalogModel: ModelCatalog.Model?

    public init(operation: Operation, method: HTTPMethod, path: String, query: String? = nil, headers: Headers = [:], rawBody: [UInt8] = [], body: JSONValue? = nil) {
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.rawBody = rawBody
        self.body = body
    }

    /// The `model` field of the body.
    public var model: String? { body?["model"]?.stringValue }

    /// Whether the client asked for a Server-Sent Events stream (`"stream": true`).
    public var isStreaming: Bool { body?["stream"]?.boolValue == true }
}
