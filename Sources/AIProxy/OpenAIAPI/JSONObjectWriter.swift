/// Receives a JSON object's members one by one, typed: a record that lists its fields once
/// (``UsageEvent/write(to:)``) can be built as a ``JSONValue`` or written straight to bytes.
/// Member names are plain ASCII, written without escaping.
protocol JSONObjectSink {
    mutating func add(_ name: StaticString, _ text: String?)
    mutating func add(_ name: StaticString, _ count: Int?)
    mutating func add(_ name: StaticString, _ flag: Bool)
    /// `units` × 10⁻`scale` in exact digits (``JSONValue/decimal(_:scale:minimumFractionDigits:)``).
    mutating func add(_ name: StaticString, units: Int64?, scale: Int, minimumFractionDigits: Int)
    mutating func add(_ name: StaticString, _ value: JSONValue)
}

/// A JSON object written member by member straight into compact bytes, with no ``JSONValue`` in
/// between — for the line every call logs, where building the value first cost ~20,000
/// instructions a call.
struct JSONObjectWriter: JSONObjectSink {
    private(set) var bytes: [UInt8]

    init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// The object, closed.
    consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    mutating func add(_ name: StaticString, _ text: String?) {
        member(name)
        guard let text else { return null() }
        JSONValue.writeString(text, to: &bytes)
    }

    mutating func add(_ name: StaticString, _ count: Int?) {
        member(name)
        guard let count else { return null() }
        digits(Int64(count), scale: 0, minimumFractionDigits: 0)
    }

    mutating func add(_ name: StaticString, _ flag: Bool) {
        member(name)
        bytes.append(contentsOf: flag ? Self.true : Self.false)
    }

    mutating func add(_ name: StaticString, units: Int64?, scale: Int, minimumFractionDigits: Int) {
        member(name)
        guard let units else { return null() }
        digits(units, scale: scale, minimumFractionDigits: minimumFractionDigits)
    }

    mutating func add(_ name: StaticString, _ value: JSONValue) {
        member(name)
        value.write(to: &bytes, sortKeys: false)
    }

    private static let `true` = Array("true".utf8)
    private static let `false` = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)

    private mutating func null() { bytes.append(contentsOf: Self.nullBytes) }

    /// `,"name":` (no comma before the first member).
    private mutating func member(_ name: StaticString) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func digits(_ units: Int64, scale: Int, minimumFractionDigits: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: JSONValue.decimalCapacity(scale: scale)) { buffer in
            let count = JSONValue.writeDecimal(
                units, scale: scale, minimumFractionDigits: minimumFractionDigits, into: buffer)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }
}

/// The members as a ``JSONValue`` object's, in order.
struct JSONMemberList: JSONObjectSink {
    private(set) var members: [(String, JSONValue)] = []

    mutating func add(_ name: StaticString, _ text: String?) { add(name, text.map(JSONValue.string) ?? .null) }
    mutating func add(_ name: StaticString, _ count: Int?) { add(name, count.map { JSONValue.number($0) } ?? .null) }
    mutating func add(_ name: StaticString, _ flag: Bool) { add(name, .bool(flag)) }
    mutating func add(_ name: StaticString, units: Int64?, scale: Int, minimumFractionDigits: Int) {
        add(name, units.map { .decimal($0, scale: scale, minimumFractionDigits: minimumFractionDigits) } ?? .null)
    }
    mutating func add(_ name: StaticString, _ value: JSONValue) { members.append((String(describing: name), value)) }
}
