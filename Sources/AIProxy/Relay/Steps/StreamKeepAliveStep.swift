import EdgeRuntime

/// Keeps a streaming call's client connection busy until the stream's first byte
/// (`STREAM_KEEPALIVE_SECONDS`, 15 by default; 0 = off): load balancers and clients cut idle
/// connections while a slow model thinks.
///
/// When the upstream answers within the interval, nothing changes except that the reply's
/// stream, until its first event, is kept alive with comments (``StreamKeepAlive``). When it
/// doesn't, the client gets a `200` event-stream head and a `: keep-alive` comment every
/// interval while the call goes on (failover included); then the stream, or — the head being
/// out — an upstream error as the stream's one error event in the client's format
/// (``StreamErrorEvents``). Fast errors keep their status: the head is sent only after a whole
/// interval of silence.
struct StreamKeepAliveStep: RelayStep {
    let keepAlive: StreamKeepAlive

    func handle(_ call: RelayCall, next: RelayNext) async throws -> Response {
        guard call.call.isStreaming else { return try await next(call) }
        let keepAlive = self.keepAlive
        let pending = PendingReply(clock: keepAlive.clock) { try await next(call) }
        let early = await withTaskCancellationHandler {
            await pending.outcome(within: keepAlive.interval)
        } onCancel: {
            pending.abandon()
        }
        if let early { return keptAlive(try early.get()) }
        var head: Headers = ["content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"]
        if call.cacheKey != nil { head["x-bt-cached"] = "MISS" }
        let headers = head
        return Response(
            status: 200, headers: headers,
            body: Body { output in
                var outcome: PendingReply.Outcome?
                repeat {
                    do {
                        try await output.write(StreamKeepAlive.comment)
                    } catch {
                        pending.abandon()
                        throw error
                    }
                    outcome = await pending.outcome(within: keepAlive.interval)
                } while outcome == nil
                let events: [SSEEvent]
                switch outcome {
                case .success(let reply) where reply.status == 200:
                    return try await keepAlive.body(reply.body).write(to: output)
                case .success(let reply):
                    // The relay has reported this reply's outcome; only its telling changes.
                    let body = (try? await reply.body.collect(upTo: 1 << 20)) ?? []
                    events = StreamErrorEvents.events(
                        forReply: reply.status, body: body, operation: call.call.operation)
                case .failure(let error):
                    call.finish(
                        CallOutcome(
                            status: (error as? any OpenAIErrorRenderable)?.status ?? 500, headers: headers,
                            complete: false, body: nil))
                    events = StreamErrorEvents.events(for: error, operation: call.call.operation)
                case nil:
                    return
                }
                for event in events { try await output.write(event.encoded) }
            })
    }

    /// A reply that came in time, its stream (if it is one) kept alive until its first byte.
    private func keptAlive(_ reply: Response) -> Response {
        guard reply.status == 200, reply.body.knownBytes == nil,
            reply.headers["content-type"]?.hasPrefix("text/event-stream") == true
        else { return reply }
        var reply = reply
        reply.body = keepAlive.body(reply.body)
        return reply
    }
}
