/// Picks the endpoints that may serve a call, in the order to try them.
///
/// An endpoint serves a model when it added it as a custom model, when its own `models` list
/// names it, or when it lists none and the catalog says its provider type serves the model.
/// The order starts at a random candidate, so load spreads across equal endpoints, and wraps
/// around for failover. `x-bt-endpoint-name` pins one endpoint.
public struct EndpointSelector: Sendable {
    public let catalog: ModelCatalog
    public let registry: ProviderRegistry

    public init(catalog: ModelCatalog, registry: ProviderRegistry) {
        self.catalog = catalog
        self.registry = registry
    }

    /// Candidates for `model` (or, with no model, for an OpenAI-format passthrough); a
    /// provider-native call goes only to endpoints whose adapter speaks that API.
    /// - Throws: ``ProxyError/unknownModel(_:)`` when nothing knows the model,
    ///   ``ProxyError/noEndpoint(model:)`` when no endpoint serves it, and
    ///   ``ProxyError/invalidHeader(name:reason:)`` for a pin that can't serve it.
    public func candidates<R: RandomNumberGenerator>(
        for model: String?, operation: ProxyCall.Operation = .chatCompletions, among endpoints: [Endpoint], pinned: String?,
        using random: inout R
    ) throws(ProxyError) -> [RoutedEndpoint] {
        let usable = endpoints.compactMap { endpoint -> RoutedEndpoint? in
            guard let adapter = registry.adapter(for: endpoint.kind),
                !operation.isProviderNative || adapter.nativeOperations.contains(operation)
            else { return nil }
            if operation == .responses && !adapter.servesResponsesAPI {
                return RoutedEndpoint(endpoint: endpoint, adapter: ResponsesBridge(chat: adapter))
            }
            return RoutedEndpoint(endpoint: endpoint, adapter: adapter)
        }
        let serving: [RoutedEndpoint]
        if let model {
            serving = usable.filter { canServe($0.endpoint, model: model) }
            if serving.isEmpty {
                let known =
                    catalog.model(model) != nil || endpoints.contains { $0.models?.contains(model) == true || $0.customModel(model) != nil }
                throw known ? .noEndpoint(model: model) : .unknownModel(model)
            }
        } else {
            serving = usable.filter { $0.adapter.speaksOpenAIFormat }
            if serving.isEmpty { throw .invalidRequest("No OpenAI-format endpoint is configured for this path.") }
        }
        if let pinned {
            guard let endpoint = serving.first(where: { $0.name == pinned }) else {
                throw .invalidHeader(name: "x-bt-endpoint-name", reason: "no endpoint named \(pinned) can serve this request")
            }
            return [endpoint]
        }
        let start = Int.random(in: 0..<serving.count, using: &random)
        return Array(serving[start...] + serving[..<start])
    }

    func canServe(_ endpoint: Endpoint, model: String) -> Bool {
        if endpoint.customModel(model) != nil { return true }
        if let models = endpoint.models { return models.contains(model) }
        return catalog.model(model)?.providers.contains(endpoint.kind) == true
    }
}
