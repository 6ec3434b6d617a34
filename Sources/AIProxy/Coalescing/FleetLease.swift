import EdgeRuntime

/// A held coalescing lease, renewed until released.
final class FleetLease: Sendable {
    let rule: LimitRule
    let holder: String
    let limits: any LimitsNamespace
    private let renewing: Task<Void, Never>

    init(rule: LimitRule, holder: String, limits: any LimitsNamespace) {
        self.rule = rule
        self.holder = holder
        self.limits = limits
        renewing = Task {
            while (try? await Task.sleep(for: FleetCoalescing.renewal)) != nil {
                try? await limits.renew([rule], holder: holder)
            }
        }
    }

    func release() async {
        renewing.cancel()
        try? await limits.release([rule], holder: holder)
    }
}
