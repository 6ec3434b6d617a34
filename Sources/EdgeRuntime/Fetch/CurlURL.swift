import CCurl

/// A URL parsed once by curl's own parser (a `CURLU` handle), handed to transfers with
/// `CURLOPT_CURLU` so curl does not parse the URL and print it back out on every request.
///
/// curl copies the handle when a transfer connects and only reads it; a transfer keeps its
/// `CurlURL` until it ends, so a handle dropped from ``CurlMulti``'s cache meanwhile stays valid.
/// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_CURLU.html
final class CurlURL {
    let handle: OpaquePointer

    /// `nil` when curl can't parse `url`: the transfer then sets the plain URL and curl
    /// reports the error as usual.
    init?(_ url: String) {
        guard let handle = curl_url() else { return nil }
        // The flags curl uses when it parses CURLOPT_URL itself.
        let flags = UInt32(CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME)
        guard curl_url_set(handle, CURLUPART_URL, url, flags) == CURLUE_OK else {
            curl_url_cleanup(handle)
            return nil
        }
        self.handle = handle
    }

    deinit { curl_url_cleanup(handle) }
}
