import Foundation
import Testing

@testable import EdgeRuntime

@Suite struct EventLoopLagTests {
    /// Work that holds a loop shows up as lag: the probe's timer fires late by about as long.
    @Test func aBlockedLoopReportsItsLag() async throws {
        let group = EventLoopGroup(threadCount: 1, name: "lag-test")
        defer { group.shutdown() }
        group.startLagProbes()
        try await Task.sleep(for: .milliseconds(50))
        group.loops[0].execute { usleep(800_000) }  // holds the loop past the probe's 500 ms
        var lag = Duration.zero
        for _ in 0..<40 where lag < .milliseconds(200) {
            try await Task.sleep(for: .milliseconds(100))
            lag = group.eventLoopLag()
        }
        #expect(lag >= .milliseconds(200))
        // Once the loop is free again, the next probes fire on time.
        var settled = lag
        for _ in 0..<40 where settled >= .milliseconds(200) {
            try await Task.sleep(for: .milliseconds(100))
            settled = group.eventLoopLag()
        }
        #expect(settled < .milliseconds(200))
    }

    /// The gauge is in the runtime's metrics.
    @Test func theRuntimeExportsTheLagGauge() async throws {
        let harness = try await ServerHarness.start { _, _, _ in .text("ok") }
        let registry = MetricsRegistry()
        harness.runtime.registerMetrics(registry)
        #expect(registry.render().contains("# TYPE edge_event_loop_lag_seconds gauge"))
        await harness.stop()
    }
}
