import EdgeRuntime

extension ControlStore {
    static let orgPrefix = "aiproxy/orgs/v1:"

    /// The org's record (limits, shared cache); an org never changed has none of either.
    public func org(_ name: String) async throws -> OrgRecord {
        OrgRecord(name: name, json: try await kv.get(Self.orgPrefix + name).flatMap { try? JSONValue(parsing: $0) })
    }

    /// The org's limits (``LimitSettings``; empty when none were set).
    public func orgLimits(org: String) async throws -> LimitSettings {
        try await self.org(org).limits
    }

    /// Applies `changes` to the org and stores it: limit fields by their JSON names (`null` clears
    /// one) and `shared_cache`. `true` gives the org a fresh random cache secret, sealed with the
    /// master key (kept when it already has one that opens), so its proxy keys share cache entries;
    /// `false` deletes the secret, and with it the way to find or open the entries shared so far —
    /// turning it on again starts from an empty shared cache. Takes effect on each instance within
    /// its credential cache's TTL.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming the field that is unknown or wrong, or
    ///   when `shared_cache: true` is asked without `AIPROXY_MASTER_KEY`.
    public func updateOrg(_ name: String, changes: JSONValue) async throws -> OrgRecord {
        guard Self.isValidName(name) else {
            throw ProxyError.invalidRequest("org names must be 1-64 letters, digits, '-', '_' or '.'")
        }
        guard let members = changes.objectValue else {
            throw ProxyError.invalidRequest("org changes must be a JSON object")
        }
        var record = try await org(name)
        for (field, value) in members {
            switch field {
            case "shared_cache":
                guard let shared = value.boolValue else {
                    throw ProxyError.invalidRequest("`shared_cache` must be true or false")
                }
                if !shared {
                    record.sealedCacheSecret = nil
                } else if orgCacheSecret(of: record) == nil {
                    record.sealedCacheSecret = try seal(
                        SecureRandom.bytes(count: 32), context: Self.cacheSecretContext(org: name))
                }
            case _ where LimitSettings.fields.contains(field):
                try record.limits.set(field, to: value)
            default:
                throw ProxyError.invalidRequest(
                    "`\(field)` is not an org field (known: \(OrgRecord.changeableFields.joined(separator: ", ")))")
            }
        }
        try await kv.put(Self.orgPrefix + name, record.storedJSON.serialized)
        return record
    }

    /// The org's shared-cache secret, opened; `nil` when it has none or it can't be opened (no
    /// master key, or another one), so its keys then each cache for themselves.
    public func orgCacheSecret(of record: OrgRecord) -> [UInt8]? {
        record.sealedCacheSecret.flatMap { open($0, context: Self.cacheSecretContext(org: record.name)) }
    }

    /// The additional data an org's cache secret is sealed with: its record's KV key and what it is,
    /// so a sealed secret can't be moved to another org or read as something else.
    private static func cacheSecretContext(org: String) -> String { orgPrefix + org + "#cache_secret" }
}
