import EdgeRuntime

/// A held coalescing lease, renewed until released.
final class FleetLease: Sendable {
    let rule: LimitRule
    let holder: String
    let limits: any LimitsNamespace
    private let renewing: LockedValue<Task<Void, Never>?> = LockedValue(nil)

    init(rule: LimitRule, holder: String, limits: any LimitsNamespace) {
        self.rule = rule
        self.holder = holder
        self.limits = limits
        renewing.withLock {
            $0 = Task {
                while (try? await Task.sleep(for: FleetCoalescing.renewal)) != nil {
                    try? await limits.renew([rule], holder: holder)
                }
            }
        }
    }

    func release() async {
        renewing.withLock { $0?.cancel() }
        try? await limits.release([rule], holder: holder)
    }
}
