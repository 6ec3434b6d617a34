public import EdgeRuntime

/// One call's ``UsageEvent`` in the making, for ``UsageStep``: the event as the call arrived, then
/// completed from the reply's head and, for a streamed body, once the body has ended.
///
/// A class with synchronous methods, so the step's async frame — held for the whole call, and for
/// a stream that is seconds — keeps one reference instead of the event and its copies.
final class UsageRecording: Sendable {
    let step: UsageStep
    let started = ContinuousClock.now
    /// The event as the call arrived.
    let arrived: UsageEvent
    let outcome = LockedValue<CallOutcome?>(nil)

    init(step: UsageStep, call: RelayCall) {
        self.step = step
        var event = UsageEvent(
            requestID: call.ctx.requestID, time: step.clock.now(), keyID: call.credentials.key?.id,
            org: call.credentials.org,
            route: "/v1" + call.call.path, status: 0, stream: call.call.isStreaming, complete: false,
            latencyMilliseconds: 0)
        event.model = call.call.model
        arrived = event
    }

    /// Records a call that failed before its reply's head.
    func failed(_ error: any Error, of call: RelayCall) {
        var event = arrived
        event.status = (error as? any OpenAIErrorRenderable)?.status ?? 500
        event.errorType = (error as? any OpenAIErrorRenderable)?.errorType ?? "server_error"
        event.latencyMilliseconds = UsageStep.milliseconds(since: started)
        step.record(event, operation: call.call.operation, ctx: call.ctx)
    }

    /// Records a whole reply at once; a streamed one once its body has ended (and counts it as a
    /// stream in flight meanwhile).
    func observe(_ response: Response, of call: RelayCall) -> Response {
        var event = arrived
        event.status = response.status
        event.headMilliseconds = UsageStep.milliseconds(since: started)
        event.cache = response.headers["x-bt-cached"]
        event.coalesced = response.headers["x-bt-coalesced"]
        event.endpoint = response.headers["x-bt-used-endpoint"]
        event.softBudgetExceeded = response.headers["x-bt-soft-budget-exceeded"] == "true"
        event.provider = event.endpoint.flatMap { name in
            call.credentials.endpoints.first { $0.name == name }?.kind.rawValue
        }
        let model = call.call.model.flatMap(step.catalog.model)
        let (step, ctx, operation) = (step, call.ctx, call.call.operation)
        if let bytes = response.body.knownBytes {
            var finished = finished(event, firstByte: event.headMilliseconds, model: model)
            if finished.cache == "HIT", let usage = ResponseRelay.usage(inReply: bytes) {
                finished.usage = usage
                finished.savedMicroUSD = usage.cost(model)
            }
            step.record(finished, operation: operation, ctx: ctx)
            return response
        }
        var observed = response
        let (head, body, started) = (event, response.body, started)
        observed.body = Body { output in
            let firstByte = LockedValue<Double?>(nil)
            let timing = BodyOutput { chunk in
                firstByte.withLock { $0 = $0 ?? UsageStep.milliseconds(since: started) }
                try await output.write(chunk)
            }
            step.metrics?.streamStarted()
            defer {
                step.metrics?.streamEnded()
                step.record(
                    self.finished(head, firstByte: firstByte.withLock { $0 }, model: model), operation: operation,
                    ctx: ctx)
            }
            try await body.write(to: timing)
        }
        return observed
    }

    /// `head` completed once the reply has ended: latency, tokens and cost.
    private func finished(_ head: UsageEvent, firstByte: Double?, model: ModelCatalog.Model?) -> UsageEvent {
        var event = head
        event.latencyMilliseconds = UsageStep.milliseconds(since: started)
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
}
