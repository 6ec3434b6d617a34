import Testing

@testable import EdgeRuntime

@Suite struct HeapTrimmerTests {
    @Test func aServerQuietForTheDelayIsTrimmedOnce() async throws {
        let trims = LockedValue(0)
        let trimmer = HeapTrimmer(delay: .milliseconds(100)) { trims.withLock { $0 += 1 } }
        trimmer.connectionOpened()
        trimmer.connectionClosed()
        #expect(trims.withLock { $0 } == 0, "not before the delay")
        try await Task.sleep(for: .milliseconds(600))
        #expect(trims.withLock { $0 } == 1)
    }

    @Test func aConnectionOpenedDuringTheDelayCancelsTheTrim() async throws {
        let trims = LockedValue(0)
        let trimmer = HeapTrimmer(delay: .milliseconds(300)) { trims.withLock { $0 += 1 } }
        trimmer.connectionOpened()
        trimmer.connectionClosed()
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

    @Test func aQuietServerIsNotTrimmedWhileAnotherOneHasConnections() async throws {
        let trims = LockedValue(0)
        let trimmer = HeapTrimmer(delay: .milliseconds(100)) { trims.withLock { $0 += 1 } }
        let proxy = ServerCounters(trimmer: trimmer)
        let admin = ServerCounters(trimmer: trimmer)
        proxy.connectionOpened()
        admin.connectionOpened()
        admin.connectionClosed()
        try await Task.sleep(for: .milliseconds(400))
        #expect(trims.withLock { $0 } == 0, "the admin port is quiet, the proxy's is not")
        proxy.connectionClosed()
        try await Task.sleep(for: .milliseconds(600))
        #expect(trims.withLock { $0 } == 1)
    }
}
