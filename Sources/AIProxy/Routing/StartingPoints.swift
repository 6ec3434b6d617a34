import Synchronization

/// Cheap random numbers for choosing where failover starts: SplitMix64 over a shared atomic
/// counter seeded once, so a request costs no system call (the system generator makes one).
final class StartingPoints: Sendable {
    private let counter: Atomic<UInt64>

    init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        counter = Atomic(seed)
    }

    /// A generator for one request.
    func generator() -> SplitMix64 {
        SplitMix64(state: counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue)
    }
}

/// The SplitMix64 generator (Steele, Lea, Flood 2014): fast, good enough to spread load, and
/// repeatable from a seed (tests use it to fix "random" choices).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
