public import EdgeRuntime

extension AdminWorker {
    /// `GET /api/keys?org=&tag=&blocked=&limit=&after=`: keys by `key_id`, a page at a time
    /// (`has_more`, and `after` = the last `key_id` for the next page).
    func listKeys(_ request: Request) async throws -> Response {
        var keys = try await store.listKeys().sorted { $0.id < $1.id }
        if let org = request.queryParameter("org") { keys = keys.filter { $0.orgs.contains(org) } }
        if let tag = request.queryParameter("tag") { keys = keys.filter { $0.tags.contains(tag) } }
        if let blocked = request.queryParameter("blocked") {
            guard let wanted = Bool(blocked) else { throw ProxyError.invalidRequest("`blocked` must be true or false") }
            keys = keys.filter { $0.blocked == wanted }
        }
        if let after = request.queryParameter("after") { keys = keys.filter { $0.id > after } }
        let limit = try Self.limit(request, default: 100)
        let data = try await report.json(Array(keys.prefix(limit)))
        return Self.json(["object": "list", "data": .array(data), "has_more": .bool(keys.count > limit)])
    }

    /// `POST /api/keys` with `orgs` (or `org`), `name` and any key field: the record with its
    /// secret as `key`, shown this once.
    func createKey(_ body: JSONValue) async throws -> Response {
        let orgs = body["orgs"]?.arrayValue?.compactMap(\.stringValue) ?? body["org"]?.stringValue.map { [$0] } ?? []
        guard !orgs.isEmpty else { throw ProxyError.invalidRequest("`orgs` (a list of org names) is required") }
        let changes = body.removing("orgs").removing("org").removing("name")
        let (token, record) = try await store.createKey(
            name: body["name"]?.stringValue ?? "", orgs: orgs, changes: changes)
        return Self.json(Self.adding(token, to: try await report.json(record)), status: 201)
    }

    /// `/api/orgs/{org}/endpoints[/{name}]`: list (GET), add or replace (POST, `secret` write-only),
    /// remove (DELETE). Secrets are never returned.
    func endpoints(_ request: Request, org: String, name: String?) async throws -> Response {
        switch (request.method, name) {
        case (.get, nil):
            let endpoints = try await store.listEndpoints(org: org)
            return Self.json(["object": "list", "data": .array(endpoints.map(Self.json))])
        case (.post, nil):
            let body = try await Self.body(of: request)
            guard let name = body["name"]?.stringValue, let type = body["type"]?.stringValue,
                let baseURL = body["base_url"]?.stringValue, let secret = body["secret"]?.stringValue, !secret.isEmpty
            else { throw ProxyError.invalidRequest("an endpoint needs `name`, `type`, `base_url` and `secret`") }
            guard body["models"] == nil || body["models"]?.arrayValue != nil else {
                throw ProxyError.invalidRequest("`models` must be a list of model names")
            }
            let options =
                body["options"]?.objectValue?.compactMap { key, value in value.stringValue.map { (key, $0) } } ?? []
            var customModels: [ModelCatalog.Model] = []
            for model in body["custom_models"]?.arrayValue ?? [] {
                guard let id = model["id"]?.stringValue, let format = model["format"]?.stringValue,
                    let flavor = model["flavor"]?.stringValue.flatMap(ModelCatalog.Flavor.init(rawValue:))
                else {
                    throw ProxyError.invalidRequest(
                        "a custom model needs `id`, `format` and `flavor` (chat, completion, embedding, moderation)")
                }
                customModels.append(
                    ModelCatalog.Model(
                        id: id, format: .init(rawValue: format), flavor: flavor,
                        providers: [ProviderKind(rawValue: type)]))
            }
            let endpoint = Endpoint(
                name: name, kind: ProviderKind(rawValue: type), baseURL: baseURL, secret: secret,
                models: body["models"]?.arrayValue?.compactMap(\.stringValue), customModels: customModels,
                options: Dictionary(uniqueKeysWithValues: options))
            try await store.addEndpoint(endpoint, org: org)
            return Self.json(Self.json(endpoint), status: 201)
        case (.get, let name?):
            guard let endpoint = try await store.listEndpoints(org: org).first(where: { $0.name == name }) else {
                throw AdminError.noSuchEndpoint(org: org, name: name)
            }
            return Self.json(Self.json(endpoint))
        case (.delete, let name?):
            guard try await store.removeEndpoint(org: org, name: name) else {
                throw AdminError.noSuchEndpoint(org: org, name: name)
            }
            return Self.json(["org": .string(org), "name": .string(name), "deleted": true])
        case (_, nil): throw ProxyError.methodNotAllowed(request.method.rawValue)
        case (_, .some): throw ProxyError.methodNotAllowed(request.method.rawValue)
        }
    }

