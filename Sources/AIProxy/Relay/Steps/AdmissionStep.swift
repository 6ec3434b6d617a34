public import EdgeRuntime

/// The relay's first step for a proxy key: its allow-lists, then its limits — checked and
/// counted fleet-wide in one step by the limits binding — before anything else is done.
///
/// A refusal is a 429 with OpenAI's rate-limit headers and nothing reaches upstream. An
/// admitted call carries the request-rate headers, and its concurrency lease is released when
/// its reply has ended (renewed while a long stream runs; a lease whose instance died lapses by
/// itself). When the limits store can't decide, `failOpen` says whether a key with limits is
/// admitted anyway (`LIMITS_ON_STORE_FAILURE = "admit"`) or refused with a 503 (`"refuse"`, the
/// default: no surprise bills); either way it is logged.
struct AdmissionStep: RelayStep {
    let limits: any LimitsNamespace
    let failOpen: Bool
    let logger: Logger

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        guard let key = call.credentials.key else { return try await next(call) }
        try KeyPolicy.checkAllowed(key, call: call.call)
        let (rules, requestRule) = KeyPolicy.rules(for: key)
        guard !rules.isEmpty else { return try await next(call) }
        let holder = call.ctx.requestID
        let decision: LimitDecision
        do {
            decision = try await limits.admit(rules, holder: holder)
        } catch {
            logger.error("request \(holder): limits store failed (\(error)); \(failOpen ? "admitting" : "refusing") key \(key.id)")
            guard failOpen else { throw GovernanceError.limitsUnavailable }
            return try await next(call)
        }
        let headers = RateLimitHeaders(decision, requestRule: requestRule)
        guard decision.admitted else {
            let refused = decision.states[decision.refusedRule ?? 0].rule
            let reason =
                refused.kind == .rate
                ? "Rate limit reached for this key: \(refused.limit) requests per minute."
                : "Too many requests in flight for this key: at most \(refused.limit) at once."
            throw GovernanceError.limitReached(headers, reason: reason)
        }
        let leases = rules.filter { $0.kind == .concurrency }
        var response: Response
        do {
            response = try await next(call)
        } catch {
            await release(leases, holder: holder)
            throw error
        }
        for field in headers.fields where field.name != "retry-after" { response.headers[field.name] = field.value }
        guard !leases.isEmpty else { return response }
        response.body = holdingLeases(response.body, leases: leases, holder: holder)
        return response
    }

    /// The body, with the leases renewed while it is written and released once it has ended
    /// (completely, with an error, or because the client left).
    private func holdingLeases(_ body: Body, leases: [LimitRule], holder: String) -> Body {
        let step = self
        if body.knownBytes != nil {
            Task { await step.release(leases, holder: holder) }
            return body
        }
        return Body { output in
            let renewed = LockedValue(ContinuousClock.now)
            let renewing = BodyOutput { chunk in
                try await output.write(chunk)
                let now = ContinuousClock.now
                let due = renewed.withLock { last in
                    guard now - last >= KeyPolicy.leaseRenewal else { return false }
                    last = now
                    return true
                }
                if due { try? await step.limits.renew(leases, holder: holder) }
            }
            do {
                try await body.write(to: renewing)
            } catch {
                await step.release(leases, holder: holder)
                throw error
            }
            await step.release(leases, holder: holder)
        }
    }

    private func release(_ leases: [LimitRule], holder: String) async {
        guard !leases.isEmpty else { return }
        do {
            try await limits.release(leases, holder: holder)
        } catch {
            logger.warning("request \(holder): could not release its concurrency lease (it lapses by itself): \(error)")
        }
    }
}
