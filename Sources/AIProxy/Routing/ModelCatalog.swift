/// What the proxy knows about models: their API format, flavor and the provider types serving them.
///
/// Issue 4 grows this into a data file with prices and limits; the shape stays.
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
        public init(id: String, format: Format, flavor: Flavor, providers: [ProviderKind]) {
            self.id = id
            self.format = format
            self.flavor = flavor
            self.providers = providers
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
        if let model = models[base] { return Model(id: id, format: model.format, flavor: model.flavor, providers: model.providers) }
        guard let family = families.first(where: { base.hasPrefix($0.prefix) }) else { return nil }
        return Model(id: id, format: family.model.format, flavor: family.model.flavor, providers: family.model.providers)
    }

    /// Every listed model, sorted by id.
    public var all: [Model] { models.values.sorted { $0.id < $1.id } }
}

extension ModelCatalog {
    /// The OpenAI-format models the core proxy knows before provider adapters add theirs.
    public static let builtIn: ModelCatalog = {
        let openAI: [ProviderKind] = ["openai", "azure"]
        func chat(_ id: String) -> Model { Model(id: id, format: .openai, flavor: .chat, providers: openAI) }
        let chatModels = [
            "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4-turbo", "gpt-4", "gpt-3.5-turbo",
            "o1", "o1-mini", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "chatgpt-4o-latest",
        ].map(chat)
        let others = [
            Model(id: "gpt-3.5-turbo-instruct", format: .openai, flavor: .completion, providers: openAI),
            Model(id: "davinci-002", format: .openai, flavor: .completion, providers: openAI),
            Model(id: "babbage-002", format: .openai, flavor: .completion, providers: openAI),
            Model(id: "text-embedding-3-small", format: .openai, flavor: .embedding, providers: openAI),
            Model(id: "text-embedding-3-large", format: .openai, flavor: .embedding, providers: openAI),
            Model(id: "text-embedding-ada-002", format: .openai, flavor: .embedding, providers: openAI),
            Model(id: "omni-moderation-latest", format: .openai, flavor: .moderation, providers: ["openai"]),
            Model(id: "text-moderation-latest", format: .openai, flavor: .moderation, providers: ["openai"]),
        ]
        let families = ["gpt-4o-", "gpt-4.1-", "gpt-4-", "gpt-3.5-turbo-", "o1-", "o3-", "o4-", "gpt-5-"].map {
            (prefix: $0, model: chat($0))
        }
        func claude(_ id: String) -> Model { Model(id: id, format: .anthropic, flavor: .chat, providers: [.anthropic]) }
        let claudeModels = [
            "claude-opus-4-1", "claude-opus-4-0", "claude-sonnet-4-0", "claude-3-7-sonnet-latest", "claude-3-5-sonnet-latest",
            "claude-3-5-haiku-latest", "claude-3-opus-latest", "claude-3-haiku-20240307",
        ].map(claude)
        func gemini(_ id: String) -> Model { Model(id: id, format: .google, flavor: .chat, providers: [.google]) }
        let geminiModels = ["gemini-1.5-pro", "gemini-1.5-flash", "gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-2.5-pro", "gemini-2.5-flash"]
            .map(gemini)
        let hostModels = OpenAICompatibleHost.all.flatMap { host in
            host.models.map { Model(id: $0, format: .openai, flavor: $0.hasSuffix("-embed") ? .embedding : .chat, providers: [host.kind]) }
        }
        // Dated snapshots (`claude-3-5-sonnet-20241022`, `gemini-2.0-flash-001`) and newer models.
        return ModelCatalog(
            models: chatModels + others + claudeModels + geminiModels + hostModels,
            families: families + [(prefix: "claude-", model: claude("claude-")), (prefix: "gemini-", model: gemini("gemini-"))])
    }()
}