    /// An endpoint without its secret.
    static func json(_ endpoint: Endpoint) -> JSONValue {
        .object([
            ("name", .string(endpoint.name)), ("type", .string(endpoint.kind.rawValue)),
            ("base_url", .string(endpoint.baseURL)),
            ("models", endpoint.models.map { .array($0.map(JSONValue.string)) } ?? .null),
            (
                "options",
                .object(endpoint.options.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
            ),
            (
                "custom_models",
                .array(
                    endpoint.customModels.map { model in
                        [
                            "id": .string(model.id), "format": .string(model.format.rawValue),
                            "flavor": .string(model.flavor.rawValue),
                        ]
                    })
            ),
        ])
    }

    /// `GET /api/usage?from=&to=&key_id=&org=&model=&group_by=`: daily rows per key × model (the
    /// last 30 days by default), as `aiproxy usage --json` prints them, or summed by `group_by`.
    func usage(_ request: Request) async throws -> Response {
        var rows = try await report.usage(
            from: request.queryParameter("from"), to: request.queryParameter("to"),
            keyID: request.queryParameter("key_id"),
            org: request.queryParameter("org"), model: request.queryParameter("model"))
        if let groupBy = request.queryParameter("group_by") {
            rows = try Self.grouped(rows, by: groupBy.split(separator: ",").map(String.init))
        }
        return Self.json(["object": "list", "data": .array(rows.map(\.json))])
    }

    /// `group_by=day|key_id|model` (one or several, comma-separated): rows summed over the other
    /// columns, which read `*`.
    static func grouped(_ rows: [UsageRow], by columns: [String]) throws -> [UsageRow] {
        guard !columns.isEmpty, columns.allSatisfy(["day", "key_id", "model"].contains) else {
            throw ProxyError.invalidRequest("`group_by` takes day, key_id and model, comma-separated")
        }
        var groups: [String: UsageRow] = [:]
        var order: [String] = []
        for row in rows {
            let merged = UsageRow(
                day: columns.contains("day") ? row.day : "*", keyID: columns.contains("key_id") ? row.keyID : "*",
                model: columns.contains("model") ? row.model : "*", counters: [:])
            let id = merged.day + "\u{1}" + merged.keyID + "\u{1}" + merged.model
            if groups[id] == nil { order.append(id) }
            var group = groups[id] ?? merged
            for (name, value) in row.counters { group.counters[name, default: 0] += value }
            groups[id] = group
        }
        return order.compactMap { groups[$0] }
    }

    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let text = request.queryParameter("limit") else { return value }
        guard let limit = Int(text), (1...1000).contains(limit) else {
            throw ProxyError.invalidRequest("`limit` must be 1-1000")
        }
        return limit
    }

    /// `GET /api/events?status=&model=&key_id=&cache=&route=&limit=&offset=`: the fleet's recent
    /// calls (their usage events, the last 10,000), newest first, filtered, a page at a time.
    func events(_ request: Request) async throws -> Response {
        guard let log = (store.kv as? any KVCappedLog).map({ EventLog(store: $0) }) else {
            return Self.json(["object": "list", "data": [], "has_more": false])
        }
        var events = try await log.recent()
        for field in ["model", "key_id", "cache", "route"] {
            if let wanted = request.queryParameter(field) {
                events = events.filter { $0[field]?.stringValue == wanted }
            }
        }
        if let status = request.queryParameter("status") {
            guard let code = Int(status) else { throw ProxyError.invalidRequest("`status` must be a number") }
            events = events.filter { $0["status"]?.intValue == code }
        }
        let limit = try Self.limit(request, default: 100)
        guard let offset = Int(request.queryParameter("offset") ?? "0"), offset >= 0 else {
            throw ProxyError.invalidRequest("`offset` must be 0 or more")
        }
        let page = Array(events.dropFirst(offset).prefix(limit))
        return Self.json(["object": "list", "data": .array(page), "has_more": .bool(events.count > offset + limit)])
    }
}
