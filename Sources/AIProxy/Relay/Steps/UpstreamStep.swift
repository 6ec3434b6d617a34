public import EdgeRuntime

/// The relay's last step: picks the endpoints that can serve the call (catalog, pin, random
/// start), sends it through failover, and hands the answer to ``ResponseRelay``.
struct UpstreamStep: Sendable {
    let selector: EndpointSelector
    let failover: Failover
    let responses: ResponseRelay
    /// Where failover starts; weak randomness is enough to spread load.
    let random = StartingPoints()

    func respond(to call: RelayCall) async throws -> Response {
        let (call, candidates) = try routed(call)
        let (answering, upstream) = try await failover.send(call.call, to: candidates)
        return try await responses.respond(
            to: call.answered(by: answering.endpoint), upstream: upstream, adapter: answering.adapter)
    }

    /// The call with its catalog model, and the endpoints to try in order. Out of `respond`, whose
    /// frame a stream holds for its whole length.
    @inline(never)
    private func routed(_ call: RelayCall) throws -> (RelayCall, [RoutedEndpoint]) {
        var random = random.generator()
        let candidates = try selector.candidates(
            for: call.call.model, operation: call.call.operation, among: call.credentials.endpoints,
            pinned: call.call.headers["x-bt-endpoint-name"], using: &random)
        var call = call
        // Only calls that go upstream need the model's limits (cache hits were answered before).
        call.call.catalogModel = call.call.model.flatMap(selector.catalog.model)
        return (call, candidates)
    }
}

extension RelayCall {
    /// This call, answered by `endpoint`.
    @inline(never)
    fileprivate func answered(by endpoint: Endpoint) -> RelayCall {
        var call = self
        call.endpoint = endpoint
        return call
    }
}
