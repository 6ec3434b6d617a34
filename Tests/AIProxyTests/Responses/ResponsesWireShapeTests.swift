import Foundation
import Testing

@testable import AIProxy

/// The bridge's events against recorded-shape OpenAI Responses streams (Tests/Fixtures/openai):
/// the same event types in the same order, each with the same fields.
@Suite struct ResponsesWireShapeTests {
    static func recorded(_ name: String) throws -> [JSONValue] {
        var parser = SSEParser()
        var events = parser.feed(try Fixture.bytes("openai", name))
        if let last = parser.finish() as SSEEvent? { events.append(last) }
        return try events.map { try JSONValue(parsing: $0.data) }
    }

    /// Event types with each run of deltas counted once (how many pieces a reply is cut into differs).
    static func shape(_ events: [JSONValue]) -> [String] {
        var types: [String] = []
        for type in events.compactMap({ $0["type"]?.stringValue }) where types.last != type || !type.hasSuffix(".delta")
        {
            types.append(type)
        }
        return types
    }

    static func fields(_ event: JSONValue) -> Set<String> {
        // `obfuscation` pads OpenAI's deltas against length side channels; it carries no content.
        Set((event.objectValue ?? []).map(\.0)).subtracting(["obfuscation"])
    }

    static func expectSameFields(_ ours: [JSONValue], _ recorded: [JSONValue]) {
        let byType = Dictionary(
            recorded.map { ($0["type"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        for event in ours {
            let type = event["type"]?.stringValue ?? ""
            guard let sample = byType[type] else { continue }
            #expect(fields(event) == fields(sample), "\(type)")
            if let item = event["item"], let recordedItem = sample["item"], item["type"] == recordedItem["type"] {
                #expect(fields(item) == fields(recordedItem), "\(type) item")
            }
        }
    }

    @Test func aTextStreamHasTheRecordedShape() throws {
        let ours = try ResponsesStreamTranslatorTests.run("text.upstream.sse")
        let recorded = try Self.recorded("responses-text.stream.sse")
        #expect(Self.shape(ours) == Self.shape(recorded))
        Self.expectSameFields(ours, recorded)
    }

    @Test func functionCallsHaveTheRecordedFields() throws {
        let ours = try ResponsesStreamTranslatorTests.run("tool_use.upstream.sse")
        let recorded = try Self.recorded("responses-function-calls.stream.sse")
        Self.expectSameFields(ours, recorded)
        let calls = { (events: [JSONValue]) in
            events.filter { $0["type"] == "response.function_call_arguments.done" }.count
        }
        #expect(calls(ours) == 2 && calls(recorded) == 2)
    }

    /// Passed-through streams: usage and the last sequence number are read from the bytes as sent.
    @Test func usageAndNumberingAreReadFromARecordedStream() throws {
        let bytes = try Fixture.bytes("openai", "responses-text.stream.sse")
        let events = try Self.recorded("responses-text.stream.sse")
        #expect(ResponsesStreamFailure.lastSequenceNumber(in: bytes) == events.count - 1)
        let last = try #require(events.last)
        let usage = try #require(UsageChunk.usage(inData: last.serialized))
        #expect(usage.input == events.last?["response"]?["usage"]?["input_tokens"]?.intValue)
        #expect(usage.output == events.last?["response"]?["usage"]?["output_tokens"]?.intValue)
    }
}
