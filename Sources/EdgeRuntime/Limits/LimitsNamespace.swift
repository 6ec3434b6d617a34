/// Limits shared by every instance of a fleet (Workers' rate-limiting binding, made exact): all
/// of a request's rules are checked and counted in one atomic step, so concurrent requests on
/// different instances can never together pass a limit.
///
/// ```swift
/// let limits = try env.limits("LIMITS")
/// let decision = try await limits.admit([.rate("key:k1:rpm", limit: 60, per: .seconds(60)),
///                                        .concurrency("key:k1:parallel", limit: 2, leaseTTL: .seconds(30))], holder: requestID)
/// guard decision.admitted else { return tooManyRequests(decision) }
/// defer { Task { try await limits.release(decision.states.map(\.rule), holder: requestID) } }
/// ```
///
/// Time is the backend's own (Redis `TIME`), not the instances' clocks.
public protocol LimitsNamespace: Sendable {
    /// Checks every rule; if all admit, counts the request against each (a rate admission, a
    /// concurrency lease held by `holder`), all or nothing.
    /// - Throws: ``LimitsError`` when the backend can't be reached or answered nonsense.
    func admit(_ rules: [LimitRule], holder: String) async throws -> LimitDecision

    /// Ends `holder`'s leases on the concurrency rules among `rules` (others are ignored).
    func release(_ rules: [LimitRule], holder: String) async throws

    /// Extends `holder`'s leases on the concurrency rules among `rules` by their lease TTL, for a
    /// holder that is still busy (a long stream).
    func renew(_ rules: [LimitRule], holder: String) async throws

    /// Replaces `holder`'s reservations on quota rules (made at its admission) with what it
    /// really used, all in one step; settling a reservation twice changes nothing.
    func settle(_ settlements: [QuotaSettlement], holder: String) async throws

    /// Units used (reservations included) in the quota `rule`'s current window.
    func used(_ rule: LimitRule) async throws -> Int

    /// Settles at once what needs no backend (a call admitted from this instance's allowance settles
    /// into it), so a caller need not start a task for it; returns the rest, for
    /// ``settle(_:holder:)``.
    func settleLocally(_ settlements: [QuotaSettlement], holder: String) -> [QuotaSettlement]

    /// Gives back what this instance holds for later calls (allowances) and applies what waits to be
    /// applied (batched settlements), before the process exits.
    func flush() async
}

extension LimitsNamespace {
    /// Nothing waits without allowances or batches.
    public func flush() async {}

    /// Nothing is settled locally without allowances.
    public func settleLocally(_ settlements: [QuotaSettlement], holder: String) -> [QuotaSettlement] {
        settlements
    }
}

/// Why a limits backend couldn't decide.
public struct LimitsError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let underlying: (any Error)?

    public init(message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "LimitsError: \(message)" + (underlying.map { " (\($0))" } ?? "") }
}

/// What a holder really used of one quota it reserved in: the rule, the window the reservation
/// is in (``LimitDecision/RuleState/window``) and the units.
public struct QuotaSettlement: Sendable, Equatable {
    public var rule: LimitRule
    public var window: Int64
    public var actual: Int

    public init(rule: LimitRule, window: Int64, actual: Int) {
        self.rule = rule
        self.window = window
        self.actual = actual
    }
}
