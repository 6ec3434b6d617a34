public import EdgeRuntime

/// Turns the presented token into ``Credentials``.
///
/// A proxy key (`sk-aip-…`) is looked up in the control store, through the in-process
/// ``CredentialCache`` unless `x-bt-use-creds-cache: never`; `x-bt-org-name` picks one of its
/// orgs. Any other token is a provider's own key, used directly against the provider that
/// serves the model, at that provider's default (or configured) base URL.
public struct CredentialResolver: Sendable {
    public let store: ControlStore?
    public let cache: CredentialCache
    public let catalog: ModelCatalog
    /// Base URL per provider type for provider keys used directly.
    public let providerBaseURLs: [ProviderKind: String]

    public init(
        store: ControlStore?, cache: CredentialCache, catalog: ModelCatalog, providerBaseURLs: [ProviderKind: String]
    ) {
        self.store = store
        self.cache = cache
        self.catalog = catalog
        self.providerBaseURLs = providerBaseURLs
    }

    /// The bearer token or `x-api-key`, or `nil`.
    public static func token(in headers: Headers) -> String? {
        if let authorization = headers["authorization"] {
            // "Bearer <token>", the scheme case-insensitive (RFC 9110 §11.1); scanned as bytes.
            let utf8 = authorization.utf8
            if utf8.count > 7, utf8.prefix(6).elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }),
                utf8.dropFirst(6).first == 0x20
            {
                let token = Substring(utf8.dropFirst(7)).trimmingSpacesAndTabs
                if !token.isEmpty { return token }
            }
        }
        if let key = headers["x-api-key"]?.trimmingSpacesAndTabs, !key.isEmpty { return key }
        return nil
    }

    /// - Throws: ``ProxyError`` — 401 without a valid key, 403 for an org the key lacks, 400 for a
    ///   bad `x-bt-use-creds-cache`, 503 when the control store can't be read.
    public func resolve(headers: Headers, model: String?) async throws -> Credentials {
        guard let token = Self.token(in: headers) else { throw ProxyError.missingAPIKey }
        return try await resolve(token: token, headers: headers, model: model)
    }

    /// As ``resolve(headers:model:)``, for a token the caller already read from `headers`.
    public func resolve(token: String, headers: Headers, model: String?) async throws -> Credentials {
        let mode = headers["x-bt-use-creds-cache"]?.trimmingSpacesAndTabs.lowercased() ?? "auto"
        guard ["auto", "always", "never"].contains(mode) else {
            throw ProxyError.invalidHeader(name: "x-bt-use-creds-cache", reason: "expected auto, always or never")
        }
        guard ProxyKey.isProxyKey(token) else { return try direct(token: token, model: model) }

        let org = headers["x-bt-org-name"]?.trimmingSpacesAndTabs
        if mode != "never", let cached = cache.get(token: token, org: org) { return cached }
        guard let store else { throw ProxyError.invalidAPIKey }
        let credentials: Credentials
        do {
            guard let record = try await store.key(forToken: token) else { throw ProxyError.invalidAPIKey }
            let chosen = org ?? record.orgs.first
            guard let chosen, record.orgs.contains(chosen) else { throw ProxyError.unknownOrg(org ?? "") }
            let orgRecord = try await store.org(chosen)
            credentials = Credentials(
                org: chosen, endpoints: try await store.endpoints(org: chosen), isProxyKey: true, key: record,
                orgLimits: orgRecord.limits, orgCacheSecret: store.orgCacheSecret(of: orgRecord))
        } catch let error as ProxyError {
            throw error
        } catch {
            // The store is down or failing fast: a key this instance resolved lately still works
            // (unless the caller asked for a fresh read).
            if mode != "never", let stale = cache.get(token: token, org: org, stale: true) { return stale }
            throw ProxyError.controlStoreUnavailable
        }
        cache.put(credentials, token: token, org: org)
        return credentials
    }

    /// A provider key used as is: one endpoint per provider type that serves the model.
    private func direct(token: String, model: String?) throws -> Credentials {
        let kinds: [ProviderKind]
        if let model {
            guard let entry = catalog.model(model) else { throw ProxyError.unknownModel(model) }
            kinds = entry.providers
        } else {
            kinds = [.openai]
        }
        // A provider key belongs to one provider; the first one with a known base URL is it.
        guard let kind = kinds.first(where: { providerBaseURLs[$0] != nil }), let baseURL = providerBaseURLs[kind]
        else {
            throw ProxyError.noEndpoint(model: model ?? "")
        }
        return Credentials(
            org: nil, endpoints: [Endpoint(name: kind.rawValue, kind: kind, baseURL: baseURL, secret: token)],
            isProxyKey: false)
    }
}
