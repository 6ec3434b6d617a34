public import EdgeRuntime

/// Relays an upstream event stream to the client event by event, translated to OpenAI's
/// format, recording the transcript for the cache.
///
/// If the upstream fails mid-stream, the client gets a final SSE error event (the translator's
/// ``StreamTranslator/failureEvents(for:)``) and a clean end,
/// never a hang; such a transcript is never cached. If the client goes away, the upstream
/// transfer is cancelled.
struct StreamRelay: Sendable {
    var decoder: any StreamDecoder
    var translator: any StreamTranslator
    let logger: Logger
    /// Transcripts longer than this are relayed but not cached.
    static let maxTranscriptBytes = 8 << 20

    func start(upstream: Body, store: (@Sendable ([UInt8]) -> Void)?, ctx: ExecutionContext) -> Body {
        let (body, writer) = Body.makeStream()
        let relay = self
        ctx.task {
            var relay = relay
            var transcript: [UInt8]? = store == nil ? nil : []
            func send(_ events: [SSEEvent]) async throws {
                for event in events {
                    let bytes = event.encoded
                    try await writer.write(bytes)
                    if transcript != nil {
                        transcript! += bytes
                        if transcript!.count > Self.maxTranscriptBytes { transcript = nil }
                    }
                }
            }
            do {
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
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    if writer.isCancelled { throw CancellationError() }
                    logger.warning("upstream stream failed mid-way: \(error)")
                    for event in relay.translator.failureEvents(for: error) { try? await writer.write(event.encoded) }
                    writer.finish()
                    return
                }
                // The cache write is registered (waitUntil) before the reader can see the end, so
                // whoever waits for background work after reading the whole reply also waits for it.
                if let transcript, let store { store(transcript) }
                writer.finish()
            } catch {
                // The client went away: stop the upstream transfer.
                upstream.cancel()
                writer.finish(throwing: error)
            }
        }
        return body
    }
}

/// Relays a body unchanged while keeping a bounded copy for the cache.
struct BodyTee: Sendable {
    let logger: Logger

    func start(upstream: Body, store: (@Sendable ([UInt8]) -> Void)?, ctx: ExecutionContext) -> Body {
        guard let store else { return upstream }
        let (body, writer) = Body.makeStream()
        ctx.task {
            var copy: [UInt8]? = []
            do {
                for try await chunk in upstream {
                    try await writer.write(chunk)
                    if copy != nil {
                        copy! += chunk
                        if copy!.count > StreamRelay.maxTranscriptBytes { copy = nil }
                    }
                }
                if let copy { store(copy) }  // before the end, as in StreamRelay
                writer.finish()
            } catch {
                upstream.cancel()
                writer.finish(throwing: error)
            }
        }
        return body
    }
}
