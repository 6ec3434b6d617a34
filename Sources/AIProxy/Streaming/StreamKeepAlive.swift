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

    /// `stream` with a comment written every `interval` until its first write.
    ///
    /// The comments come from a child task on the body's own executor (the connection's loop),
    /// taking turns with the stream's writes through a ``FirstWriteGate``.
    func body(_ stream: Body) -> Body {
        let interval = self.interval
        return Body { output in
            let gate = FirstWriteGate()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        try await Task.sleep(for: interval)
                        guard gate.beginComment() else { return }
                        let sent = (try? await output.write(Self.comment)) != nil
                        gate.endComment()
                        guard sent else { return }
                    }
                }
                defer { group.cancelAll() }
                try await stream.write(
                    to: BodyOutput { chunk in
                        await gate.claim()
                        try await output.write(chunk)
                    })
                await gate.claim()
            }
        }
    }
}

/// Who writes to a stream's client: keep-alive comments until the stream's own first write
/// claims the output, then only the stream. A claim made while a comment is being written waits
/// for it, so two writes are never in flight at once.
final class FirstWriteGate: Sendable {
    private struct State {
        var claimed = false
        var commenting = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = LockedValue(State())

    /// Whether a comment may be written now (the stream hasn't claimed the output).
    func beginComment() -> Bool {
        state.withLock { current in
            guard !current.claimed else { return false }
            current.commenting = true
            return true
        }
    }

    func endComment() {
        let waiter = state.withLock { current in
            current.commenting = false
            defer { current.waiter = nil }
            return current.waiter
        }
        waiter?.resume()
    }

    /// Takes the output for the stream, after the comment being written, if any; then returns at once.
    func claim() async {
        let mustWait = state.withLock { current in
            current.claimed = true
            return current.commenting
        }
        guard mustWait else { return }
        await withCheckedContinuation { continuation in
            let now = state.withLock { current in
                guard current.commenting else { return true }
                current.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
