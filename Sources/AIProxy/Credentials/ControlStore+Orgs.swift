public import EdgeRuntime

extension ControlStore {
    static let orgPrefix = "aiproxy/orgs/v1:"

    /// The org's limits (``LimitSettings``; empty when none were set).
    public func orgLimits(org: String) async throws -> LimitSettings {
        guard let bytes = try await kv.get(Self.orgPrefix + org), let json = try? JSONValue(parsing: bytes) else {
            return LimitSettings()
        }
        var limits = LimitSettings()
        for field in LimitSettings.fields {
            if let value = json[field] { try? limits.set(field, to: value) }
        }
        return limits
    }

    /// Applies `changes` (limit fields by their JSON names, `null` clears one) to the org's
    /// limits and stores them. Takes effect on each instance within its credential cache's TTL.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming the field that is unknown or wrong.
    public func updateOrgLimits(org: String, changes: JSONValue) async throws -> LimitSettings {
        guard Self.isValidName(org) else {
            throw ProxyError.invalidRequest("org names must be 1-64 letters, digits, '-', '_' or '.'")
        }
        guard let members = changes.objectValue else {
            throw ProxyError.invalidRequest("org changes must be a JSON object")
        }
        var limits = try await orgLimits(org: org)
        for (field, value) in members { try limits.set(field, to: value) }
        try await kv.put(
            Self.orgPrefix + org, JSONValue.object([("org", .string(org))] + limits.jsonMembers).serialized)
        return limits
    }
}
