import CCurl

/// Maps libcurl's result codes to ``FetchError``: the one place that knows curl's numbers.
enum CurlError {
    /// - Parameter headDelivered: whether the response head already reached the caller, which
    ///   turns a broken connection into `.resetMidBody` instead of a failure to connect.
    static func fetchError(_ code: CURLcode, detail: String, headDelivered: Bool) -> FetchError {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: FetchError.Code
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
            CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            kind = .connectFailed
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_BAD_CONTENT_ENCODING:
            kind = headDelivered ? .resetMidBody : .connectFailed
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            kind = .invalidRequest
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            kind = .cancelled
        default:
            kind = .other
        }
        return FetchError(code: kind, message: text, transportCode: Int(code.rawValue))
    }

    /// Checks a `curl_easy_setopt`-style result; a failure means our own option use is wrong.
    static func check(_ code: CURLcode, _ function: String) throws(FetchError) {
        guard code == CURLE_OK else {
            throw FetchError(
                code: .invalidRequest, message: "\(function) failed: \(String(cString: curl_easy_strerror(code)))",
                transportCode: Int(code.rawValue))
        }
    }
}
