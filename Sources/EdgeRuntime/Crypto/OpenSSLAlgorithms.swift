internal import COpenSSL

/// The EVP algorithms the runtime uses, fetched once from OpenSSL's default provider.
///
/// Fetching is a locked name lookup, far too slow to repeat per call (DESIGN §3). Each `static let`
/// is initialised lazily and thread-safely by Swift on first use and is never freed.
enum OpenSSLAlgorithms {
    static let sha256 = fetch("EVP_MD_fetch(SHA256)") { EVP_MD_fetch(nil, "SHA256", nil) }
    static let aes256GCM = fetch("EVP_CIPHER_fetch(AES-256-GCM)") { EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) }

    private static func fetch(
        _ function: String, _ body: () -> OpaquePointer?
    ) -> Result<FetchedAlgorithm, OpenSSLError> {
        Result { () throws(OpenSSLError) in FetchedAlgorithm(try openSSLCall(body(), where: function)) }
    }
}

/// A fetched `EVP_MD`/`EVP_CIPHER`.
// @unchecked Sendable: fetched algorithms are immutable, reference-counted provider objects that
// OpenSSL documents as safe to share between threads; this wrapper never frees or mutates them.
struct FetchedAlgorithm: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
