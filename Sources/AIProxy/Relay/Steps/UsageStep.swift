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
        let recording = UsageRecording(step: self, call: call)
        var call = call
        call.wantsUsage = true
        call.onFinish.append { finished in recording.outcome.withLock { $0 = finished } }
        let response: Response
        do {
            response = try await next(call)
        } catch {
            recording.failed(error, of: call)
            throw error
        }
        return recording.observe(response, of: call)
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
