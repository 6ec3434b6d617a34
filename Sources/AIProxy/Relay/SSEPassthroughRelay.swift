public import EdgeRuntime

/// Relays an event stream that is already in the client's format (an OpenAI-format upstream):
/// whole events forwarded byte for byte as ``SSEFrames`` finds them — no parsing of fields, no
/// JSON, no re-encoding — as a writer body the connection runs on its own task.
///
/// As ``StreamRelay``: a failed upstream ends the stream with one error event after the last
/// whole event (the outcome is incomplete, so nothing is cached); a client going away cancels
/// the upstream transfer.
struct SSEPassthroughRelay: Sendable {
    private static let usageMarker = Array(#""usage":{"#.utf8)

    let translator: any StreamTranslator
    let logger: Logger

    func body(relaying upstream: Body, for call: RelayCall, headers: Headers, status: Int) -> Body {
        let (translator, logger) = (self.translator, self.logger)
        return Body { output in
            var frames = SSEFrames()
            var transcript = Transcript(keeping: call.keepsBody)
            var usage: TokenUsage?
            let clientWantsUsage = UsageChunk.requested(by: call.call)
            // A Responses stream's failure event is numbered after the last event sent.
            let numbered = call.call.operation == .responses
            var lastSequence = -1
            func send(_ batch: [UInt8]) async throws {
                if numbered, let number = ResponsesStreamFailure.lastSequenceNumber(in: batch) { lastSequence = number }
                var bytes = batch
                // The usage chunk (near the end): read it, and drop it for a client that didn't ask.
                if ByteSearch.contains(batch[...], Self.usageMarker) {
                    bytes = []
                    for event in SSEFrames.events(in: batch) {
                        var parser = SSEParser()
                        if let data = (parser.feed(event) + [parser.finish()].compactMap { $0 }).first?.data,
                            let reported = UsageChunk.usage(inData: data)
                        {
                            usage = reported
                            if !clientWantsUsage { continue }
                        }
                        bytes += event
                    }
                }
                try await output.write(bytes)
                transcript.append(bytes)
            }
            do {
                for try await chunk in upstream {
                    if let events = frames.feed(chunk) { try await send(events) }
                }
                if let last = frames.finish() { try await send(last) }
            } catch let error where !(error is CancellationError) && !Task.isCancelled {
                logger.warning("upstream stream failed mid-way: \(error)")
                upstream.cancel()
                let failure =
                    numbered
                    ? [ResponsesStreamFailure.event(for: error, sequenceNumber: lastSequence + 1)]
                    : translator.failureEvents(for: error)
                for event in failure { try? await output.write(event.encoded) }
                call.finish(CallOutcome(status: status, headers: headers, complete: false, body: nil, usage: usage))
                return
            } catch {
                upstream.cancel()
                call.finish(CallOutcome(status: status, headers: headers, complete: false, body: nil, usage: usage))
                throw error
            }
            call.finish(
                CallOutcome(status: status, headers: headers, complete: true, body: transcript.bytes, usage: usage))
        }
    }
}
