import Foundation
import Testing

@testable import AIProxy

@Suite struct ResponsesStreamTranslatorTests {
    static let request: JSONValue = ["model": "claude-3-5-sonnet-latest", "input": "q", "stream": true]

    /// A recorded Anthropic stream through Claude's chat translator and the Responses bridge,
    /// in 37-byte reads; the events' data as JSON.
    static func run(_ fixture: String, edit: (String) -> String = { $0 }) throws -> [JSONValue] {
        var parser = SSEParser()
        var translator = ResponsesStreamTranslator(
            chat: AnthropicStreamTranslator(
                model: "claude-3-5-sonnet-latest", created: 1_700_000_000, includeUsage: true),
            request: request)
        let bytes = Array(edit(try Fixture.text("anthropic", fixture)).utf8)
        var out: [SSEEvent] = []
        for start in stride(from: 0, to: bytes.count, by: 37) {
            for event in parser.feed(Array(bytes[start..<min(start + 37, bytes.count)])) {
                out += try translator.translate(event)
            }
        }
        if let last = parser.finish() as SSEEvent? { out += try translator.translate(last) }
        out += try translator.finish()
        #expect(out.allSatisfy { $0.event != nil })
        let events = try out.map { try JSONValue(parsing: $0.data) }
        #expect(zip(out, events).allSatisfy { $0.event == $1["type"]?.stringValue })
        #expect(events.map { $0["sequence_number"]?.intValue } == Array(0..<events.count))
        return events
    }

    @Test func textStreamIsTheDocumentedSequence() throws {
        let events = try Self.run("text.upstream.sse")
        #expect(
            events.map { $0["type"]?.stringValue ?? "" }.filter { $0 != "response.output_text.delta" } == [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed",
            ])
        let text = events.compactMap { $0["type"] == "response.output_text.delta" ? $0["delta"]?.stringValue : nil }
            .joined()
        #expect(text == "Hello!")
        let final = try #require(events.last?["response"])
        #expect(final["status"] == "completed")
        #expect(final["output"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"] == "Hello!")
        #expect(final["usage"]?["input_tokens"]?.intValue ?? 0 > 0)
        #expect(final["usage"]?["output_tokens"]?.intValue ?? 0 > 0)
        #expect(UsageChunk.usage(inData: try #require(events.last).serialized) != nil)
    }

    @Test func parallelToolCallsAreItemsKeptApartByOutputIndex() throws {
        let events = try Self.run("tool_use.upstream.sse")
        let added = events.filter { $0["type"] == "response.output_item.added" }
        #expect(added.map { $0["item"]?["type"]?.stringValue } == ["message", "function_call", "function_call"])
        #expect(added.map { $0["output_index"]?.intValue } == [0, 1, 2])
        // Each call's argument pieces, joined per output index, are its whole JSON arguments.
        var pieces: [Int: String] = [:]
        for event in events where event["type"] == "response.function_call_arguments.delta" {
            pieces[event["output_index"]?.intValue ?? -1, default: ""] += event["delta"]?.stringValue ?? ""
        }
        let done = events.filter { $0["type"] == "response.function_call_arguments.done" }
        #expect(done.count == 2)
        for event in done {
            let index = try #require(event["output_index"]?.intValue)
            #expect(event["arguments"]?.stringValue == pieces[index])
            #expect((try? JSONValue(parsing: Array((pieces[index] ?? "").utf8)))?["location"] != nil)
        }
        let final = try #require(events.last)
        #expect(final["type"] == "response.completed")
        let output = try #require(final["response"]?["output"]?.arrayValue)
        #expect(output.map { $0["type"]?.stringValue } == ["message", "function_call", "function_call"])
        #expect(output[1]["call_id"] == "toolu_01T1x1fJ34qAmk2tNTrN7Up6")
        #expect(output.allSatisfy { $0["status"] == "completed" })
    }

    @Test func aReplyCutAtMaxTokensIsIncomplete() throws {
        let events = try Self.run("text.upstream.sse") {
            $0.replacingOccurrences(of: #""stop_reason": "end_turn""#, with: #""stop_reason": "max_tokens""#)
        }
        #expect(events.last?["type"] == "response.incomplete")
        #expect(events.last?["response"]?["incomplete_details"]?["reason"] == "max_output_tokens")
    }

    @Test func aFailureEndsWithResponseFailedInSequence() throws {
        var translator = ResponsesStreamTranslator(
            chat: AnthropicStreamTranslator(model: "claude-3-5-sonnet-latest", created: 1, includeUsage: true),
            request: Self.request)
        var parser = SSEParser()
        var sent: [SSEEvent] = []
        for event in parser.feed(try Fixture.bytes("anthropic", "text.upstream.sse").prefix(400).map { $0 }) {
            sent += try translator.translate(event)
        }
        let failure = translator.failureEvents(for: UpstreamStreamError(envelope: ["error": ["message": "overloaded"]]))
        let event = try JSONValue(parsing: try #require(failure.first).data)
        #expect(failure.count == 1 && failure.first?.event == "response.failed")
        #expect(event["sequence_number"]?.intValue == sent.count)
        #expect(event["response"]?["status"] == "failed")
        #expect(event["response"]?["error"]?["message"] == "overloaded")
    }
}
