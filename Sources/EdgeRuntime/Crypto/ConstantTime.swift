internal import COpenSSL

/// Comparisons whose running time does not depend on where secret inputs differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, in time that depends only on their lengths (`CRYPTO_memcmp`).
    ///
    /// Use it to compare MACs, tokens and key hashes, so a timing attack can't find the first wrong byte.
    /// Lengths are compared first (lengths are not secret).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }
}
