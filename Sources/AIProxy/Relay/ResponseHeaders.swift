public import EdgeRuntime

/// The upstream response headers a client gets, plus the proxy's own.
enum ResponseHeaders {
    /// Hop-by-hop and transport fields the proxy sets itself, and cookies it never relays.
    static let dropped = [
        "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "set-cookie",
        "upgrade", "te", "trailer", "proxy-authenticate", "alt-svc", "x-request-id",
    ]

    static func forClient(_ upstream: Headers, endpoint: Endpoint?, cached: String?) -> Headers {
        var headers = upstream.excluding(dropped)
        if let endpoint { headers["x-bt-used-endpoint"] = endpoint.name }
        if let cached { headers["x-bt-cached"] = cached }
        return headers
    }
}
