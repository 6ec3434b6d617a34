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
        public var name: String {
            didSet { key = Headers.lowercasedASCII(name) }
        }
        public var value: String
        /// The name in ASCII lowercase, made once: every lookup compares it with `==` (two machine
        /// words for the short names most headers have), not byte by byte case-insensitively.
        private(set) var key: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
            key = Headers.lowercasedASCII(name)
        }

        /// A field received as bytes: the key is made from them in the same pass.
        init(nameBytes: UnsafeRawBufferPointer, valueBytes: UnsafeRawBufferPointer) {
            name = String(decoding: nameBytes, as: UTF8.self)
            value = String(decoding: valueBytes, as: UTF8.self)
            if nameBytes.contains(where: { $0 &- UInt8(ascii: "A") < 26 }) {
                key = String(unsafeUninitializedCapacity: nameBytes.count) { out in
                    for (index, byte) in nameBytes.enumerated() {
                        out[index] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                    }
                    return nameBytes.count
                }
            } else {
                key = name
            }
        }

        /// Whether the field is named `name` (ASCII case-insensitive, as header names compare).
        public func hasName(_ name: String) -> Bool { Headers.sameKey(key, Headers.lowercasedASCII(name)) }

        /// Whether the field's name is one of `names`, which must be lowercase.
        public func hasName(in names: [String]) -> Bool { names.contains { Headers.sameKey(key, $0) } }
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
        get {
            let key = Self.lowercasedASCII(name)
            return fields.first { Self.sameKey($0.key, key) }?.value
        }
        set {
            if let newValue { set(name, newValue) } else { remove(name) }
        }
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        let key = Self.lowercasedASCII(name)
        return fields.filter { Self.sameKey($0.key, key) }.map(\.value)
    }

    /// The fields whose names are in `names` (lowercase ASCII), in their order: one pass.
    public func selecting(_ names: [String]) -> Headers { keeping { $0.hasName(in: names) } }

    /// The fields whose names are not in `names` (lowercase ASCII), in their order: one pass.
    public func excluding(_ names: [String]) -> Headers { keeping { !$0.hasName(in: names) } }

    /// The fields `isKept` accepts, each as it is (its lowercased name is not made again).
    private func keeping(_ isKept: (Field) -> Bool) -> Headers {
        var kept = Headers()
        for field in fields where isKept(field) {
            kept.reserveOnFirstField()
            kept.fields.append(field)
        }
        return kept
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        let key = Self.lowercasedASCII(name)
        return fields.contains { Self.sameKey($0.key, key) }
    }

    /// Appends a value, keeping existing ones (for `set-cookie`-style fields).
    public mutating func add(_ name: String, _ value: String) {
        reserveOnFirstField()
        fields.append(Field(name: name, value: value))
    }

    /// Appends a field received as bytes (a request's head, an upstream's): ASCII name, value
    /// already trimmed and checked by the parser.
    mutating func add(nameBytes: UnsafeRawBufferPointer, valueBytes: UnsafeRawBufferPointer) {
        reserveOnFirstField()
        fields.append(Field(nameBytes: nameBytes, valueBytes: valueBytes))
    }

    /// A head has a dozen fields or so: one allocation for them, not one per doubling.
    private mutating func reserveOnFirstField() {
        if fields.isEmpty { fields.reserveCapacity(12) }
    }

    /// Replaces every value of `name` with `value`.
    public mutating func set(_ name: String, _ value: String) {
        let key = Self.lowercasedASCII(name)
        guard let index = fields.firstIndex(where: { Self.sameKey($0.key, key) }) else {
            reserveOnFirstField()
            fields.append(Field(name: name, value: value))
            return
        }
        fields[index].value = value
        if fields[(index + 1)...].contains(where: { Self.sameKey($0.key, key) }) {
            let tail = fields[(index + 1)...].filter { !Self.sameKey($0.key, key) }
            fields.replaceSubrange((index + 1)..., with: tail)
        }
    }

    /// Removes every value of `name`.
    public mutating func remove(_ name: String) {
        let key = Self.lowercasedASCII(name)
        fields.removeAll { Self.sameKey($0.key, key) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// `name` with ASCII letters lowered (header names are ASCII tokens, RFC 9110 §5.1); the same
    /// string, with no copy, when it has no uppercase letter. Works on the contiguous UTF-8.
    static func lowercasedASCII(_ name: String) -> String {
        var name = name
        let hasUppercase = name.withUTF8 { bytes in bytes.contains { $0 &- UInt8(ascii: "A") < 26 } }
        guard hasUppercase else { return name }
        return name.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { out in
                for index in bytes.indices {
                    let byte = bytes[index]
                    out[index] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                }
                return bytes.count
            }
        }
    }

    /// Whether two lowercased names are the same: lengths first, since most differ there and
    /// `==` on unequal strings takes its slow path.
    @inline(__always) static func sameKey(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }
}
