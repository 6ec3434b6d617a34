/// How much of a rate or quota ``RedisLimits`` lends one instance to admit from on its own,
/// without a round trip per call, while the limit is far away.
///
/// An allowance is counted in Redis when it is granted, so allowances never let a fleet pass a limit:
/// a rate's places in an allowance are recorded as admissions at the allowance's end (so each stays in the
/// sliding window at least as long as the call it admits), and a quota's units in one are a
/// reservation, settled to what the calls under it used once the allowance ends. What an allowance costs
/// is the other way: places an instance holds and doesn't use are lost to the others until the
/// window moves past them (a quota's, only if the instance dies before settling). So an allowance is
/// at most ``size`` calls and at most 1/``divisor`` of what is left, and none is granted near
/// the limit: there every call is checked in Redis, as without allowances.
public struct AllowancePolicy: Sendable, Equatable {
    /// Calls an allowance admits at most (a quota's allowance: that many of the granting call's reservations).
    public var size: Int
    /// An allowance takes at most 1/`divisor` of what is left in the rule (for a quota, of what is left
    /// counted in the granting call's reservations); below `divisor` left, no allowance.
    public var divisor: Int
    /// How long an instance admits from an allowance (a quota's, at most until its window ends).
    public var duration: Duration

    public init(size: Int = 64, divisor: Int = 1024, duration: Duration = .seconds(1)) {
        self.size = max(0, size)
        self.divisor = max(1, divisor)
        self.duration = duration
    }

    /// No allowances: every admission is decided in Redis.
    public static let none = AllowancePolicy(size: 0)
}
