/// Who is calling and where their calls may go, resolved from the presented token.
public struct Credentials: Sendable, Equatable {
    /// The org the call is made for (proxy keys only).
    public var org: String?
    /// The endpoints the call may use.
    public var endpoints: [Endpoint]
    /// Whether the token was a proxy key (`false`: a provider's own key used directly).
    public var isProxyKey: Bool

    public init(org: String?, endpoints: [Endpoint], isProxyKey: Bool) {
        self.org = org
        self.endpoints = endpoints
        self.isProxyKey = isProxyKey
    }
}
