extension AESGCM {
    /// An AES-GCM result: nonce, ciphertext and tag, storable as one `combined` byte string.
    public struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce used to seal.
        public let nonce: [UInt8]
        /// The encrypted bytes, as long as the plaintext.
        public let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public let tag: [UInt8]

        /// `nonce || ciphertext || tag`, the form to store or send.
        public var combined: [UInt8] { nonce + ciphertext + tag }

        /// A box from its parts, e.g. received separately.
        /// - Throws: ``OpenSSLError`` `.invalidNonceSize` or `.invalidArgument` for a tag that isn't 16 bytes.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws(OpenSSLError) {
            try AESGCM.checkNonce(nonce)
            guard tag.count == AESGCM.tagByteCount else {
                throw OpenSSLError(
                    code: .invalidArgument,
                    message: "AES-GCM tag must be \(AESGCM.tagByteCount) bytes, got \(tag.count)")
            }
            self.init(checkedNonce: nonce, ciphertext: ciphertext, tag: tag)
        }

        /// Splits `combined` (`nonce || ciphertext || tag`) back into a box.
        /// - Throws: ``OpenSSLError`` `.invalidArgument` when it is shorter than a nonce plus a tag.
        public init(combined: [UInt8]) throws(OpenSSLError) {
            let overhead = AESGCM.nonceByteCount + AESGCM.tagByteCount
            guard combined.count >= overhead else {
                throw OpenSSLError(
                    code: .invalidArgument,
                    message: "sealed box is \(combined.count) bytes, shorter than nonce plus tag (\(overhead))")
            }
            let tagStart = combined.count - AESGCM.tagByteCount
            self.init(
                checkedNonce: Array(combined[..<AESGCM.nonceByteCount]),
                ciphertext: Array(combined[AESGCM.nonceByteCount..<tagStart]),
                tag: Array(combined[tagStart...]))
        }

        init(checkedNonce nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }
}
