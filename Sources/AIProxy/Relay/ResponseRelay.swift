public import EdgeRuntime

/// Turns an upstream answer into the client's response: an error passed through (translated to
/// OpenAI's shape unless the call is provider-native), a stream relayed event by event and
/// translated, bytes already in the client's format relayed as they come, or a whole reply
/// translated. Every way ends by reporting a ``CallOutcome`` to the call's finish hooks.
///
/// Streamed replies are writer bodies (``Body/init(writer:)``): the connection runs the relay on
/// its own task, so a stream costs no task or channel of its own.
struct ResponseRelay: Sendable {
    let logger: Logger

    func respond(to call: RelayCall, upstream: Response, adapter: any ProviderAdapter) async throws -> Response {
        var headers = ResponseHeaders.forClient(
            upstream.headers, endpoint: call.endpoint, cached: call.cacheKey == nil ? nil : "MISS")
        // Native operations (the provider's own API) go back exactly as the provider answered.
        let native = adapter.nativeOperations.contains(call.call.operation)
        guard (200..<300).contains(upstream.status) else {
            let body = try await upstream.body.collect(upTo: 4 << 20)
            let translated = native ? body : adapter.translateError(body, status: upstream.status)
            call.finish(
                CallOutcome(
                    status: upstream.status, headers: headers, complete: true, body: call.keepsBody ? translated : nil))
            return Response(status: upstream.status, headers: headers, body: Body(bytes: translated))
        }
        let isEventStream = upstream.headers["content-type"]?.lowercased().hasPrefix(adapter.streamContentType) == true
        if call.call.isStreaming && isEventStream {
            headers["content-type"] = "text/event-stream; charset=utf-8"
            headers["cache-control"] = "no-cache"
            if adapter.speaksOpenAIFormat && !native {
                // Already OpenAI's events: forwarded whole, byte for byte.
                let relay = SSEPassthroughRelay(
                    translator: adapter.makeStreamTranslator(for: call.call), logger: logger)
                return Response(
                    status: upstream.status, headers: headers,
                    body: relay.body(relaying: upstream.body, for: call, headers: headers, status: upstream.status))
            }
            let stream = StreamRelay(
                decoder: adapter.makeStreamDecoder(), translator: adapter.makeStreamTranslator(for: call.call),
                logger: logger)
            return Response(
                status: upstream.status, headers: headers,
                body: stream.body(relaying: upstream.body, for: call, headers: headers, status: upstream.status))
        }
        if adapter.speaksOpenAIFormat || native {
            // Already in the format the client asked for: relay the bytes as they come.
            return Response(
                status: upstream.status, headers: headers, body: Self.passthrough(upstream, for: call, headers: headers)
            )
        }
        let body = try adapter.translateResponse(try await upstream.body.collect(upTo: 64 << 20), for: call.call)
        headers["content-type"] = "application/json"
        call.finish(
            CallOutcome(
                status: upstream.status, headers: headers, complete: true, body: call.keepsBody ? body : nil,
                usage: call.wantsUsage ? Self.usage(inReply: body) : nil))
        return Response(status: upstream.status, headers: headers, body: Body(bytes: body))
    }

    /// The upstream body relayed unchanged, its outcome reported after the last byte.
    static func passthrough(_ upstream: Response, for call: RelayCall, headers: Headers) -> Body {
        guard !call.onFinish.isEmpty else { return upstream.body }
        let status = upstream.status
        return Body { output in
            var copy = Transcript(keeping: call.keepsBody || call.wantsUsage)
            do {
                for try await chunk in upstream.body {
                    try await output.write(chunk)
                    copy.append(chunk)
                }
            } catch {
                upstream.body.cancel()
                call.finish(CallOutcome(status: status, headers: headers, complete: false, body: nil))
                throw error
            }
            let usage = call.wantsUsage ? copy.bytes.flatMap(Self.usage(inReply:)) : nil
            call.finish(
                CallOutcome(
                    status: status, headers: headers, complete: true, body: call.keepsBody ? copy.bytes : nil,
                    usage: usage))
        }
    }

    /// The `usage` of a whole OpenAI-format reply (a native Anthropic reply's reads the same).
    /// Only the top-level `"usage"` object is parsed (found from the end, where OpenAI and
    /// Anthropic put it), not the whole reply; the whole reply when that fails.
    static func usage(inReply body: [UInt8]) -> TokenUsage? {
        if let object = UsageObjectScanner.lastUsageObject(in: body),
            let usage = TokenUsage(openAIUsage: try? JSONValue(parsing: Array(object)))
        {
            return usage
        }
        return TokenUsage(openAIUsage: (try? JSONValue(parsing: body))?["usage"])
    }
}
