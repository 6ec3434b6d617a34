public import EdgeRuntime

/// The relay's first step for a proxy key: its allow-lists, then its limits — checked and
/// counted fleet-wide in one step by the limits binding — before anything else is done.
///
/// A refusal is a 429 with OpenAI's rate-limit headers (`insufficient_quota` for a spent
/// budget) and nothing reaches upstream. An admitted call carries the request and token
/// headers; when its reply has ended its concurrency lease is released (renewed while a long
/// stream runs; a lease whose instance died lapses by itself) and its token and budget
/// reservations are settled to what it used (``AdmissionSettlement``). When the limits store
/// can't decide, `failOpen` says whether a key with limits is admitted anyway
/// (`LIMITS_ON_STORE_FAILURE = "admit"`) or refused with a 503 (`"refuse"`, the default: no
/// surprise bills); either way it is logged.
struct AdmissionStep: RelayStep {
    let limits: any LimitsNamespace
    let catalog: ModelCatalog
    let failOpen: Bool
    let logger: Logger
    let metrics: ProxyMetrics?

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        guard let subjects = try Self.limited(call) else { return try await next(call) }
        return try await admit(call, subjects: subjects, next: next)
    }

    /// The subjects (key, org) of a proxy key's call that have limits, after the key's allow-lists
    /// are checked; `nil` when there are no limits to check.
    @inline(never)
    private static func limited(_ call: RelayCall) throws -> [LimitSubject]? {
        guard let key = call.credentials.key else { return nil }
        try KeyPolicy.checkAllowed(key, call: call.call)
        let subjects = call.credentials.limitSubjects.filter { !$0.limits.isEmpty }
        return subjects.isEmpty ? nil : subjects
    }

    /// A call with limits: admitted (and settled once its reply has ended) or refused. Kept out of
    /// `handle`, so a call without limits doesn't hold this larger frame for its whole length.
    @inline(never)
    private func admit(_ call: RelayCall, subjects: [LimitSubject], next: RelayNext) async throws -> Response {
        guard let key = call.credentials.key else { preconditionFailure("limited(_:) finds subjects only for a key") }
        let model = call.call.model.flatMap(catalog.model)
        let metered = subjects.contains { $0.limits.isMetered }
        let estimate = metered ? TokenEstimate.usage(of: call.call, model: model) : TokenUsage(input: 0, output: 0)
        let costEstimate = metered ? estimate.cost(model) ?? 0 : 0
        let rules = KeyPolicy.rules(for: subjects, estimate: estimate, costEstimate: costEstimate)
        let holder = call.ctx.requestID
        let decision: LimitDecision
        do {
            decision = try await limits.admit(rules.all, holder: holder)
        } catch {
            logger.error(
                "request \(holder): limits store failed (\(error)); \(failOpen ? "admitting" : "refusing") key \(key.id)"
            )
            metrics?.limitsStoreFailed(admitted: failOpen)
            guard failOpen else { throw GovernanceError.limitsUnavailable }
            return try await next(call)
        }
        let headers = RateLimitHeaders(decision, requestRule: rules.request, tokenRule: rules.tokens)
        guard decision.admitted else {
            throw Self.refusal(decision, rules: rules, headers: headers, estimate: estimate, costEstimate: costEstimate)
        }
        let settlement = AdmissionSettlement(
            limits: limits, holder: holder, decision: decision, rules: rules, estimate: estimate, model: model,
            logger: logger, ctx: call.ctx)
        var call = call
        if settlement.isMetered {
            call.wantsUsage = true
            call.keepsBody = call.keepsBody || call.call.isStreaming
            call.onFinish.append { outcome in settlement.record(outcome) }
        }
        var response: Response
        do {
            response = try await next(call)
        } catch {
            await settlement.finish()
            throw error
        }
        for field in headers.fields where field.name != "retry-after" { response.headers[field.name] = field.value }
        if settlement.pastSoftBudget { response.headers["x-bt-soft-budget-exceeded"] = "true" }
        guard settlement.hasWorkAtEnd else { return response }
        if response.body.knownBytes != nil {
            await settlement.finish()
            return response
        }
        response.body = settlement.holding(response.body)
        return response
    }

    static func refusal(
        _ decision: LimitDecision, rules: KeyRules, headers: RateLimitHeaders, estimate: TokenUsage, costEstimate: Int64
    ) -> GovernanceError {
        let index = decision.refusedRule ?? 0
        let refused = decision.states[index].rule
        let owner = rules.owners[index] == .key ? "this key" : "this key's organization"
        switch refused.kind {
        case .rate:
            return .limitReached(
                headers, reason: "Rate limit reached for \(owner): \(refused.limit) requests per minute.")
        case .concurrency:
            return .limitReached(
                headers, reason: "Too many requests in flight for \(owner): at most \(refused.limit) at once.")
        case .quota where rules.quotas.contains { $0.index == index && $0.meters == .tokens }:
            return .limitReached(
                headers,
                reason:
                    "Rate limit reached for \(owner): \(refused.limit) tokens per minute, and this request may use up to "
                    + "\(estimate.rateCounted) (its input and max_tokens).")
        case .quota:
            let limit = MicroUSD.json(Int64(refused.limit)).serializedString
            let cost = MicroUSD.json(costEstimate).serializedString
            return .budgetExhausted(
                headers,
                reason:
                    "The budget of $\(limit) for \(owner) is spent, or this request (up to $\(cost) with its max_tokens) "
                    + "would pass it. Lower max_tokens, or wait for the budget window to start over.")
        }
    }
}
