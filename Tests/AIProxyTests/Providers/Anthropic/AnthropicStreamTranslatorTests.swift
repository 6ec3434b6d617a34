import Testing

@testable import AIProxy

@Suite struct AnthropicStreamTranslatorTests {
    /// Runs a fixture transcript through the SSE parser and a fresh translator, in small byte
    /// chunks as a network would deliver it; a failing `finish()` is reported, not thrown.
    static func run(_ fixture: String, includeUsage: Bool = false) throws -> (events: [SSEEvent], failure: (any Error)?)
    {
        var parser = SSEParser()
        var translator = AnthropicStreamTranslator(
            model: "claude-3-5-sonnet-latest", created: 1_700_000_000, includeUsage: includeUsage)
        let bytes = try Fixture.bytes("anthropic", fixture)
        var out: [SSEEvent] = []
        do {
            for start in stride(from: 0, to: bytes.count, by: 37) {
                for event in parser.feed(Array(bytes[start..<min(start + 37, bytes.count)])) {
                    out += try translator.translate(event)
                }
            }
            if let last = parser.finish() as SSEEvent? { out += try translator.translate(last) }
            out += try translator.finish()
            return (out, nil)
        } catch {
            return (out, error)
        }
    }

    static func chunks(_ events: [SSEEvent]) throws -> [JSONValue] {
        try events.filter { !$0.isDone }.map { try JSONValue(parsing: $0.data) }
    }

    @Test func textStreamMatchesTheExpectedOpenAITranscript() throws {
        let (events, failure) = try Self.run("text.upstream.sse", includeUsage: true)
        #expect(failure == nil)
        let transcript = String(decoding: events.flatMap(\.encoded), as: UTF8.self)
        #expect(transcript == (try Fixture.text("anthropic", "text.expected.sse")))
    }

    @Test func withoutIncludeUsageThereIsNoUsageChunk() throws {
        let (events, _) = try Self.run("text.upstream.sse")
        let chunks = try Self.chunks(events)
        #expect(chunks.allSatisfy { $0["usage"] == nil && $0["choices"]?.arrayValue?.count == 1 })
        #expect(events.last?.isDone == true)
        #expect(
            chunks.map { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue ?? "" }.joined()
                == "Hello!")
    }

    @Test func toolCallStreamAssemblesValidJSONPerCallIndex() throws {
        let (events, failure) = try Self.run("tool_use.upstream.sse", includeUsage: true)
        #expect(failure == nil)
        #expect(events.last?.isDone == true)
        var ids: [Int: String] = [:]
        var arguments: [Int: String] = [:]
        var content = ""
        var finish: [String] = []
        for chunk in try Self.chunks(events) {
            #expect(chunk["object"] == "chat.completion.chunk")
            guard let choice = chunk["choices"]?.arrayValue?.first else { continue }
            if let reason = choice["finish_reason"]?.stringValue { finish.append(reason) }
            content += choice["delta"]?["content"]?.stringValue ?? ""
            for call in choice["delta"]?["tool_calls"]?.arrayValue ?? [] {
                let index = try #require(call["index"]?.intValue)
                if let id = call["id"]?.stringValue {
                    #expect(ids[index] == nil, "one id per call")
                    #expect(call["type"] == "function" && call["function"]?["name"] == "get_weather")
                    ids[index] = id
                }
                arguments[index, default: ""] += call["function"]?["arguments"]?.stringValue ?? ""
            }
        }
        #expect(
            ids == [0: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", 1: "toolu_01NRLabsLyVHZPKxbKvkfSMn"],
            "0-based per call, not per content block")
        #expect(
            try JSONValue(parsing: try #require(arguments[0])) == [
                "location": "San Francisco, CA", "unit": "fahrenheit",
            ])
        #expect(
            try JSONValue(parsing: try #require(arguments[1])) == ["location": "New York, NY", "unit": "fahrenheit"])
        #expect(content == "Okay, let's check both cities:")
        #expect(finish == ["tool_calls"])
        let usage = try #require(try Self.chunks(events).last)
        #expect(usage["choices"] == [])
        #expect(usage["usage"]?["completion_tokens"] == 89)
        #expect(usage["usage"]?["prompt_tokens"] == 472)
    }

    @Test func thinkingDeltasBecomeReasoningContentAndSignaturesAreDropped() throws {
        let (events, failure) = try Self.run("thinking.upstream.sse")
        #expect(failure == nil)
        let deltas = try Self.chunks(events).compactMap { $0["choices"]?.arrayValue?.first?["delta"] }
        let reasoning = deltas.compactMap { $0["reasoning_content"]?.stringValue }.joined()
        #expect(reasoning == "Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3")
        #expect(deltas.compactMap { $0["content"]?.stringValue }.joined() == "27 * 453 = 12,231")
        #expect(!events.contains { $0.text.contains("signature") })
    }

    @Test func streamCutOffMidwayHasNoDoneAndFailsAtTheEnd() throws {
        let (events, failure) = try Self.run("cut.upstream.sse")
        #expect(!events.contains { $0.isDone })
        #expect(failure is ProxyError, "finish() fails, so the relay ends with an error event and caches nothing")
        #expect(try Self.chunks(events).count == 2)  // role chunk, "Hello"
    }

    @Test func errorEventFailsTheStreamWithTheTranslatedError() throws {
        let (events, failure) = try Self.run("error.upstream.sse")
        #expect(!events.contains { $0.isDone })
        // The relay sends this envelope as the stream's one and only error event.
        let error = try #require(failure as? UpstreamStreamError)
        #expect(error.envelope == ["error": ["message": "Overloaded", "type": "overloaded_error", "param": nil, "code": nil]])
        #expect(!events.contains { $0.text.contains("\"error\"") })
    }
}
