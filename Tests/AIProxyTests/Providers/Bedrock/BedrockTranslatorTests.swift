import Foundation
import MockUpstream
import Testing

@testable import AIProxy

/// The Bedrock translators on Converse and ConverseStream samples shaped as AWS documents them
/// (ConverseStream payloads carry the `p` padding field real streams have).
@Suite struct BedrockTranslatorTests {
    /// The fixture's events framed as AWS's binary event stream.
    static func framedStream(upTo count: Int = .max) throws -> [UInt8] {
        try Fixture.text("bedrock", "converse-stream.tool_use.events.jsonl").split(separator: "\n").prefix(count).flatMap { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return AWSEventStreamEncoder.event(object["event"] as! String, object["payload"] as! [String: Any])
        }
    }

    /// Decodes and translates `bytes` in 13-byte pieces; a failure is returned, not thrown.
    static func run(_ bytes: [UInt8], includeUsage: Bool = true) -> (chunks: [SSEEvent], failure: (any Error)?) {
        var decoder = AWSEventStreamDecoder()
        var translator = BedrockStreamTranslator(model: "m", includeUsage: includeUsage, created: 1_700_000_000)
        var out: [SSEEvent] = []
        do {
            for start in stride(from: 0, to: bytes.count, by: 13) {
                for event in try decoder.decode(Array(bytes[start..<min(start + 13, bytes.count)])) { out += try translator.translate(event) }
            }
            for event in try decoder.finish() { out += try translator.translate(event) }
            out += try translator.finish()
            return (out, nil)
        } catch {
            return (out, error)
        }
    }

    @Test func converseReplyWithTwoToolUsesBecomesACompletion() throws {
        let completion = try BedrockResponseTranslator.translate(
            try Fixture.bytes("bedrock", "converse.tool_use.response.json"), model: "anthropic.claude-3-5-sonnet-20241022-v2:0", created: 1)
        let choice = try #require(completion["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["content"] == "I'll look up the weather in both cities.")
        let calls = try #require(choice["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.map { $0["id"] } == ["tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "tooluse_9hD3xQpLTnS0aTQ1wG5vUw"])
        #expect(calls[1]["function"]?["arguments"] == #"{"location":"Paris, France"}"#)
        #expect(completion["usage"] == ["prompt_tokens": 412, "completion_tokens": 86, "total_tokens": 498, "prompt_tokens_details": ["cached_tokens": 128]])
    }

    @Test func converseStreamBecomesOpenAIChunksWithZeroBasedToolIndices() throws {
        let (events, failure) = Self.run(try Self.framedStream())
        #expect(failure == nil)
        #expect(events.last?.isDone == true)
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0.data) }
        let deltas = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"] }
        #expect(deltas.first == ["role": "assistant", "content": ""])
        #expect(deltas.compactMap { $0["content"]?.stringValue }.joined() == "I'll look up both cities.")
        var arguments: [Int: String] = [:]
        for call in deltas.flatMap({ $0["tool_calls"]?.arrayValue ?? [] }) {
            arguments[call["index"]?.intValue ?? -1, default: ""] += call["function"]?["arguments"]?.stringValue ?? ""
        }
        #expect(arguments == [0: #"{"location": "Seattle, WA"}"#, 1: #"{"location": "Paris, France"}"#])
        #expect(chunks.contains { $0["choices"]?.arrayValue?.first?["finish_reason"] == "tool_calls" })
        #expect(chunks.last?["usage"]?["total_tokens"] == 498 && chunks.last?["choices"] == [])
    }

    @Test func aStreamCutBeforeMessageStopFails() throws {
        let (events, failure) = Self.run(try Self.framedStream(upTo: 7))
        #expect(failure is ProxyError)
        #expect(!events.contains { $0.isDone })
    }

    @Test func aMidStreamExceptionFailsWithBedrocksMessage() throws {
        let bytes = try Self.framedStream(upTo: 3) + AWSEventStreamEncoder.exception("throttlingException", message: "Too many tokens, please wait.")
        let (_, failure) = Self.run(bytes)
        let error = try #require(failure as? UpstreamStreamError)
        #expect(error.envelope["error"]?["message"] == "Too many tokens, please wait.")
        #expect(error.envelope["error"]?["type"] == "rate_limit_error")
    }

    @Test func unsupportedInputsAreRefusedClearly() {
        func refusal(_ body: JSONValue) -> String? {
            do {
                _ = try BedrockRequestTranslator.translate(body, model: "amazon.nova-pro-v1:0")
                return nil
            } catch {
                return error.message
            }
        }
        #expect(refusal(["messages": [["role": "user", "content": "hi"]], "n": 2])?.contains("`n` must be 1") == true)
        #expect(refusal(["messages": [["role": "assistant", "content": "hi"]]])?.contains("start with a user message") == true)
        #expect(refusal(["messages": [["role": "user", "content": "hi"]], "reasoning_effort": "low"])?.contains("Claude models") == true)
        #expect(refusal(["messages": [["role": "function", "content": "x"]]])?.contains("not `function`") == true)
    }
}
