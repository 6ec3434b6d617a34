public import EdgeRuntime

/// Relays an upstream event stream to the client event by event, translated to OpenAI's
/// format, as a writer body the connection runs on its own task.
///
/// If the upstream fails mid-stream, the client gets a final SSE error event (the translator's
/// ``StreamTranslator/failureEvents(for:)``) and a clean end, never a hang; the outcome is then
/// incomplete, so such a transcript is never cached. If the client goes away, the upstream
/// transfer is cancelled.
struct StreamRelay: Sendable {
    var decoder: any StreamDecoder
    var translator: any StreamTranslator
    let logger: Logger

    func body(relaying upstream: Body, for call: RelayCall, headers: Headers, status: Int) -> Body {
        let relay = self
        return Body { output in
            var relay = relay
            var transcript = Transcript(keeping: call.keepsBody)
            var usage: TokenUsage?
            let clientWantsUsage = UsageChunk.requested(by: call.call)
            // The events one upstream event becomes go out in one write (a Responses stream
            // makes several of one: the done events and `response.completed` together).
            func send(_ events: [SSEEvent]) async throws {
                var bytes: [UInt8] = []
                for event in events {
                    if let reported = UsageChunk.usage(inData: event.data) {
                        usage = reported
                        if !clientWantsUsage { continue }
                    }
                    if bytes.isEmpty { bytes = event.encoded } else { bytes += event.encoded }
                }
                guard !bytes.isEmpty else { return }
                try await output.write(bytes)
                transcript.append(bytes)
            }
            do {
                for try await chunk in upstream {
                    for event in try relay.decoder.decode(chunk) {
                        try await send(try relay.translator.translate(event))
                    }
                }
                for event in try relay.decoder.finish() {
                    try await send(try relay.translator.translate(event))
                }
                try await send(try relay.translator.finish())
            } catch let error where !(error is CancellationError) && !Task.isCancelled {
                // The upstream failed (not the client): one error event, then a clean end.
                relay.logger.warning("upstream stream failed mid-way: \(error)")
                upstream.cancel()
                for event in relay.translator.failureEvents(for: error) { try? await output.write(event.encoded) }
                call.finish(CallOutcome(status: status, headers: headers, complete: false, body: nil, usage: usage))
                return
            } catch {
                // The client went away: stop the upstream transfer.
                upstream.cancel()
                call.finish(CallOutcome(status: status, headers: headers, complete: false, body: nil, usage: usage))
                throw error
            }
            call.finish(CallOutcome(status: status, headers: headers, complete: true, body: transcript.bytes, usage: usage))
        }
    }
}
