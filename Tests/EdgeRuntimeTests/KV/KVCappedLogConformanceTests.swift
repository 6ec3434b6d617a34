import EdgeRuntime
import Foundation
import Testing

/// The capped log on every backend: newest first, capped, paged, and concurrent appends all land.
@Suite struct KVCappedLogConformanceTests {
    typealias Backend = KVNamespaceConformanceTests.Backend

    @Test(arguments: Backend.allCases)
    func newestFirstCappedAndPaged(_ backend: Backend) async throws {
        let log = try #require(try backend.make(clock: ManualWallClock()) as? any KVCappedLog)
        #expect(try await log.entries("events", offset: 0, limit: 10).isEmpty)
        try await log.prepend("events", entries: [Array("1".utf8), Array("2".utf8)], cap: 4)
        try await log.prepend("events", entries: [Array("3".utf8)], cap: 4)
        try await log.prepend("events", entries: [Array("4".utf8), Array("5".utf8)], cap: 4)
        let all = try await log.entries("events", offset: 0, limit: 10).map { String(decoding: $0, as: UTF8.self) }
        #expect(all == ["5", "4", "3", "2"], "newest first, the oldest past the cap gone")
        let page = try await log.entries("events", offset: 1, limit: 2).map { String(decoding: $0, as: UTF8.self) }
        #expect(page == ["4", "3"])
    }

    /// A batch as large as the cap replaces the log.
    @Test(arguments: Backend.allCases)
    func aBatchThatFillsTheCapReplacesTheLog(_ backend: Backend) async throws {
        let log = try #require(try backend.make(clock: ManualWallClock()) as? any KVCappedLog)
        try await log.prepend("events", entries: [Array("1".utf8), Array("2".utf8)], cap: 3)
        try await log.prepend("events", entries: ["3", "4", "5", "6"].map { Array($0.utf8) }, cap: 3)
        let all = try await log.entries("events", offset: 0, limit: 10).map { String(decoding: $0, as: UTF8.self) }
        #expect(all == ["6", "5", "4"])
    }

    @Test(arguments: Backend.allCases)
    func concurrentAppendsAllLand(_ backend: Backend) async throws {
        let log = try #require(try backend.make(clock: ManualWallClock()) as? any KVCappedLog)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask { try await log.prepend("e", entries: [Array("\(index)".utf8)], cap: 1000) }
            }
            try await group.waitForAll()
        }
        let entries = try await log.entries("e", offset: 0, limit: 1000).map { String(decoding: $0, as: UTF8.self) }
        #expect(Set(entries) == Set((0..<40).map(String.init)))
    }
}
