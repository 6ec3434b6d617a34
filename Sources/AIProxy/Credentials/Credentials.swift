/// Who is calling and where their calls may go, resolved from the presented token.
public struct Credentials: Sendable, Equatable {
    /// The org the call is made for (proxy keys only).
    public var org: String?
    /// The endpoints the call may use.
    public var endpoints: [Endpoint]
    /// Whether the token was a proxy key (`false`: a provider's own key used directly).
    public var isProxyKey: Bool
    /// The proxy key's record (limits, allow-lists, expiry); `nil` for a provider's own key.
    public var key: KeyRecord? {
        get { keyBox?.value }
        set { keyBox = newValue.map(Boxed.init) }
    }
    /// The org's limits (proxy keys only), which a call must pass as well as its key's.
    public var orgLimits: LimitSettings {
        get { orgLimitsBox.value }
        set { orgLimitsBox = Boxed(newValue) }
    }
    // The two large parts, boxed: credentials live in every step's async frame of a call (and a
    // streamed call's frames stay allocated for the whole stream); inline they were 392 bytes.
    private var keyBox: Boxed<KeyRecord>?
    private var orgLimitsBox: Boxed<LimitSettings>
    /// The org's shared-cache secret when it opted in (proxy keys only): its keys' calls are cached
    /// in one scope derived from it (``cacheScopeSecret(token:)``). Never logged or shown.
    public var orgCacheSecret: [UInt8]?

    public init(
        org: String?, endpoints: [Endpoint], isProxyKey: Bool, key: KeyRecord? = nil,
        orgLimits: LimitSettings = LimitSettings(), orgCacheSecret: [UInt8]? = nil
    ) {
        keyBox = key.map(Boxed.init)
        orgLimitsBox = Boxed(orgLimits)
        self.orgCacheSecret = orgCacheSecret
        self.org = org
        self.endpoints = endpoints
        self.isProxyKey = isProxyKey
    }

    /// Whose limits a call with these credentials must pass: its key's, then its org's.
    var limitSubjects: [LimitSubject] {
        guard let key else { return [] }
        var subjects = [LimitSubject.key(key)]
        if let org, !orgLimits.isEmpty { subjects.append(.org(org, orgLimits)) }
        return subjects
    }
}

/// An immutable value behind a reference, to keep a large field out of its container's inline
/// size; compared by value.
private final class Boxed<Value: Sendable & Equatable>: Sendable, Equatable {
    let value: Value

    init(_ value: Value) { self.value = value }

    static func == (lhs: Boxed, rhs: Boxed) -> Bool { lhs === rhs || lhs.value == rhs.value }
}
