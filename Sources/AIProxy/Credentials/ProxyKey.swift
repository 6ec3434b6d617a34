public import EdgeRuntime

/// Proxy keys: the `sk-aip-…` tokens the proxy issues, stored only as hashes.
public enum ProxyKey {
    public static let prefix = "sk-aip-"

    /// Whether `token` has the proxy-key shape (anything else is taken as a provider's key).
    public static func isProxyKey(_ token: String) -> Bool { token.hasPrefix(prefix) }

    /// A new random key: the prefix and 32 bytes of base64url.
    public static func generate() -> String { prefix + Base64URL.encode(SecureRandom.bytes(count: 32)) }

    /// The stored form: base64url(SHA-256("aiproxy key v1:" + token)); never the token itself.
    public static func hash(_ token: String) -> String {
        Base64URL.encode(SHA256.hash(Array("aiproxy key v1:\(token)".utf8)))
    }

    /// A short public id for listing and revoking (the hash's first 12 characters).
    public static func id(forHash hash: String) -> String { String(hash.prefix(12)) }
}
