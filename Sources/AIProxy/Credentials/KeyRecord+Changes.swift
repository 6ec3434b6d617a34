public import EdgeRuntime

extension KeyRecord {
    /// Fields a change may set, by their JSON names; `null` clears an optional one.
    public static let changeableFields = Set(
        [
            "name", "expires", "ttl", "blocked", "tags", "metadata", "models", "allowed_routes",
        ] + LimitSettings.fields)

    /// The record with `changes` (a JSON object of field names) applied: what the CLI's flags
    /// and the admin API's bodies both turn into, so they validate the same way. `ttl` (seconds)
    /// sets `expires` from `now`.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming the field that is unknown or wrong.
    public func applying(_ changes: JSONValue, now: Double) throws(ProxyError) -> KeyRecord {
        guard let members = changes.objectValue else { throw .invalidRequest("key changes must be a JSON object") }
        var record = self
        for (field, value) in members {
            switch field {
            case "name":
                guard let name = value.stringValue else { throw Self.wrong(field, "a string") }
                record.name = name
            case "expires":
                if value == .null {
                    record.expires = nil
                } else if let text = value.stringValue, let seconds = Self.parseTimestamp(text) {
                    record.expires = seconds
                } else {
                    throw Self.wrong(field, "an RFC 3339 time such as 2027-01-01T00:00:00Z, or null")
                }
            case "ttl":
                guard let seconds = value.intValue, seconds > 0 else {
                    throw Self.wrong(field, "a positive number of seconds")
                }
                record.expires = now + Double(seconds)
            case "blocked":
                guard let blocked = value.boolValue else { throw Self.wrong(field, "true or false") }
                record.blocked = blocked
            case "tags", "models", "allowed_routes":
                guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count
                else {
                    throw Self.wrong(field, "a list of strings")
                }
                if field == "tags" { record.tags = list }
                if field == "models" { record.models = list }
                if field == "allowed_routes" {
                    guard list.allSatisfy({ $0.hasPrefix("/") }) else {
                        throw Self.wrong(field, "paths such as /v1/chat/completions")
                    }
                    record.allowedRoutes = list
                }
            case "metadata":
                guard value == .null || value.objectValue != nil else { throw Self.wrong(field, "a JSON object") }
                record.metadata = value == .null ? .object([]) : value
            case _ where LimitSettings.fields.contains(field):
                try record.limits.set(field, to: value)
            default:
                throw .invalidRequest(
                    "`\(field)` is not a key field (known: \(Self.changeableFields.sorted().joined(separator: ", ")))")
            }
        }
        return record
    }

    private static func wrong(_ field: String, _ expected: String) -> ProxyError {
        LimitSettings.wrong(field, expected)
    }
}
