public import EdgeRuntime

/// One call's way through the proxy after its credentials are known, as a chain of
/// ``RelayStep``s: usage (one event per call, to `USAGE_LOG`), admission (the key's allow-lists
/// and limits), cache lookup (a hit answers
/// here), cache store (a hook for when the reply is over), keep-alive for slow streams,
/// coalescing of identical calls in flight, then the upstream step (endpoint selection, failover) and ``ResponseRelay`` (the reply
/// relayed, streamed when the upstream streams, translated as needed).
///
/// Steps for usage and metrics slot into `steps` without growing any of the others.
public struct CallRelay: Sendable {
    let chain: RelayChain

    /// - Parameter fleet: the fleet-wide coordination binding (`LIMITS`), when there is one:
    ///   identical calls then coalesce across instances too.
    public init(
        cache: EncryptedCache?, selector: EndpointSelector, failover: Failover, limits: any LimitsNamespace,
        fleet: (any LimitsNamespace)? = nil,
        usageLog: LineWriter? = nil, rollups: UsageRollups? = nil, events: EventLog? = nil,
        metrics: ProxyMetrics? = nil,
        clock: any WallClock = SystemWallClock(), configuration: ProxyConfiguration, logger: Logger
    ) {
        var steps: [any RelayStep] = []
        if usageLog != nil || rollups != nil || events != nil || metrics != nil {
            steps.append(
                UsageStep(
                    log: usageLog, rollups: rollups, logger: logger, metrics: metrics, events: events,
                    catalog: selector.catalog,
                    clock: clock))
        }
        steps.append(
            AdmissionStep(
                limits: limits, catalog: selector.catalog, failOpen: configuration.limitsFailOpen, logger: logger,
                metrics: metrics))
        steps.append(
            CacheLookupStep(cache: cache, defaultTTL: configuration.cacheTTL, defaultMode: configuration.cacheMode))
        if let cache { steps.append(CacheStoreStep(cache: cache)) }
        if let interval = configuration.streamKeepAlive {
            steps.append(StreamKeepAliveStep(keepAlive: StreamKeepAlive(interval: interval)))
        }
        if let cache {
            steps.append(
                CoalescingStep(
                    inFlight: InFlightCalls(),
                    fleet: fleet.map { FleetCoalescing(limits: $0, cache: cache, logger: logger) }))
        }
        let upstream = UpstreamStep(selector: selector, failover: failover, responses: ResponseRelay(logger: logger))
        chain = RelayChain(steps: steps, terminal: { try await upstream.respond(to: $0) })
    }

    /// The response for `call`; upstream errors come back as the upstream sent them.
    public func respond(to call: RelayCall) async throws -> Response {
        try await RelayNext(chain: chain, index: 0)(call)
    }
}
