import EdgeRuntime

/// SSE comments (`: keep-alive`) sent to a streaming client while its stream has nothing to say
/// yet, so load balancers and clients that cut idle connections (60 s on many) don't cut a slow
/// model's stream before its first token. Clients ignore comments (the SSE spec; the OpenAI and
/// Anthropic SDKs do).
///
/// Once the stream's own first write starts, no comment is sent again: a comment never lands
/// between the stream's events, and the cached transcript never holds one.
struct StreamKeepAlive: Sendable {
    static let comment = Array(": keep-alive\n\n".utf8)

    let interval: Duration
    let clock: KeepAliveClock

    init(interval: Duration) {
        self.interval = interval
        clock = KeepAliveClock(interval: interval)
    }

    /// `stream` with a comment written every `interval` until its first write.
    ///
    /// A comment is written by a task on the body's own event loop (the connection's thread),
    /// started only when one is due; it takes turns with the stream's writes through a
    /// ``FirstWriteGate``.
    func body(_ stream: Body) -> Body {
        let (interval, clock) = (self.interval, self.clock)
        return Body { output in
            let gate = FirstWriteGate()
            let executor = ExecutionContext.currentExecutor
            @Sendable func arm() {
                let id = clock.schedule(after: interval) {
                    guard gate.beginComment() else { return }
                    Task(executorPreference: executor) {
                        let sent = (try? await output.write(Self.comment)) != nil
                        if gate.endComment() && sent { arm() }
                    }
                }
                if !gate.armed(id) { clock.cancel(id) }
            }
            arm()
            try await stream.write(
                to: BodyOutput { chunk in
                    if let pending = await gate.claim() { clock.cancel(pending) }
                    try await output.write(chunk)
                })
            if let pending = await gate.claim() { clock.cancel(pending) }
        }
    }
}
