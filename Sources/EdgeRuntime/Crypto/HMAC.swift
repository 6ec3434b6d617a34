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

    private static func compute(_ message: [UInt8], key: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        let mac = try OpenSSLAlgorithms.hmac.get().pointer
        let context = try openSSLCall(EVP_MAC_CTX_new(mac), where: "EVP_MAC_CTX_new")
        defer { EVP_MAC_CTX_free(context) }
        try key.withUnsafeBufferPointer { key throws(OpenSSLError) in
            try openSSLCall(
                COpenSSL_MAC_init_hmac_sha256(context, key.baseAddress, key.count), where: "EVP_MAC_init")
        }
        try message.withUnsafeBufferPointer { message throws(OpenSSLError) in
            if !message.isEmpty {
                try openSSLCall(EVP_MAC_update(context, message.baseAddress, message.count), where: "EVP_MAC_update")
            }
        }
        var code = [UInt8](repeating: 0, count: byteCount)
        var length = 0
        try openSSLCall(EVP_MAC_final(context, &code, &length, code.count), where: "EVP_MAC_final")
        return code
    }
}
