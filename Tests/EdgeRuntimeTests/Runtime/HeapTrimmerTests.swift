import Testing

@testable import EdgeRuntime

@Suite struct HeapTrimmerTests {
    @Test func aServerQuietForTheDelayIsTrimmedOnce() async throws {
        let trims = LockedValue(0)
        let trimmer = HeapTrimmer(delay: .milliseconds(100)) { trims.withLock { $0 += 1 } }
        trimmer.connectionOpened()
        trimmer.serverBecameQuiet()
        #expect(trims.withLock { $0 } == 0, "not before the delay")
        try await Task.sleep(for: .milliseconds(600))
        #expect(trims.withLock { $0 } == 1)
    }

    @Test func aConnectionOpenedDuringTheDelayCancelsTheTrim() async throws {
        let trims = LockedValue(0)
        let trimmer = HeapTrimmer(delay: .milliseconds(300)) { trims.withLock { $0 += 1 } }
        trimmer.connectionOpened()
        trimmer.serverBecameQuiet()
        trimmer.connectionOpened()
        try await Task.sleep(for: .milliseconds(800))
        #expect(trims.withLock { $0 } == 0, "busy again: no trim until it is quiet again")
    }

    @Test func theLastConnectionOfAServerClosingStartsTheDelay() async throws {
        let trims = LockedValue(0)
        let counters = ServerCounters(trimmer: HeapTrimmer(delay: .milliseconds(100)) { trims.withLock { $0 += 1 } })
        counters.connectionOpened()
        counters.connectionOpened()
        counters.connectionClosed()
        try await Task.sleep(for: .milliseconds(400))
        #expect(trims.withLock { $0 } == 0, "one connection still open")
        counters.connectionClosed()
        try await Task.sleep(for: .milliseconds(600))
        #expect(trims.withLock { $0 } == 1)
    }
}
