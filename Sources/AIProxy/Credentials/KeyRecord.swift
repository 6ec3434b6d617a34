public import EdgeRuntime
import FoundationEssentials

/// What the control store keeps for a proxy key: who it is, what it may call, and its limits.
///
/// Field names on the wire are LiteLLM's (`key_id`, `rpm_limit`, `max_parallel_requests`, …), so
/// operators' habits carry over; the CLI and (later) the admin API read and change records through
/// the same JSON (``json`` and ``applying(_:now:)``). A key without limits is unlimited.
public struct KeyRecord: Sendable, Equatable {
    /// Stable and public: survives rotation; never the token or its hash.
    public var id: String
    public var name: String
    public var orgs: [String]
    /// Unix seconds.
    public var createdAt: Double
    /// Unix seconds after which the key is refused (401), or `nil`.
    public var expires: Double?
    /// A blocked key is refused (401) until unblocked.
    public var blocked = false
    public var tags: [String] = []
    /// Free JSON the operator keeps with the key (an object).
    public var metadata: JSONValue = .object([])
    /// Models the key may call; empty: every model its orgs' endpoints serve.
    public var models: [String] = []
    /// Routes the key may call (`/v1/chat/completions`); empty: all.
    public var allowedRoutes: [String] = []
    /// Its rate, token, concurrency and spend limits.
    public var limits = LimitSettings()

    public init(id: String, name: String, orgs: [String], createdAt: Double) {
        self.id = id
        self.name = name
        self.orgs = orgs
        self.createdAt = createdAt
    }

    /// Whether the key has any limit the relay must check with the limits binding.
    public var hasLimits: Bool { !limits.isEmpty }

    /// The record as stored and shown (`keys get --json`).
    public var json: JSONValue {
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        var members: [(String, JSONValue)] = [
            ("key_id", .string(id)), ("name", .string(name)), ("orgs", strings(orgs)),
        ]
        members.append(("created_at", .string(Self.timestamp(createdAt))))
        members.append(("expires", expires.map { JSONValue.string(Self.timestamp($0)) } ?? .null))
        members.append(("blocked", .bool(blocked)))
        members.append(("tags", strings(tags)))
        members.append(("metadata", metadata))
        members.append(("models", strings(models)))
        members.append(("allowed_routes", strings(allowedRoutes)))
        members += limits.jsonMembers
        return .object(members)
    }

    /// Reads a stored record; records written before limits existed (`id`, numeric `created_at`)
    /// read as keys without limits.
    init?(json: JSONValue) {
        guard let id = json["key_id"]?.stringValue ?? json["id"]?.stringValue, let name = json["name"]?.stringValue,
            let orgs = json["orgs"]?.arrayValue?.compactMap(\.stringValue),
            let createdAt = json["created_at"]?.doubleValue
                ?? json["created_at"]?.stringValue.flatMap(Self.parseTimestamp)
        else { return nil }
        self.init(id: id, name: name, orgs: orgs, createdAt: createdAt)
        guard
            let limited = try? applying(
                json.removing("key_id").removing("id").removing("name").removing("orgs").removing("created_at"),
                now: createdAt)
        else { return nil }
        self = limited
    }

    /// `2027-01-01T00:00:00Z`.
    static func timestamp(_ seconds: Double) -> String { UTCDate(unixSeconds: seconds).iso8601 }

    static func parseTimestamp(_ text: String) -> Double? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date.timeIntervalSince1970 }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))?.timeIntervalSince1970
    }
}
