import Testing

@testable import AIProxy

/// The Gemini translators on replies shaped as the Gemini API documents them.
@Suite struct GoogleFixtureTests {
    @Test func parallelFunctionCallsBecomeToolCallsWithArguments() throws {
        let reply = try JSONValue(parsing: try Fixture.bytes("google", "function_call.response.json"))
        let completion = GoogleResponseTranslator.translate(reply, model: "gemini-2.5-flash", created: 1)
        let choice = try #require(completion["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "tool_calls")
        #expect(choice["message"]?["content"] == .null)
        let calls = try #require(choice["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.map { $0["function"]?["name"] } == ["get_weather", "get_weather"])
        #expect(try JSONValue(parsing: calls[1]["function"]?["arguments"]?.stringValue ?? "")["location"] == "Paris, France")
        #expect(Set(calls.compactMap { $0["id"]?.stringValue }).count == 2, "each call has its own id")
        #expect(completion["usage"]?["total_tokens"] == 70)
    }

    @Test func aSafetyBlockIsAContentFilterFinish() throws {
        let reply = try JSONValue(parsing: try Fixture.bytes("google", "safety.response.json"))
        let choice = try #require(GoogleResponseTranslator.translate(reply, model: "gemini-2.5-flash", created: 1)["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"] == "content_filter")
        #expect(choice["message"]?["content"] == "")
    }

    @Test func theErrorEnvelopeKeepsGeminisMessageAndStatus() throws {
        let error = try JSONValue(parsing: GoogleResponseTranslator.translateError(try Fixture.bytes("google", "error.response.json")))
        #expect(error["error"]?["message"] == "API key not valid. Please pass a valid API key.")
        #expect(error["error"]?["type"] == "INVALID_ARGUMENT")
    }
}
