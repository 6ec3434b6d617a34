import FoundationEssentials

/// Wall-clock time in Unix seconds, injectable so TTL tests never sleep.
public protocol WallClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to; for tests.
public final class ManualWallClock: WallClock {
    private let current: LockedValue<Double>
    public init(now: Double = 1_700_000_000) { current = LockedValue(now) }
    public func now() -> Double { current.withLock { $0 } }
    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: Double) { current.withLock { $0 += seconds } }
}
