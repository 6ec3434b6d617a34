public import EdgeRuntime

extension FetchConfiguration {
    /// The upstream client's settings from the proxy's vars, the same for the `aiproxy` server and
    /// an ``EmbeddedProxy``: `UPSTREAM_TIMEOUT_SECONDS` (the longest upstream silence) and
    /// `UPSTREAM_CA_BUNDLE` (a private CA, e.g. a company gateway's; the system's CAs otherwise).
    public init(proxyVars vars: [String: String]) {
        self.init()
        if let seconds = vars["UPSTREAM_TIMEOUT_SECONDS"].flatMap(Double.init), seconds > 0 {
            idleTimeout = .milliseconds(Int(seconds * 1000))
        }
        caBundlePath = vars["UPSTREAM_CA_BUNDLE"]
    }
}
