public import EdgeRuntime

/// `GET /v1/models` in OpenAI's list format: the catalog models the caller can reach.
enum ModelList {
    static func response(catalog: ModelCatalog, credentials: Credentials) -> Response {
        // Endpoints with their own model list serve only those; the others serve the catalog's.
        let kinds = Set(credentials.endpoints.filter { $0.models == nil }.map(\.kind))
        var ids: [(String, String)] = []
        var seen: Set<String> = []
        for endpoint in credentials.endpoints {
            for model in endpoint.customModels.map(\.id) + (endpoint.models ?? []) where seen.insert(model).inserted {
                ids.append((model, endpoint.kind.rawValue))
            }
        }
        let everything = !credentials.isProxyKey
        for model in catalog.all where everything || model.providers.contains(where: kinds.contains) {
            if seen.insert(model.id).inserted { ids.append((model.id, model.providers.first?.rawValue ?? "system")) }
        }
        let data = ids.sorted { $0.0 < $1.0 }.map { id, owner -> JSONValue in
            ["id": .string(id), "object": "model", "created": 0, "owned_by": .string(owner)]
        }
        let list: JSONValue = ["object": "list", "data": .array(data)]
        return .json(bytes: list.serialized)
    }
}
