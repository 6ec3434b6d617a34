internal import COpenSSL

/// AES-256-GCM authenticated encryption, for values stored in KV (cache entries, provider keys).
///
/// ```swift
/// let key = SecureRandom.bytes(count: AESGCM.keyByteCount)
/// let box = try AESGCM.seal(Array("hello".utf8), key: key, authenticating: Array("cache:v1".utf8))
/// let stored = box.combined                      // nonce || ciphertext || tag
/// let plain = try AESGCM.open(try AESGCM.SealedBox(combined: stored), key: key,
///                             authenticating: Array("cache:v1".utf8))
/// ```
public enum AESGCM {
    /// Key length in bytes (AES-256).
    public static let keyByteCount = 32
    /// Nonce length in bytes (GCM's 96-bit IV).
    public static let nonceByteCount = 12
    /// Authentication tag length in bytes.
    public static let tagByteCount = 16

    /// Encrypts and authenticates `plaintext`, and authenticates `aad` without encrypting it.
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes, never reused with the same key; `nil` draws a random one.
    ///   - aad: Data bound to the ciphertext (e.g. the KV key), needed again to open it.
    /// - Throws: ``OpenSSLError`` `.invalidKeySize`, `.invalidNonceSize`, or `.library`.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]? = nil, authenticating aad: [UInt8] = []
    ) throws(OpenSSLError) -> SealedBox {
        try checkKey(key)
        let nonce = nonce ?? SecureRandom.bytes(count: nonceByteCount)
        try checkNonce(nonce)
        let context = try CipherContext()
        try openSSLCall(
            EVP_EncryptInit_ex2(context.pointer, try OpenSSLAlgorithms.aes256GCM.get().pointer, key, nonce, nil),
            where: "EVP_EncryptInit_ex2")
        try context.update(aad, output: nil, where: "EVP_EncryptUpdate", EVP_EncryptUpdate)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        try context.update(plaintext, output: &ciphertext, where: "EVP_EncryptUpdate", EVP_EncryptUpdate)
        // GCM is a stream mode: final emits no bytes, it computes the tag.
        var finalBlock = [UInt8](repeating: 0, count: 16)
        var finalLength: Int32 = 0
        try openSSLCall(EVP_EncryptFinal_ex(context.pointer, &finalBlock, &finalLength), where: "EVP_EncryptFinal_ex")
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        try openSSLCall(
            EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag),
            where: "EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_GET_TAG)")
        return SealedBox(checkedNonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Decrypts `box` after checking its tag against `key` and `aad`.
    /// - Throws: ``OpenSSLError`` `.authenticationFailure` when the tag does not match (wrong key,
    ///   nonce or AAD, or altered data); `.invalidKeySize`; `.library`. No plaintext is ever returned
    ///   from a box that fails the check.
    public static func open(
        _ box: SealedBox, key: [UInt8], authenticating aad: [UInt8] = []
    ) throws(OpenSSLError) -> [UInt8] {
        try checkKey(key)
        let context = try CipherContext()
        try openSSLCall(
            EVP_DecryptInit_ex2(context.pointer, try OpenSSLAlgorithms.aes256GCM.get().pointer, key, box.nonce, nil),
            where: "EVP_DecryptInit_ex2")
        try context.update(aad, output: nil, where: "EVP_DecryptUpdate", EVP_DecryptUpdate)
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        try context.update(box.ciphertext, output: &plaintext, where: "EVP_DecryptUpdate", EVP_DecryptUpdate)
        var tag = box.tag
        try openSSLCall(
            EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tag.count), &tag),
            where: "EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_TAG)")
        var finalBlock = [UInt8](repeating: 0, count: 16)
        var finalLength: Int32 = 0
        guard EVP_DecryptFinal_ex(context.pointer, &finalBlock, &finalLength) > 0 else {
            _ = OpenSSLError.drainErrorQueue()
            // Don't leave unauthenticated plaintext lying around in memory.
            for index in plaintext.indices { plaintext[index] = 0 }
            throw OpenSSLError(code: .authenticationFailure, message: "AES-GCM authentication tag mismatch")
        }
        return plaintext
    }

    private static func checkKey(_ key: [UInt8]) throws(OpenSSLError) {
        guard key.count == keyByteCount else {
            throw OpenSSLError(
                code: .invalidKeySize, message: "AES-256-GCM needs a \(keyByteCount)-byte key, got \(key.count) bytes")
        }
    }

    static func checkNonce(_ nonce: [UInt8]) throws(OpenSSLError) {
        guard nonce.count == nonceByteCount else {
            throw OpenSSLError(
                code: .invalidNonceSize,
                message: "AES-GCM needs a \(nonceByteCount)-byte nonce, got \(nonce.count) bytes")
        }
    }
}

/// Owns one `EVP_CIPHER_CTX` for the length of a seal or open.
private final class CipherContext {
    typealias Update = (
        OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int32>?,
        UnsafePointer<UInt8>?, Int32
    ) -> Int32
    let pointer: OpaquePointer

    init() throws(OpenSSLError) {
        pointer = try openSSLCall(EVP_CIPHER_CTX_new(), where: "EVP_CIPHER_CTX_new")
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    /// Feeds `input` (AAD when `output` is nil) in chunks that fit the C `int` length.
    func update(
        _ input: [UInt8], output: UnsafeMutablePointer<UInt8>?, where function: String, _ body: Update
    ) throws(OpenSSLError) {
        try input.withUnsafeBufferPointer { input throws(OpenSSLError) in
            var offset = 0
            while offset < input.count {
                let chunk = min(input.count - offset, Int(Int32.max) - 32)
                var written: Int32 = 0
                try openSSLCall(
                    body(pointer, output.map { $0 + offset }, &written, input.baseAddress! + offset, Int32(chunk)),
                    where: function)
                offset += chunk
            }
        }
    }
}
