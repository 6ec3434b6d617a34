/// A TOML table: keys in the order the file defines them, each with its value.
public struct TOMLTable: Sendable, Equatable {
    /// The keys, in definition order (so errors about them come out in file order).
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    /// An empty table.
    public init() {}

    /// The value under `key`, or `nil`.
    public subscript(key: String) -> TOMLValue? { values[key] }

    /// Number of keys.
    public var count: Int { keys.count }

    /// Keys and values in definition order.
    public var entries: [(key: String, value: TOMLValue)] { keys.map { ($0, values[$0]!) } }

    /// Adds or replaces `key` (the parser rejects duplicates before calling this).
    mutating func set(_ key: String, _ value: TOMLValue) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }
}
