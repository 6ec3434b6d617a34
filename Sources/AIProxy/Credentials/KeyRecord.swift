/// What the control store keeps for a proxy key: its id, a label and the orgs it may use.
public struct KeyRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var orgs: [String]
    /// Unix seconds.
    public var createdAt: Double

    public init(id: String, name: String, orgs: [String], createdAt: Double) {
        self.id = id
        self.name = name
        self.orgs = orgs
        self.createdAt = createdAt
    }

    var json: JSONValue {
        ["id": .string(id), "name": .string(name), "orgs": .array(orgs.map(JSONValue.string)), "created_at": .number(createdAt)]
    }

    init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue,
            let orgs = json["orgs"]?.arrayValue?.compactMap(\.stringValue), let createdAt = json["created_at"]?.doubleValue
        else { return nil }
        self.init(id: id, name: name, orgs: orgs, createdAt: createdAt)
    }
}
