public import EdgeRuntime

/// What the proxy counts for `/metrics`: OpenTelemetry's GenAI histograms under their Prometheus
/// names (as Envoy AI Gateway exposes them, with the spec's bucket boundaries) and the proxy's own
/// counters — all fed from each call's ``UsageEvent``. Never a key id or an org as a label.
public final class ProxyMetrics: Sendable {
    let tokens: MetricFamily
    let duration: MetricFamily
    let timeToFirstToken: MetricFamily
    let timePerOutputToken: MetricFamily
    let requests: MetricFamily
    let cache: MetricFamily
    let refusals: MetricFamily
    let upstreamErrors: MetricFamily
    let spend: MetricFamily
    let streams: MetricFamily
    let failovers: MetricFamily
    let limitsStoreFailures: MetricFamily
    let coalesced: MetricFamily

    public init(registry: MetricsRegistry) {
        tokens = registry.histogram(
            "gen_ai_client_token_usage", help: "Input and output tokens per call.",
            buckets: [
                1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
            ])
        duration = registry.histogram(
            "gen_ai_server_request_duration_seconds", help: "Time from a call's arrival to its reply's last byte.",
            buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92])
        timeToFirstToken = registry.histogram(
            "gen_ai_server_time_to_first_token_seconds", help: "Time to a successful stream's first byte.",
            buckets: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0])
        timePerOutputToken = registry.histogram(
            "gen_ai_server_time_per_output_token_seconds",
            help: "A successful stream's time per output token after the first.",
            buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5])
        requests = registry.counter("aiproxy_requests_total", help: "Calls by route and status.")
        cache = registry.counter("aiproxy_cache_lookups_total", help: "Response cache lookups by result (hit, miss).")
        refusals = registry.counter(
            "aiproxy_limit_refusals_total", help: "Calls refused by a key's or org's limits, by reason.")
        upstreamErrors = registry.counter(
            "aiproxy_upstream_errors_total", help: "Upstream replies with a 5xx or 429, by provider.")
        spend = registry.counter(
            "aiproxy_spend_micro_usd_total", help: "Spend at the catalog's list prices, micro-USD.")
        streams = registry.gauge("aiproxy_streams_in_flight", help: "Streamed replies being written now.")
        limitsStoreFailures = registry.counter(
            "aiproxy_limits_store_failures_total",
            help: "Calls of keys with limits the limits store couldn't decide, by what was done (admitted, refused).")
        coalesced = registry.counter(
            "aiproxy_coalesced_calls_total",
            help: "Cacheable calls by their coalescing role: leader (went upstream) or follower (answered by it).")
        failovers = registry.counter(
            "aiproxy_failovers_total", help: "Calls moved from a failing endpoint to the next, by its provider and why."
        )
    }

    /// Counts one finished call.
    func record(_ event: UsageEvent, operation: ProxyCall.Operation) {
        let failed = !(200..<300).contains(event.status)
        let call = series(operation: operation, provider: event.provider, model: event.model)
        if failed {
            duration.observe(
                event.latencyMilliseconds / 1000,
                call.labels.adding("error_type", event.errorType ?? String(event.status)))
        } else {
            call.duration.observe(event.latencyMilliseconds / 1000)
        }
        requestSeries(route: event.route, status: event.status).add()
        if let cache = event.cache { self.cache.add(1, [("result", cache.lowercased())]) }
        if let role = event.coalesced { coalesced.add(1, [("role", role)]) }
        if event.status == 429, event.errorType == "requests" || event.errorType == "insufficient_quota" {
            refusals.add(1, [("reason", event.errorType == "insufficient_quota" ? "budget" : "rate")])
        }
        if let provider = event.provider, event.status >= 500 || event.status == 429 {
            upstreamErrors.add(1, [("gen_ai_provider_name", Self.providerName(provider))])
        }
        if let usage = event.usage {
            call.inputTokens.observe(Double(usage.input))
            call.outputTokens.observe(Double(usage.output))
            if !failed, event.stream, let first = event.timeToFirstByteMilliseconds {
                call.timeToFirstToken.observe(first / 1000)
                if usage.output > 1 {
                    call.timePerOutputToken.observe(
                        (event.latencyMilliseconds - first) / 1000 / Double(usage.output - 1))
                }
            }
        }
        if let cost = event.costMicroUSD, cost > 0 { call.spend.add(Double(cost)) }
    }

    /// The series one call's (operation, provider, model) updates, kept after first use: a call
    /// then costs a lookup, not seven label keys built and found.
    private func series(operation: ProxyCall.Operation, provider: String?, model: String?) -> CallSeries {
        Self.kept(callSeries, CallSeries.Key(operation: operation, provider: provider, model: model)) {
            let labels = MetricLabels([
                ("gen_ai_operation_name", Self.operationName(operation)),
                ("gen_ai_provider_name", Self.providerName(provider)),
                ("gen_ai_request_model", model ?? ""),
            ])
            return CallSeries(
                labels: labels, duration: duration.series(labels),
                inputTokens: tokens.series(labels.adding("gen_ai_token_type", "input")),
                outputTokens: tokens.series(labels.adding("gen_ai_token_type", "output")),
                timeToFirstToken: timeToFirstToken.series(labels),
                timePerOutputToken: timePerOutputToken.series(labels),
                spend: spend.series(
                    MetricLabels([
                        ("gen_ai_provider_name", Self.providerName(provider)), ("gen_ai_request_model", model ?? ""),
                    ])
                ))
        }
    }

    private func requestSeries(route: String, status: Int) -> MetricSeries {
        Self.kept(routeSeries, RouteStatus(route: route, status: status)) {
            requests.series(MetricLabels([("route", route), ("status", String(status))]))
        }
    }

    /// `cache[key]`, made and kept on first use while fewer than ``maxKeptSeries`` are kept
    /// (models are named by callers); past that, made each time.
    private static func kept<Key: Hashable, Value>(
        _ cache: LockedValue<[Key: Value]>, _ key: Key, make: () -> Value
    ) -> Value {
        if let found = cache.withLock({ $0[key] }) { return found }
        let made = make()
        cache.withLock { kept in
            if kept.count < maxKeptSeries { kept[key] = made }
        }
        return made
    }

    static let maxKeptSeries = 1000
    private let callSeries = LockedValue<[CallSeries.Key: CallSeries]>([:])
    private let routeSeries = LockedValue<[RouteStatus: MetricSeries]>([:])

    private struct RouteStatus: Hashable {
        let route: String
        let status: Int
    }

    /// Counts a call leaving a failing endpoint (``Failover/onFailover``).
    public func failedOver(from provider: ProviderKind, reason: String) {
        failovers.add(1, [("gen_ai_provider_name", Self.providerName(provider.rawValue)), ("reason", reason)])
    }

    /// Counts a call whose limits couldn't be checked (`LIMITS_ON_STORE_FAILURE`).
    func limitsStoreFailed(admitted: Bool) {
        limitsStoreFailures.add(1, [("decision", admitted ? "admitted" : "refused")])
    }

    func streamStarted() { streams.add(1) }
    func streamEnded() { streams.add(-1) }

    static func operationName(_ operation: ProxyCall.Operation) -> String {
        switch operation {
        case .chatCompletions, .anthropicMessages, .responses: "chat"
        case .completions: "text_completion"
        case .embeddings: "embeddings"
        case .moderations: "moderations"
        case .passthrough: "other"
        }
    }

    /// OpenTelemetry's `gen_ai.provider.name` for a provider kind.
    static func providerName(_ kind: String?) -> String {
        switch kind {
        case nil: ""
        case "azure": "azure.ai.openai"
        case "google", "gemini": "gcp.gemini"
        case "bedrock": "aws.bedrock"
        case "mistral": "mistral_ai"
        case "xai": "x_ai"
        case let other?: other
        }
    }
}

/// The series one (operation, provider, model) updates, for ``ProxyMetrics/record(_:operation:)``.
struct CallSeries: Sendable {
    struct Key: Hashable {
        let operation: ProxyCall.Operation
        let provider: String?
        let model: String?
    }

    let labels: MetricLabels
    let duration: MetricSeries
    let inputTokens: MetricSeries
    let outputTokens: MetricSeries
    let timeToFirstToken: MetricSeries
    let timePerOutputToken: MetricSeries
    let spend: MetricSeries
}
