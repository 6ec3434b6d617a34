import EdgeRuntime
import Testing

@Suite struct MetricsRegistryTests {
    @Test func rendersPrometheusTextWithCumulativeBucketsAndEscapedLabels() {
        let registry = MetricsRegistry()
        let calls = registry.counter("calls_total", help: "Calls.")
        let sizes = registry.histogram("size", help: "Sizes.", buckets: [1, 10])
        registry.gauge("answer", help: "The answer.") { 42 }
        calls.add(1, [("route", "/a\"b")])
        calls.add(2, [("route", "/a\"b")])
        for value in [0.5, 5, 50] { sizes.observe(value, [("kind", "x")]) }
        let text = registry.render()
        #expect(text.contains("# TYPE calls_total counter\ncalls_total{route=\"/a\\\"b\"} 3\n"))
        #expect(text.contains("size_bucket{kind=\"x\",le=\"1\"} 1\n"))
        #expect(text.contains("size_bucket{kind=\"x\",le=\"10\"} 2\n"))
        #expect(text.contains("size_bucket{kind=\"x\",le=\"+Inf\"} 3\n"))
        #expect(text.contains("size_sum{kind=\"x\"} 55.5\n"))
        #expect(text.contains("size_count{kind=\"x\"} 3\n"))
        #expect(text.contains("# TYPE answer gauge\nanswer 42\n"))
    }

    /// A bucket counts observations up to and including its bound (`le`), every bucket above too.
    @Test func bucketBoundsAreInclusiveAndCumulative() {
        let registry = MetricsRegistry()
        let values = registry.histogram("v", help: "Values.", buckets: [1, 2, 4, 8])
        for value in [0, 1, 1.5, 2, 4, 4.01, 8, 9] { values.observe(value) }
        let text = registry.render()
        for (bound, count) in [("1", 2), ("2", 4), ("4", 5), ("8", 7), ("+Inf", 8)] {
            #expect(text.contains("v_bucket{le=\"\(bound)\"} \(count)\n"), "le=\(bound)")
        }
    }
}
