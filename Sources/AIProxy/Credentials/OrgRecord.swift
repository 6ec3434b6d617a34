/// What the control store keeps for an org (`aiproxy/orgs/v1:<org>`): the limits every call of
/// its keys must pass too, and — when the org opted in to a shared cache — its cache secret,
/// sealed under `AIPROXY_MASTER_KEY` (``ControlStore/orgCacheSecret(of:)`` opens it).
public struct OrgRecord: Sendable, Equatable {
    /// Fields a change may set, by their JSON names: the limits and `shared_cache` (true or false).
    public static let changeableFields = LimitSettings.fields + ["shared_cache"]

    public let name: String
    public var limits = LimitSettings()
    /// The shared-cache secret as stored: base64url of its AES-GCM box; `nil` when each key
    /// caches for itself. Never shown.
    var sealedCacheSecret: String?

    /// Whether the org's proxy keys share cache entries.
    public var sharesCache: Bool { sealedCacheSecret != nil }

    public init(name: String) { self.name = name }

    /// Reads a stored record; unknown or unreadable fields are ignored (an org without a record
    /// has no limits and no shared cache).
    init(name: String, json: JSONValue?) {
        self.name = name
        guard let json else { return }
        for field in LimitSettings.fields {
            if let value = json[field] { try? limits.set(field, to: value) }
        }
        sealedCacheSecret = json["cache_secret_sealed"]?.stringValue
    }

    /// The stored form: the shown fields without `shared_cache`, and the sealed secret.
    var storedJSON: JSONValue {
        .object(
            [("org", .string(name))] + limits.jsonMembers
                + (sealedCacheSecret.map { [("cache_secret_sealed", JSONValue.string($0))] } ?? []))
    }

    /// The record as shown (`orgs get`, `GET /api/orgs/{org}`): limits and `shared_cache`,
    /// never the secret.
    public var json: JSONValue {
        .object([("org", .string(name))] + limits.jsonMembers + [("shared_cache", .bool(sharesCache))])
    }
}
