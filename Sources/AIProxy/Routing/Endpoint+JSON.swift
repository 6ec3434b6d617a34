extension Endpoint {
    /// The stored form; `secret` is included only when asked (the control store seals it apart).
    func json(includingSecret: Bool) -> JSONValue {
        var json: JSONValue = [
            "name": .string(name), "type": .string(kind.rawValue), "base_url": .string(baseURL),
            "options": .object(options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }),
        ]
        if let models { json = json.setting("models", to: .array(models.map(JSONValue.string))) }
        if !customModels.isEmpty {
            json = json.setting("custom_models", to: .array(customModels.map {
                ["id": .string($0.id), "format": .string($0.format.rawValue), "flavor": .string($0.flavor.rawValue)]
            }))
        }
        if includingSecret { json = json.setting("secret", to: .string(secret)) }
        return json
    }

    /// Reads the stored form; a missing `secret` is empty.
    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let type = json["type"]?.stringValue, let baseURL = json["base_url"]?.stringValue
        else { return nil }
        let options = Dictionary(
            (json["options"]?.objectValue ?? []).compactMap { key, value in value.stringValue.map { (key, $0) } },
            uniquingKeysWith: { first, _ in first })
        self.init(
            name: name, kind: ProviderKind(rawValue: type), baseURL: baseURL, secret: json["secret"]?.stringValue ?? "",
            models: json["models"]?.arrayValue?.compactMap(\.stringValue),
            customModels: (json["custom_models"]?.arrayValue ?? []).compactMap {
                try? ModelCatalog.Model(json: $0, at: "custom_models", providers: [ProviderKind(rawValue: type)])
            }, options: options)
    }
}
