/// What the proxy knows about models: their API format, flavor, the provider types serving them,
/// token limits and prices. The shipped catalog is the data file `Catalog/models.json`
/// (``ModelCatalog/builtIn``); an endpoint's custom models override it.
public struct ModelCatalog: Sendable {
    /// The request/response format a model is called with.
    public struct Format: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public static let openai: Format = "openai"
        /// Anthropic's Messages API (Claude models).
        public static let anthropic: Format = "anthropic"
        /// Google's Gemini API.
        public static let google: Format = "google"
        /// AWS Bedrock's Converse API.
        public static let converse: Format = "converse"
    }

    /// What kind of call a model answers.
    public enum Flavor: String, Sendable {
        case chat, completion, embedding, moderation
    }

    public struct Model: Sendable, Equatable {
        public var id: String
        public var format: Format
        public var flavor: Flavor
        public var providers: [ProviderKind]
        /// Context window and output cap in tokens, when published.
        public var maxInputTokens: Int?
        public var maxOutputTokens: Int?
        /// List prices in USD per million input, output and cache-read input tokens, when published.
        public var inputCostPerMTok: Double?
        public var outputCostPerMTok: Double?
        public var cachedInputCostPerMTok: Double?
        /// The provider has retired or deprecated the model; it stays routable for old clients.
        public var deprecated: Bool

        public init(
            id: String, format: Format, flavor: Flavor, providers: [ProviderKind], maxInputTokens: Int? = nil,
            maxOutputTokens: Int? = nil, inputCostPerMTok: Double? = nil, outputCostPerMTok: Double? = nil,
            cachedInputCostPerMTok: Double? = nil, deprecated: Bool = false
        ) {
            self.id = id
            self.format = format
            self.flavor = flavor
            self.providers = providers
            self.maxInputTokens = maxInputTokens
            self.maxOutputTokens = maxOutputTokens
            self.inputCostPerMTok = inputCostPerMTok
            self.outputCostPerMTok = outputCostPerMTok
            self.cachedInputCostPerMTok = cachedInputCostPerMTok
            self.deprecated = deprecated
        }

        /// The same model under another id (a dated snapshot or fine-tune of it).
        func renamed(_ id: String) -> Model {
            var copy = self
            copy.id = id
            return copy
        }
    }

    private let models: [String: Model]
    /// Prefix rules for dated or fine-tuned variants (`gpt-4o-2024-08-06`, `ft:gpt-4o-mini:…`).
    private let families: [(prefix: String, model: Model)]

    public init(models: [Model], families: [(prefix: String, model: Model)] = []) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.families = families.sorted { $0.prefix.count > $1.prefix.count }
    }

    /// The model, by exact id or by family prefix.
    public func model(_ id: String) -> Model? {
        if let model = models[id] { return model }
        let base = id.hasPrefix("ft:") ? String(id.dropFirst(3).prefix { $0 != ":" }) : id
        if let model = models[base] { return model.renamed(id) }
        return families.first { base.hasPrefix($0.prefix) }?.model.renamed(id)
    }

    /// Every listed model, sorted by id.
    public var all: [Model] { models.values.sorted { $0.id < $1.id } }
}
