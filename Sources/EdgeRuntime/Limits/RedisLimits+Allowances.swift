/// The allowances of ``RedisLimits``: granted with an admission, kept in its ``AllowanceBook``, closed
/// when their time is up or a newer allowance replaces them.
extension RedisLimits {
    /// The allowance Redis granted with an admission of `rule`. It lasts the policy's duration from
    /// `sent` (before Redis's clock read the time the places are recorded at), a quota's at most
    /// until its window ends (`nextFree` is the time left in it).
    func allowance(
        of rule: LimitRule, id: String, units: Int, state: LimitDecision.RuleState, nextFree: Int,
        sent: ContinuousClock.Instant
    ) -> AllowanceBook.Allowance {
        var length = allowances.duration
        var settlementKey = prefix + rule.key
        if rule.kind == .quota, let window = state.window {
            length = min(length, .milliseconds(nextFree))
            settlementKey = quotaKey(rule, window: window)
        }
        return AllowanceBook.Allowance(
            id: id, kind: rule.kind, window: state.window, settlementKey: settlementKey, deadline: sent + length,
            units: units, remaining: state.remaining)
    }

    /// Puts granted allowances in the book, closes those they replace, and closes each in its turn.
    func install(_ granted: [(key: String, allowance: AllowanceBook.Allowance)]) {
        let replaced = book.withLock { book in granted.compactMap { book.install($0.allowance, for: $0.key) } }
        for allowance in replaced { close(allowance) }
        for (key, allowance) in granted {
            Task {
                try? await Task.sleep(until: allowance.deadline, clock: .continuous)
                if let ended = self.book.withLock({ $0.remove(key, id: allowance.id) }) { self.close(ended) }
            }
        }
    }

    /// Closes every allowance and applies the settlements waiting (at shutdown: an allowance left open
    /// would hold its unused units until its window ends).
    public func flush() async {
        let open = book.withLock { $0.removeAll() }
        for allowance in open { close(allowance) }
        await flushSettlements(timerFired: false)
    }

    /// Settles a closed quota allowance in Redis (with the next batch of settlements).
    func close(_ allowance: AllowanceBook.Allowance) {
        let entries = AllowanceBook.closing(allowance)
        if !entries.isEmpty { enqueue(entries, waiter: nil) }
    }
}
