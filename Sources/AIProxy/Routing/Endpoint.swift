/// One upstream an org can send requests to: its provider type, base URL and secret.
///
/// The secret lives only in memory here; at rest it is sealed under the master key
/// (`ControlStore`), and it never appears in logs, responses or KV keys.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// The name clients pin with `x-bt-endpoint-name` and see in `x-bt-used-endpoint`.
    public var name: String
    public var kind: ProviderKind
    /// E.g. `https://api.openai.com/v1`; paths such as `/chat/completions` are appended.
    public var baseURL: String
    public var secret: String
    /// Models this endpoint may serve; `nil` means every catalog model of its provider type.
    public var models: [String]?
    /// Models the org added to this endpoint (format and flavor); they override the catalog.
    public var customModels: [ModelCatalog.Model]
    /// Provider-specific settings (Azure `api_version`, Bedrock `region`, …).
    public var options: [String: String]

    public init(
        name: String, kind: ProviderKind, baseURL: String, secret: String, models: [String]? = nil,
        customModels: [ModelCatalog.Model] = [], options: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.secret = secret
        self.models = models
        self.customModels = customModels
        self.options = options
    }

    /// The endpoint's custom model `id`, if it added one.
    public func customModel(_ id: String) -> ModelCatalog.Model? { customModels.first { $0.id == id } }

    /// Name, type and URL only: the secret is never printed.
    public var description: String { "Endpoint(\(name), \(kind), \(baseURL))" }
}
