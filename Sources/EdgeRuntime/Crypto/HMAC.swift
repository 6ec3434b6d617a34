internal import COpenSSL

/// HMAC-SHA256 (RFC 2104), for signing tokens and keyed hashes of secrets.
public enum HMACSHA256 {
    /// Length of an authentication code in bytes.
    public static let byteCount = 32

    /// The 32-byte HMAC-SHA256 of `message` under `key` (any key length, including empty).
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        do {
            return try compute(message, key: key)
        } catch {
            // In-memory HMAC cannot fail unless libcrypto itself is broken (no default provider, OOM).
            preconditionFailure("invariant: HMAC-SHA256 from libcrypto's default provider works: \(error)")
        }
    }

    /// The construction is the shim's (`COpenSSL_hmac_sha256`) over the SHA-256 fetched once:
    /// `EVP_MAC` would fetch the digest by name on every call.
    private static func compute(_ message: [UInt8], key: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        let md = try OpenSSLAlgorithms.sha256.get().pointer
        var code = [UInt8](repeating: 0, count: byteCount)
        let result = key.withUnsafeBufferPointer { key in
            message.withUnsafeBufferPointer { message in
                COpenSSL_hmac_sha256(
                    md, key.baseAddress, key.count, message.baseAddress, message.count, nil, 0, nil, 0, &code)
            }
        }
        try openSSLCall(result, where: "HMAC-SHA256")
        return code
    }
}
