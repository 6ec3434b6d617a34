/// Who is calling and where their calls may go, resolved from the presented token.
public struct Credentials: Sendable, Equatable {
    /// The org the call is made for (proxy keys only).
    public var org: String?
    /// The endpoints the call may use.
    public var endpoints: [Endpoint]
    /// Whether the token was a proxy key (`false`: a provider's own key used directly).
    public var isProxyKey: Bool
    /// The proxy key's record (limits, allow-lists, expiry); `nil` for a provider's own key.
    public var key: KeyRecord?

    public init(org: String?, endpoints: [Endpoint], isProxyKey: Bool, key: KeyRecord? = nil) {
        self.key = key
        self.org = org
        self.endpoints = endpoints
        self.isProxyKey = isProxyKey
    }
}
