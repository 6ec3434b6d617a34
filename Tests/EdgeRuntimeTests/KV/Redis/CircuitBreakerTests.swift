import Testing

@testable import EdgeRuntime

@Suite struct CircuitBreakerTests {
    @Test func opensAfterTheThresholdOfFailuresInARow() {
        var breaker = CircuitBreaker(failureThreshold: 3)
        #expect(breaker.record(success: false, now: 1) == nil)
        #expect(breaker.record(success: false, now: 2) == nil)
        #expect(!breaker.isOpen)
        #expect(breaker.record(success: false, now: 3) == .opened)
        #expect(breaker.isOpen)
        #expect(breaker.openSince == 3)
    }

    @Test func aSuccessResetsTheCount() {
        var breaker = CircuitBreaker(failureThreshold: 3)
        _ = breaker.record(success: false, now: 1)
        _ = breaker.record(success: false, now: 2)
        _ = breaker.record(success: true, now: 3)
        _ = breaker.record(success: false, now: 4)
        _ = breaker.record(success: false, now: 5)
        #expect(!breaker.isOpen, "two failures since the last success")
    }

    @Test func onlyAProbeClosesIt() {
        var breaker = CircuitBreaker(failureThreshold: 1)
        #expect(breaker.record(success: false, now: 10) == .opened)
        // A call that started before it opened and finished fine says nothing about now.
        #expect(breaker.record(success: true, now: 11) == nil)
        #expect(breaker.isOpen)
        #expect(breaker.recordProbe(success: false, now: 12) == nil)
        #expect(breaker.isOpen)
        #expect(breaker.recordProbe(success: true, now: 14.5) == .closed(downFor: 4.5))
        #expect(!breaker.isOpen)
        #expect(breaker.recordProbe(success: true, now: 15) == nil, "a closed breaker has nothing to close")
    }
}
