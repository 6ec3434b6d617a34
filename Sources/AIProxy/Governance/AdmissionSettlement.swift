public import EdgeRuntime

/// What an admitted call owes the limits binding once its reply has ended: its concurrency
/// leases back (renewed while the reply is written), and its token and budget reservations
/// replaced by what it used — the reply's usage, or for a reply cut short (the client left, the
/// upstream failed) its input estimate plus the output already streamed. A call that got no
/// reply from upstream (a cache hit, an error) used nothing.
final class AdmissionSettlement: Sendable {
    let limits: any LimitsNamespace
    let holder: String
    let leases: [LimitRule]
    /// The token and spend quotas with the windows their reservations were made in.
    let quotas: [(rule: LimitRule, window: Int64, meters: KeyRules.Metered)]
    /// Whether spend in a budget window had passed its soft budget before this call.
    let pastSoftBudget: Bool
    let estimate: TokenUsage
    let model: ModelCatalog.Model?
    let logger: Logger
    let ctx: ExecutionContext
    let outcome = LockedValue<CallOutcome?>(nil)
    private let settled = LockedValue(false)

    init(
        limits: any LimitsNamespace, holder: String, decision: LimitDecision, rules: KeyRules, estimate: TokenUsage,
        model: ModelCatalog.Model?, logger: Logger, ctx: ExecutionContext
    ) {
        self.ctx = ctx
        self.limits = limits
        self.holder = holder
        leases = rules.all.filter { $0.kind == .concurrency }
        quotas = rules.quotas.compactMap { index, meters in
            decision.states[index].window.map { (decision.states[index].rule, $0, meters) }
        }
        pastSoftBudget = rules.softBudgets.contains { index, soft in
            let state = decision.states[index]
            return state.rule.limit - state.remaining - state.rule.reserve >= soft
        }
        self.estimate = estimate
        self.model = model
        self.logger = logger
    }

    /// Whether the call meters tokens or spend.
    var isMetered: Bool { !quotas.isEmpty }
    var hasWorkAtEnd: Bool { isMetered || !leases.isEmpty }

    func record(_ finished: CallOutcome) { outcome.withLock { $0 = finished } }

    /// What the call used: tokens counted against tpm, and cost.
    var used: (tokens: Int, cost: Int64) {
        guard let outcome = outcome.withLock({ $0 }) else { return (0, 0) }
        if let usage = outcome.usage { return (usage.rateCounted, usage.cost(model) ?? 0) }
        guard (200..<300).contains(outcome.status) else { return (0, 0) }
        let streamed = outcome.body.map(TokenEstimate.streamedOutputTokens) ?? 0
        let charged = TokenUsage(input: estimate.input, output: outcome.complete ? estimate.output : streamed)
        return (charged.rateCounted, charged.cost(model) ?? 0)
    }

    /// Ends the call's hold on its limits, once: the leases are released before this returns
    /// (a client that starts its next call as soon as this one's reply ended must find its place
    /// free), and the reservations are settled in the background (the call's `waitUntil`), off
    /// the reply's path.
    func finish() async {
        guard
            !settled.withLock({ done in
                defer { done = true }
                return done
            })
        else { return }
        if !leases.isEmpty {
            do {
                try await limits.release(leases, holder: holder)
            } catch {
                logger.warning(
                    "request \(holder): could not release its concurrency lease (it lapses by itself): \(error)")
            }
        }
        guard !quotas.isEmpty else { return }
        let (tokensUsed, cost) = used
        let settlements = limits.settleLocally(
            quotas.map { quota in
                QuotaSettlement(
                    rule: quota.rule, window: quota.window, actual: quota.meters == .tokens ? tokensUsed : Int(cost))
            }, holder: holder)
        guard !settlements.isEmpty else { return }
        let (limits, holder, logger) = (self.limits, self.holder, self.logger)
        ctx.waitUntil {
            do {
                try await limits.settle(settlements, holder: holder)
            } catch {
                logger.warning(
                    "request \(holder): could not settle its token and budget reservations (they stand): \(error)")
            }
        }
    }

    /// `body`, with the leases renewed while it is written and everything settled once it has
    /// ended (completely, with an error, or because the client left).
    func holding(_ body: Body) -> Body {
        Body { output in
            let renewed = LockedValue(ContinuousClock.now)
            let renewing = BodyOutput { chunk in
                try await output.write(chunk)
                guard !self.leases.isEmpty else { return }
                let now = ContinuousClock.now
                let due = renewed.withLock { last in
                    guard now - last >= KeyPolicy.leaseRenewal else { return false }
                    last = now
                    return true
                }
                if due { try? await self.limits.renew(self.leases, holder: self.holder) }
            }
            do {
                try await body.write(to: renewing)
            } catch {
                await self.finish()
                throw error
            }
            await self.finish()
        }
    }
}
