/// A JSON document as a value: what the proxy reads from request bodies and forwards.
///
/// Numbers keep their literal text, so forwarding a body never changes `1.0` into `1` and the
/// canonical form used for cache keys depends only on the document, not on float formatting.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as its JSON literal (`0`, `-1.5`, `1e-3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate names keep the last value (as most parsers do).
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y || (Double(x) != nil && Double(x) == Double(y))
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member `name` of an object (last one wins), or `nil`.
    public subscript(name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == name }?.1
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The number as an `Int`, if this is an integral number.
    public var intValue: Int? {
        if case .number(let text) = self {
            return Int(text) ?? Double(text).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
        }
        return nil
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// A copy of this object with `name` set to `value` (replacing every member of that name).
    public func setting(_ name: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == name }) {
            members[index].1 = value
            members = members.enumerated().filter { $0.offset == index || $0.element.0 != name }.map(\.element)
        } else {
            members.append((name, value))
        }
        return .object(members)
    }

    /// A copy of this object without `name`.
    public func removing(_ name: String) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.0 != name })
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }

    /// A number from a `Double` (integral values are written without a fraction).
    public static func number(_ value: Double) -> JSONValue {
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int(value))) }
        return .number(String(value))
    }

    /// A number from an `Int`.
    public static func number(_ value: Int) -> JSONValue { .number(String(value)) }

    /// `units` × 10⁻`scale` as a JSON number with exact digits, trailing fraction zeros dropped
    /// down to `minimumFractionDigits`: `decimal(1500, scale: 3)` is `1.5`, `decimal(2000,
    /// scale: 3)` is `2`. Computed, not formatted through `Double`: log lines carry several.
    public static func decimal(_ units: Int64, scale: Int, minimumFractionDigits: Int = 0) -> JSONValue {
        .number(
            String(unsafeUninitializedCapacity: decimalCapacity(scale: scale)) { out in
                writeDecimal(units, scale: scale, minimumFractionDigits: minimumFractionDigits, into: out)
            })
    }

    /// The bytes ``writeDecimal(_:scale:minimumFractionDigits:into:)`` may need.
    static func decimalCapacity(scale: Int) -> Int { 22 + scale }

    /// ``decimal(_:scale:minimumFractionDigits:)``'s digits written into `out` (at least
    /// ``decimalCapacity(scale:)`` bytes); returns how many.
    static func writeDecimal(
        _ units: Int64, scale: Int, minimumFractionDigits: Int, into out: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let whole = units.magnitude / divisor
        var fraction = units.magnitude % divisor
        var digits = scale
        while digits > minimumFractionDigits && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var end = 0
        if units < 0 {
            out[end] = UInt8(ascii: "-")
            end += 1
        }
        var wholeDigits = 1
        var rest = whole / 10
        while rest > 0 {
            wholeDigits += 1
            rest /= 10
        }
        rest = whole
        for index in stride(from: end + wholeDigits - 1, through: end, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        end += wholeDigits
        guard digits > 0 else { return end }
        out[end] = UInt8(ascii: ".")
        for index in stride(from: end + digits, through: end + 1, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        return end + 1 + digits
    }
}
