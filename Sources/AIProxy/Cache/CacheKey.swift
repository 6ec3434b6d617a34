public import EdgeRuntime

/// Where a response is cached and the key that encrypts it (DESIGN §6).
///
/// The request id is an HMAC-SHA256, keyed by the caller's scope secret (its API key, or its org's
/// shared scope: ``Credentials/cacheScopeSecret(token:)``), over the path, the canonical JSON body,
/// the org and the pinned endpoint, so key order and whitespace don't matter and a caller outside
/// the scope can neither find nor read the entry. The storage key is a hash
/// of the request id; the AES key comes from HKDF(scope secret, salt: request id).
public struct CacheKey: Sendable, Equatable {
    public static let prefix = "aiproxy/cache/v1:"

    /// The KV key: `aiproxy/cache/v1:` + base64url(SHA-256(request id)).
    public let storageKey: String
    /// The storage key's first hash characters: names an entry in an error or a log without revealing anything.
    public var hashPrefix: String { String(storageKey.dropFirst(Self.prefix.count).prefix(12)) }
    /// AES-256-GCM key for this entry.
    let encryptionKey: [UInt8]

    /// - Throws: `OpenSSLError` if key derivation fails (a broken OpenSSL, not bad input).
    public init(scopeSecret: String, path: String, canonicalBody: [UInt8], org: String?, endpointName: String?) throws {
        var message: [UInt8] = []
        // Length-prefixed fields: no two different inputs concatenate to the same bytes.
        for field in [Array(path.utf8), canonicalBody, Array((org ?? "").utf8), Array((endpointName ?? "").utf8)] {
            message.append(contentsOf: Array(String(field.count).utf8))
            message.append(UInt8(ascii: ":"))
            message.append(contentsOf: field)
        }
        let secret = Array(scopeSecret.utf8)
        let requestID = HMACSHA256.authenticationCode(for: message, key: secret)
        storageKey = Self.prefix + Base64URL.encode(SHA256.hash(requestID))
        encryptionKey = try HKDFSHA256.deriveKey(
            inputKeyMaterial: secret, salt: requestID, info: Array("aiproxy cache v1".utf8), outputByteCount: 32)
    }
}
