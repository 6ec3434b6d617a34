public import EdgeRuntime

/// Records one ``UsageEvent`` per call, refused ones included, once its reply has ended: tokens
/// from the reply's usage (``CallOutcome/usage``), cost at the catalog's prices, cache outcome,
/// latencies — to the usage log (JSON lines) and the daily rollups. The relay's outermost step,
/// so it sees the admission's refusals too.
struct UsageStep: RelayStep {
    let log: LineWriter?
    let rollups: UsageRollups?
    let logger: Logger
    let metrics: ProxyMetrics?
    let events: EventLog?
    let catalog: ModelCatalog
    let clock: any WallClock

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        let started = ContinuousClock.now
        var event = UsageEvent(
            requestID: call.ctx.requestID, time: clock.now(), keyID: call.credentials.key?.id,
            org: call.credentials.org,
            route: "/v1" + call.call.path, status: 0, stream: call.call.isStreaming, complete: false,
            latencyMilliseconds: 0)
        event.model = call.call.model
        let outcome = LockedValue<CallOutcome?>(nil)
        var call = call
        call.wantsUsage = true
        call.onFinish.append { finished in outcome.withLock { $0 = finished } }
        let response: Response
        do {
            response = try await next(call)
        } catch {
            event.status = (error as? any OpenAIErrorRenderable)?.status ?? 500
            event.errorType = (error as? any OpenAIErrorRenderable)?.errorType ?? "server_error"
            event.latencyMilliseconds = Self.milliseconds(since: started)
            record(event, operation: call.call.operation, ctx: call.ctx)
            throw error
        }
        event.status = response.status
        event.headMilliseconds = Self.milliseconds(since: started)
        event.cache = response.headers["x-bt-cached"]
        event.coalesced = response.headers["x-bt-coalesced"]
        event.endpoint = response.headers["x-bt-used-endpoint"]
        event.softBudgetExceeded = response.headers["x-bt-soft-budget-exceeded"] == "true"
        event.provider = event.endpoint.flatMap { name in
            call.credentials.endpoints.first { $0.name == name }?.kind.rawValue
        }
        let model = call.call.model.flatMap(catalog.model)
        let head = event
        let finish = { @Sendable (firstByte: Double?) in
            var event = head
            event.latencyMilliseconds = Self.milliseconds(since: started)
            event.timeToFirstByteMilliseconds = firstByte
            if let outcome = outcome.withLock({ $0 }) {
                event.complete = outcome.complete
                event.usage = outcome.usage
                event.costMicroUSD = outcome.usage.flatMap { $0.cost(model) }
            } else if event.cache == "HIT" || event.coalesced == "follower" {
                event.complete = true
                event.costMicroUSD = 0
            } else {
                event.complete = (200..<300).contains(event.status)
            }
            return event
        }
        if let bytes = response.body.knownBytes {
            var finished = finish(event.headMilliseconds)
            if finished.cache == "HIT", let usage = ResponseRelay.usage(inReply: bytes) {
                finished.usage = usage
                finished.savedMicroUSD = usage.cost(model)
            }
            record(finished, operation: call.call.operation, ctx: call.ctx)
            return response
        }
        var observed = response
        let (step, ctx, operation) = (self, call.ctx, call.call.operation)
        let body = response.body
        observed.body = Body { output in
            let firstByte = LockedValue<Double?>(nil)
            let timing = BodyOutput { chunk in
                firstByte.withLock { $0 = $0 ?? Self.milliseconds(since: started) }
                try await output.write(chunk)
            }
            step.metrics?.streamStarted()
            defer {
                step.metrics?.streamEnded()
                step.record(finish(firstByte.withLock { $0 }), operation: operation, ctx: ctx)
            }
            try await body.write(to: timing)
        }
        return observed
    }

    /// Writes the event's line and adds it to its rollup (after the reply, off its path).
    func record(_ event: UsageEvent, operation: ProxyCall.Operation, ctx: ExecutionContext) {
        metrics?.record(event, operation: operation)
        rollups?.add(event, ctx: ctx)
        guard log != nil || (events != nil && event.keyID != nil) else { return }
        let line = event.line  // once, for both
        log?.write(line)
        if event.keyID != nil { events?.add(line: line, ctx: ctx) }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
