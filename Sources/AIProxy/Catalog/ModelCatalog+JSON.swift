import FoundationEssentials

extension ModelCatalog {
    /// The catalog shipped with the proxy: `Catalog/models.json`, read once at start.
    public static let builtIn: ModelCatalog = {
        do {
            return try ModelCatalog(json: PackageResources.models_json)
        } catch {
            preconditionFailure("invariant: the bundled models.json is valid (ModelCatalogTests check it): \(error)")
        }
    }()

    /// Reads a catalog file: `{"models": [{id, format, flavor, providers, max_input_tokens,
    /// max_output_tokens, input_cost_per_mtok, output_cost_per_mtok, cached_input_cost_per_mtok,
    /// deprecated}], "families": [{prefix, model}]}`.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming the entry that is malformed.
    public init(json bytes: [UInt8]) throws(ProxyError) {
        guard let root = try? JSONValue(parsing: bytes), let entries = root["models"]?.arrayValue else {
            throw .invalidRequest("model catalog: not a JSON object with a `models` array")
        }
        var models: [Model] = []
        for (index, entry) in entries.enumerated() {
            models.append(try Model(json: entry, at: "models[\(index)]"))
        }
        let byID = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var families: [(prefix: String, model: Model)] = []
        for (index, family) in (root["families"]?.arrayValue ?? []).enumerated() {
            guard let prefix = family["prefix"]?.stringValue, let id = family["model"]?.stringValue,
                let model = byID[id]
            else {
                throw .invalidRequest("model catalog: families[\(index)] needs a prefix and the id of a listed model")
            }
            families.append((prefix, model))
        }
        self.init(models: models, families: families)
    }
}

extension ModelCatalog.Model {
    /// One catalog entry; also an endpoint's custom model, which names no providers (the
    /// endpoint's own type, `fallbackProviders`, serves it).
    init(json: JSONValue, at place: String, providers fallbackProviders: [ProviderKind] = []) throws(ProxyError) {
        guard let id = json["id"]?.stringValue, let format = json["format"]?.stringValue,
            let flavorName = json["flavor"]?.stringValue, let flavor = ModelCatalog.Flavor(rawValue: flavorName)
        else {
            throw .invalidRequest(
                "model catalog: \(place) needs an id, a format and a flavor (chat, completion, embedding or moderation)"
            )
        }
        let providers =
            json["providers"]?.arrayValue?.compactMap(\.stringValue).map(ProviderKind.init(rawValue:))
            ?? fallbackProviders
        self.init(
            id: id, format: ModelCatalog.Format(rawValue: format), flavor: flavor, providers: providers,
            maxInputTokens: json["max_input_tokens"]?.intValue, maxOutputTokens: json["max_output_tokens"]?.intValue,
            inputCostPerMTok: json["input_cost_per_mtok"]?.doubleValue,
            outputCostPerMTok: json["output_cost_per_mtok"]?.doubleValue,
            cachedInputCostPerMTok: json["cached_input_cost_per_mtok"]?.doubleValue,
            deprecated: json["deprecated"]?.boolValue ?? false)
    }
}
