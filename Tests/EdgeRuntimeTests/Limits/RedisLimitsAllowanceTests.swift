import Foundation
import Testing

@testable import EdgeRuntime

/// Allowances (``AllowancePolicy``) against a real redis-server: calls admitted without a round trip
/// while a limit is far, and never one call more than the limit, on one instance or several.
@Suite struct RedisLimitsAllowanceTests {
    let prefix = "allowance-\(UUID().uuidString):"

    /// An instance's limits: its own client, so its own allowance book.
    func instance(_ policy: AllowancePolicy) throws -> RedisLimits {
        guard let server = RedisServer.shared else { throw LimitsError(message: "redis-server did not start") }
        let client = RedisClient(
            url: try RedisURL(server.url), group: RedisServer.loops, logger: Logger(label: "test", level: .error))
        return RedisLimits(client: client, prefix: prefix, allowances: policy)
    }

    func integer(_ limits: RedisLimits, _ command: String...) async throws -> Int {
        let reply = try await limits.client.run(command.map { Array($0.utf8) }, timeout: .seconds(2))
        switch reply {
        case .integer(let value): return value
        case .bytes(let bytes): return Int(String(decoding: bytes, as: UTF8.self)) ?? -1
        case .null: return 0
        default: return -1
        }
    }

    @Test func callsAfterTheFirstAreAdmittedFromItsAllowanceWithoutCountingInRedisAgain() async throws {
        let limits = try instance(AllowancePolicy(size: 8, divisor: 16, duration: .seconds(30)))
        let rule = LimitRule.rate("rpm", limit: 100_000, per: .seconds(60))
        #expect(try await limits.admit([rule], holder: "first").admitted)
        #expect(try await integer(limits, "ZCARD", prefix + "rpm") == 9, "the call and an allowance of 8 places")
        for index in 0..<8 {
            let decision = try await limits.admit([rule], holder: "allowed-\(index)")
            #expect(decision.admitted)
        }
        #expect(try await integer(limits, "ZCARD", prefix + "rpm") == 9, "8 calls from the allowance: Redis not asked")
        #expect(try await limits.admit([rule], holder: "tenth").admitted)
        #expect(
            try await integer(limits, "ZCARD", prefix + "rpm") == 18,
            "the allowance spent: Redis again, a new allowance")
    }

    @Test func noAllowanceIsGrantedNearTheLimit() async throws {
        let limits = try instance(AllowancePolicy(size: 8, divisor: 16, duration: .seconds(30)))
        let rule = LimitRule.rate("near", limit: 16, per: .seconds(60))
        for index in 0..<3 { #expect(try await limits.admit([rule], holder: "h\(index)").admitted) }
        #expect(
            try await integer(limits, "ZCARD", prefix + "near") == 3,
            "15 left at most, under 16 × 1 place: no allowance")
    }

    @Test func instancesHoldingAllowancesTogetherAdmitExactlyTheLimit() async throws {
        let policy = AllowancePolicy(size: 8, divisor: 4, duration: .seconds(30))
        let fleet = try (0..<3).map { _ in try instance(policy) }
        let rule = LimitRule.rate("fleet", limit: 200, per: .seconds(60))
        // A burst from every instance at once, then each admits until it is refused: places one
        // instance was allowed and didn't use in the burst are its own to use, never anyone's twice.
        let burst = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<450 {
                let limits = fleet[index % 3]
                group.addTask { try await limits.admit([rule], holder: "burst-\(index)").admitted }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(burst <= 200)
        var drained = 0
        for (number, limits) in fleet.enumerated() {
            while try await limits.admit([rule], holder: "drain-\(number)-\(drained)").admitted { drained += 1 }
        }
        #expect(burst + drained == 200)
    }

    @Test func aQuotaAllowanceSettlesToWhatItsCallsUsed() async throws {
        // An allowance long enough for the calls below on a busy machine; the test waits it out.
        let limits = try instance(AllowancePolicy(size: 8, divisor: 16, duration: .seconds(2)))
        let rule = LimitRule.quota("tpm", limit: 1_000_000, per: .seconds(3600), reserve: 10)
        let start = ContinuousClock.now
        let first = try await limits.admit([rule], holder: "a")
        let window = try #require(first.states[0].window)
        #expect(try await limits.used(rule) == 90, "a's 10 and an allowance of 8 × 10")
        #expect(try await limits.admit([rule], holder: "b").admitted)
        #expect(try await limits.admit([rule], holder: "c").admitted)
        #expect(try await limits.used(rule) == 90, "b and c reserved in the allowance")
        func settle(_ holder: String, _ actual: Int) async throws {
            try await limits.settle([QuotaSettlement(rule: rule, window: window, actual: actual)], holder: holder)
        }
        try await settle("a", 3)
        try await settle("b", 4)
        try await settle("b", 4)
        #expect(try await limits.used(rule) == 83, "a settled in Redis; b into the open allowance (once)")
        // The allowance ends: it settles to b's 4 and c's reservation, which becomes c's own.
        try await Task.sleep(until: start + .milliseconds(2500), clock: .continuous)
        #expect(try await limits.used(rule) == 17)
        try await settle("c", 5)
        #expect(try await limits.used(rule) == 12, "3 + 4 + 5: what the three calls used")
    }

    @Test func flushingAtShutdownGivesBackWhatAnAllowanceDidNotUse() async throws {
        let limits = try instance(AllowancePolicy(size: 8, divisor: 16, duration: .seconds(60)))
        let rule = LimitRule.quota("budget", limit: 1_000_000, per: .seconds(3600), reserve: 10)
        let first = try await limits.admit([rule], holder: "a")
        let window = try #require(first.states[0].window)
        #expect(try await limits.admit([rule], holder: "b").admitted)
        #expect(try await limits.used(rule) == 90)
        await limits.flush()
        #expect(try await limits.used(rule) == 20, "a's and b's reservations; the allowance's other 70 given back")
        try await limits.settle([QuotaSettlement(rule: rule, window: window, actual: 4)], holder: "b")
        #expect(try await limits.used(rule) == 14)
    }

    @Test func anAllowedPlaceUsedLateStaysCountedAWholeWindowAfterItsUse() async throws {
        let allowed = try instance(AllowancePolicy(size: 8, divisor: 1, duration: .milliseconds(1800)))
        let other = try instance(.none)
        let rule = LimitRule.rate("late", limit: 10, per: .seconds(2))
        #expect(try await allowed.admit([rule], holder: "first").admitted, "1 counted, 8 more allowed")
        // Redis counted the first call before its answer arrived: by now.
        let start = ContinuousClock.now
        // A second later the allowance's 8 places are used, and the other instance takes the last one.
        try await Task.sleep(until: start + .seconds(1), clock: .continuous)
        for index in 0..<8 { #expect(try await allowed.admit([rule], holder: "late-\(index)").admitted) }
        #expect(try await other.admit([rule], holder: "other-0").admitted)
        #expect(try await !other.admit([rule], holder: "other-1").admitted, "10 of 10")
        // Past the window of the first call, not of the 9 made at 1 s: only the first's place is free.
        try await Task.sleep(until: start + .milliseconds(2200), clock: .continuous)
        var admitted = 0
        while try await other.admit([rule], holder: "after-\(admitted)").admitted { admitted += 1 }
        #expect(admitted == 1, "9 calls made 1.2 s ago still count in a 2 s window")
    }
}
