/// The rules every backend applies to keys, TTLs and list arguments, so they fail alike.
enum KVKeyRules {
    /// Workers KV's key limit.
    static let maxKeyBytes = 512

    static func validate(_ key: String) throws(KVError) {
        guard !key.isEmpty else { throw KVError(code: .invalidKey, message: "key is empty") }
        guard key.utf8.count <= maxKeyBytes else {
            throw KVError(code: .invalidKey, message: "key is longer than \(maxKeyBytes) bytes")
        }
    }

    /// The expiry time for a TTL, in Unix seconds; `nil` for no expiry.
    static func expiry(_ ttl: Duration?, now: Double) throws(KVError) -> Double? {
        guard let ttl else { return nil }
        let (seconds, attoseconds) = ttl.components
        let total = Double(seconds) + Double(attoseconds) / 1e18
        guard total > 0 else { throw KVError(code: .invalidArgument, message: "expirationTTL must be positive") }
        return now + total
    }

    static func validateList(limit: Int) throws(KVError) {
        guard limit > 0 else { throw KVError(code: .invalidArgument, message: "list limit must be positive") }
    }

    /// Cursors are the last key of the previous page, base64url-encoded so they're opaque text.
    static func cursor(after key: String) -> String { Base64URL.encode(Array(key.utf8)) }

    static func key(fromCursor cursor: String?) throws(KVError) -> String? {
        guard let cursor else { return nil }
        guard let bytes = Base64URL.decode(cursor) else { throw KVError(code: .invalidArgument, message: "invalid list cursor") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A byte prefix: `String.hasPrefix` compares characters, so "cafe" wouldn't prefix "cafe\u{301}".
    static func hasPrefix(_ key: String, _ prefix: String) -> Bool { key.utf8.starts(with: prefix.utf8) }

    /// UTF-8 byte order, as Workers KV lists.
    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
