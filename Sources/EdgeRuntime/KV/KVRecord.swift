/// The stored form of one entry (a FileKV file, a RedisKV value): a small header, then the value.
///
/// `AKV1` · key length (UInt32 LE) · key · expiry (Float64 bits LE, NaN = none) ·
/// metadata length (UInt32 LE, 0xFFFFFFFF = none) · metadata · value.
struct KVRecord: Equatable {
    var key: String
    var expires: Double?
    var metadata: String?
    var value: [UInt8]

    static let magic = Array("AKV1".utf8)

    var encoded: [UInt8] {
        var out = Self.magic
        let keyBytes = Array(key.utf8)
        out.append(contentsOf: Self.le32(UInt32(keyBytes.count)))
        out.append(contentsOf: keyBytes)
        out.append(contentsOf: Self.le64((expires ?? .nan).bitPattern))
        if let metadata {
            let bytes = Array(metadata.utf8)
            out.append(contentsOf: Self.le32(UInt32(bytes.count)))
            out.append(contentsOf: bytes)
        } else {
            out.append(contentsOf: Self.le32(.max))
        }
        out.append(contentsOf: value)
        return out
    }

    /// Decodes a record; `nil` for anything that isn't one (a stray or foreign file).
    /// With `headerOnly`, the value is left empty (for listing).
    init?(decoding bytes: [UInt8], headerOnly: Bool = false) {
        var index = 0
        func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, index + count <= bytes.count else { return nil }
            defer { index += count }
            return bytes[index..<(index + count)]
        }
        guard take(4).map(Array.init) == Self.magic, let keyLength = take(4).map(Self.read32),
            let keyBytes = take(Int(keyLength)), let expiryBits = take(8).map(Self.read64),
            let metadataLength = take(4).map(Self.read32)
        else { return nil }
        var metadata: String?
        if metadataLength != .max {
            guard let metadataBytes = take(Int(metadataLength)) else { return nil }
            metadata = String(decoding: metadataBytes, as: UTF8.self)
        }
        let expiry = Double(bitPattern: expiryBits)
        self.key = String(decoding: keyBytes, as: UTF8.self)
        self.expires = expiry.isNaN ? nil : expiry
        self.metadata = metadata
        self.value = headerOnly ? [] : Array(bytes[index...])
    }

    init(key: String, expires: Double?, metadata: String?, value: [UInt8]) {
        self.key = key
        self.expires = expires
        self.metadata = metadata
        self.value = value
    }

    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    private static func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    private static func read32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
    }
    private static func read64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }
}
