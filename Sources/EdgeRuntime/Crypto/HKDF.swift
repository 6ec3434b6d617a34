internal import COpenSSL

/// HKDF with SHA-256 (RFC 5869), for deriving per-purpose keys from one secret.
public enum HKDFSHA256 {
    /// Derives `outputByteCount` bytes (1...8160, i.e. 255 × 32) by HKDF extract-then-expand.
    /// - Parameters:
    ///   - inputKeyMaterial: The secret to derive from.
    ///   - salt: Optional non-secret randomness; empty means RFC 5869's all-zero salt.
    ///   - info: Context that binds the output to one purpose (e.g. `"cache-v1"`).
    ///   - outputByteCount: How many bytes to produce.
    /// - Throws: ``OpenSSLError`` `.invalidArgument` for an out-of-range length, `.library` if libcrypto fails.
    public static func deriveKey(
        inputKeyMaterial: [UInt8], salt: [UInt8] = [], info: [UInt8] = [], outputByteCount: Int
    ) throws(OpenSSLError) -> [UInt8] {
        guard (1...255 * SHA256.byteCount).contains(outputByteCount) else {
            throw OpenSSLError(
                code: .invalidArgument, message: "HKDF output length \(outputByteCount) is outside 1...8160")
        }
        // The shim's extract-then-expand over the SHA-256 fetched once (`EVP_KDF` fetches the
        // digest by name on every call).
        let md = try OpenSSLAlgorithms.sha256.get().pointer
        var output = [UInt8](repeating: 0, count: outputByteCount)
        let result = inputKeyMaterial.withUnsafeBufferPointer { key in
            salt.withUnsafeBufferPointer { salt in
                info.withUnsafeBufferPointer { info in
                    COpenSSL_hkdf_sha256(
                        md, &output, output.count, key.baseAddress, key.count, salt.baseAddress, salt.count,
                        info.baseAddress, info.count)
                }
            }
        }
        try openSSLCall(result, where: "HKDF-SHA256")
        return output
    }
}
