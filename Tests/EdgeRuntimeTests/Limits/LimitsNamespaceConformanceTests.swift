import EdgeRuntime
import Foundation
import Testing

/// What any `LimitsNamespace` must do, against each backend: memory with a manual clock, and a
/// real redis-server (whose own clock counts, so its windows are short and the test waits them out).
@Suite struct LimitsNamespaceConformanceTests {
    enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
        case memory, redis
        var description: String { rawValue }
    }

    /// A backend, a unique key prefix, and a way to let `duration` pass for it.
    struct Subject {
        let limits: any LimitsNamespace
        let prefix = "t-\(UUID().uuidString):"
        let pass: @Sendable (Duration) async throws -> Void

        func key(_ name: String) -> String { prefix + name }
    }

    static func subject(_ backend: Backend) throws -> Subject {
        switch backend {
        case .memory:
            let clock = ManualWallClock()
            return Subject(limits: MemoryLimits(clock: clock)) {
                clock.advance(by: Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18)
            }
        case .redis:
            guard let server = RedisServer.shared else { throw LimitsError(message: "redis-server did not start") }
            let client = RedisClient(
                url: try RedisURL(server.url), group: RedisServer.loops, logger: Logger(label: "test", level: .error))
            return Subject(limits: RedisLimits(client: client)) { try await Task.sleep(for: $0) }
        }
    }

    @Test(arguments: Backend.allCases)
    func aRateAdmitsItsLimitAtOnceThenNoneUntilTheWindowMoves(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        // Windows of seconds: Redis's clock runs on, and a busy machine may take a while per call.
        let rule = LimitRule.rate(subject.key("rpm"), limit: 3, per: .seconds(3))
        for expectedRemaining in [2, 1, 0] {
            let decision = try await subject.limits.admit([rule], holder: UUID().uuidString)
            #expect(decision.admitted)
            #expect(decision.states[0].remaining == expectedRemaining)
        }
        let refused = try await subject.limits.admit([rule], holder: UUID().uuidString)
        #expect(!refused.admitted)
        #expect(refused.refusedRule == 0)
        #expect(refused.states[0].remaining == 0)
        let retry = try #require(refused.retryAfter)
        #expect(retry > .zero && retry <= .seconds(3))
        try await subject.pass(.milliseconds(3500))
        #expect(try await subject.limits.admit([rule], holder: UUID().uuidString).admitted, "the window moved on")
    }

    @Test(arguments: Backend.allCases)
    func concurrencyHoldsPlacesUntilReleased(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        let rule = LimitRule.concurrency(subject.key("parallel"), limit: 2, leaseTTL: .seconds(30))
        #expect(try await subject.limits.admit([rule], holder: "a").admitted)
        #expect(try await subject.limits.admit([rule], holder: "b").admitted)
        let third = try await subject.limits.admit([rule], holder: "c")
        #expect(!third.admitted)
        #expect(third.refusedRule == 0)
        try await subject.limits.release([rule], holder: "a")
        #expect(try await subject.limits.admit([rule], holder: "c").admitted)
    }

    @Test(arguments: Backend.allCases)
    func aLeaseLapsesWithoutRenewalAndHoldsWithIt(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        let rule = LimitRule.concurrency(subject.key("leases"), limit: 1, leaseTTL: .seconds(3))
        #expect(try await subject.limits.admit([rule], holder: "renewed").admitted)
        try await subject.pass(.seconds(2))
        try await subject.limits.renew([rule], holder: "renewed")
        try await subject.pass(.seconds(2))
        #expect(try await !subject.limits.admit([rule], holder: "other").admitted, "renewed 2 s ago: still held")
        try await subject.pass(.milliseconds(3500))
        #expect(
            try await subject.limits.admit([rule], holder: "other").admitted,
            "not renewed again: lapsed, as a killed holder's would")
    }

    @Test(arguments: Backend.allCases)
    func aRefusalCountsNothingOnTheOtherRules(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        let rate = LimitRule.rate(subject.key("rate"), limit: 5, per: .seconds(60))
        let parallel = LimitRule.concurrency(subject.key("one"), limit: 1, leaseTTL: .seconds(30))
        #expect(try await subject.limits.admit([rate, parallel], holder: "first").admitted)
        let refused = try await subject.limits.admit([rate, parallel], holder: "second")
        #expect(!refused.admitted)
        #expect(refused.refusedRule == 1)
        try await subject.limits.release([parallel], holder: "first")
        let third = try await subject.limits.admit([rate, parallel], holder: "third")
        #expect(third.admitted)
        #expect(third.states[0].remaining == 3, "the refused attempt used no place in the rate")
    }

    @Test(arguments: Backend.allCases)
    func concurrentAdmissionsNeverPassTheLimit(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        let rule = LimitRule.rate(subject.key("race"), limit: 10, per: .seconds(60))
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<60 {
                group.addTask { try await subject.limits.admit([rule], holder: "h\(index)").admitted }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 10)
    }
}

