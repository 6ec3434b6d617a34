import EdgeRuntime

extension Credentials {
    /// The secret a call's cache entries are found and encrypted by (DESIGN §6): for a proxy key
    /// whose org shares its cache, one derived from the org's cache secret and name, the same for
    /// all its keys; otherwise the caller's own `token`, so only that key finds its entries. A
    /// provider's own key never shares.
    public func cacheScopeSecret(token: String) -> String {
        guard isProxyKey, let org, let orgCacheSecret else { return token }
        // Derived, not the secret itself, and bound to the org's name; the prefix keeps it apart
        // from every token (proxy keys start `sk-aip-`).
        let scope = HMACSHA256.authenticationCode(
            for: Array("aiproxy org cache scope v1:\(org)".utf8), key: orgCacheSecret)
        return "org-scope:" + Base64URL.encode(scope)
    }
}
