/// HTTP header fields: case-insensitive names, multiple values per name, order kept.
///
/// ```swift
/// var headers: Headers = ["content-type": "application/json"]
/// headers.add("set-cookie", "a=1")
/// headers["Content-Type"]  // "application/json"
/// ```
public struct Headers: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    /// One header line as received or to be sent.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// Whether the field is named `name` (ASCII case-insensitive, as header names compare).
        public func hasName(_ name: String) -> Bool { Headers.equal(self.name, name) }

        /// Whether the field's name is one of `names` (lowercase ASCII), with no allocation.
        public func hasName(in names: [String]) -> Bool { names.contains { Headers.equal(self.name, $0) } }
    }

    private var fields: [Field] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value for `name` (case-insensitive); setting replaces every value, `nil` removes them.
    public subscript(name: String) -> String? {
        get { fields.first { Self.equal($0.name, name) }?.value }
        set {
            if let newValue { set(name, newValue) } else { remove(name) }
        }
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.equal($0.name, name) }.map(\.value)
    }

    /// The fields whose names are in `names` (lowercase ASCII), in their order: one pass.
    public func selecting(_ names: [String]) -> Headers {
        var selected = Headers()
        for field in fields where field.hasName(in: names) { selected.fields.append(field) }
        return selected
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.equal($0.name, name) }
    }

    /// Appends a value, keeping existing ones (for `set-cookie`-style fields).
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every value of `name` with `value`.
    public mutating func set(_ name: String, _ value: String) {
        guard let index = fields.firstIndex(where: { Self.equal($0.name, name) }) else {
            fields.append(Field(name: name, value: value))
            return
        }
        fields[index].value = value
        let tail = fields[(index + 1)...].filter { !Self.equal($0.name, name) }
        fields.replaceSubrange((index + 1)..., with: tail)
    }

    /// Removes every value of `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.equal($0.name, name) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// ASCII case-insensitive comparison; header names are ASCII tokens (RFC 9110 §5.1).
    static func equal(_ a: String, _ b: String) -> Bool {
        // Most comparisons in a lookup are against other names: their lengths differ.
        guard a.utf8.count == b.utf8.count else { return false }
        var ai = a.utf8.makeIterator()
        var bi = b.utf8.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil): return true
            case (let x?, let y?):
                if x == y { continue }
                if x | 0x20 != y | 0x20 { return false }
                let lower = x | 0x20
                if lower < UInt8(ascii: "a") || lower > UInt8(ascii: "z") { return false }
            default: return false
            }
        }
    }
}