extension LimitsNamespaceConformanceTests {
    @Test(arguments: Backend.allCases)
    func aQuotaReservesThenSettlesToWhatWasUsed(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        func rule(_ reserve: Int) -> LimitRule {
            .quota(subject.key("budget"), limit: 100, per: .seconds(3600), reserve: reserve)
        }
        let first = try await subject.limits.admit([rule(60)], holder: "a")
        #expect(first.admitted)
        #expect(first.states[0].remaining == 40)
        let window = try #require(first.states[0].window)
        let second = try await subject.limits.admit([rule(60)], holder: "b")
        #expect(!second.admitted, "60 reserved + 60 more would pass 100")
        #expect(second.refusedRule == 0)
        let retry = try #require(second.retryAfter)
        #expect(retry > .zero && retry <= .seconds(3600))
        // The first call really used 10: its reservation shrinks to that.
        try await subject.limits.settle([QuotaSettlement(rule: rule(0), window: window, actual: 10)], holder: "a")
        #expect(try await subject.limits.used(rule(0)) == 10)
        #expect(try await subject.limits.admit([rule(60)], holder: "b").admitted)
        #expect(try await subject.limits.used(rule(0)) == 70)
        // Settling twice changes nothing the second time.
        try await subject.limits.settle([QuotaSettlement(rule: rule(0), window: window, actual: 50)], holder: "a")
        #expect(try await subject.limits.used(rule(0)) == 70)
    }

    @Test(arguments: Backend.allCases)
    func aQuotaStartsAgainInTheNextWindow(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        let rule = LimitRule.quota(subject.key("tpm"), limit: 10, per: .seconds(2), reserve: 10)
        if backend == .redis {
            // Redis's clock is this machine's: start early in a 2 s window, so both admissions share it.
            let into = Int64(Date().timeIntervalSince1970 * 1000) % 2000
            try await Task.sleep(for: .milliseconds(2000 - into + 50))
        }
        #expect(try await subject.limits.admit([rule], holder: "a").admitted)
        #expect(try await !subject.limits.admit([rule], holder: "b").admitted)
        try await subject.pass(.seconds(2))
        #expect(try await subject.limits.admit([rule], holder: "c").admitted, "a new window")
    }

    @Test(arguments: Backend.allCases)
    func aMonthlyQuotaCountsInTheCalendarMonth(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        let rule = LimitRule.quota(subject.key("month"), limit: 1000, per: nil, reserve: 7)
        let decision = try await subject.limits.admit([rule], holder: "a")
        #expect(decision.admitted)
        let window = try #require(decision.states[0].window)
        // The window starts at 00:00 UTC on the first of a month.
        let start = Date(timeIntervalSince1970: Double(window) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.day, .hour, .minute, .second], from: start)
        #expect(parts.day == 1 && parts.hour == 0 && parts.minute == 0 && parts.second == 0)
        #expect(try await subject.limits.used(rule) == 7)
    }

    /// A settlement still waiting for its batch (on Redis) while another call is admitted counts once.
    @Test(arguments: Backend.allCases)
    func aSettlementMadeAsAnotherCallIsAdmittedCountsOnce(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        func rule(_ reserve: Int) -> LimitRule {
            .quota(subject.key("ride"), limit: 1000, per: .seconds(3600), reserve: reserve)
        }
        let first = try await subject.limits.admit([rule(100)], holder: "a")
        let window = try #require(first.states[0].window)
        async let settled: Void = subject.limits.settle(
            [QuotaSettlement(rule: rule(0), window: window, actual: 7)], holder: "a")
        try await Task.sleep(for: .milliseconds(2))
        let second = try await subject.limits.admit([rule(100)], holder: "b")
        #expect(second.admitted)
        try await settled
        #expect(try await subject.limits.used(rule(0)) == 107, "a's 7 and b's reservation")
        try await subject.limits.settle([QuotaSettlement(rule: rule(0), window: window, actual: 7)], holder: "a")
        #expect(try await subject.limits.used(rule(0)) == 107, "settling again changes nothing")
    }

    /// Settlements made at once, more than one batch of them on Redis, each count exactly once.
    @Test(arguments: Backend.allCases)
    func manySettlementsAtOnceEachCountOnce(_ backend: Backend) async throws {
        let subject = try Self.subject(backend)
        func rule(_ reserve: Int) -> LimitRule {
            .quota(subject.key("many"), limit: 100_000, per: .seconds(3600), reserve: reserve)
        }
        let holders = (0..<150).map { "h\($0)" }
        var window: Int64 = 0
        for holder in holders {
            let decision = try await subject.limits.admit([rule(100)], holder: holder)
            #expect(decision.admitted)
            window = try #require(decision.states[0].window)
        }
        #expect(try await subject.limits.used(rule(0)) == 150 * 100)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, holder) in holders.enumerated() {
                let settlement = QuotaSettlement(rule: rule(0), window: window, actual: index % 7)
                group.addTask { try await subject.limits.settle([settlement], holder: holder) }
            }
            try await group.waitForAll()
        }
        let expected = holders.indices.reduce(0) { $0 + $1 % 7 }
        #expect(try await subject.limits.used(rule(0)) == expected, "each reservation replaced by its actual use")
    }
}
