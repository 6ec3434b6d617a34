/// Whether a service that every instance shares (a Redis, say) answers, as this instance sees it.
///
/// Reported at `GET /healthz/dependencies`, never folded into `/readyz`: a shared dependency
/// going down must not take every instance out of the load balancer at once (DESIGN §7).
public struct DependencyHealth: Sendable, Equatable {
    /// Where the dependency is, with no credentials (e.g. `redis://127.0.0.1:6379/0`).
    public var target: String
    public var isUp: Bool
    /// Since when it is down (seconds since 1970), if it is.
    public var downSince: Double?
    public var detail: String?

    public init(target: String, isUp: Bool, downSince: Double? = nil, detail: String? = nil) {
        self.target = target
        self.isUp = isUp
        self.downSince = downSince
        self.detail = detail
    }
}

/// A binding backed by a shared service whose health the runtime reports.
public protocol DependencyHealthReporting: Sendable {
    var health: DependencyHealth { get }
}
