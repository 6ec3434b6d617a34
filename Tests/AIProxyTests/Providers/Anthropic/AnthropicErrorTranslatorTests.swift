import Testing

@testable import AIProxy

@Suite struct AnthropicErrorTranslatorTests {
    @Test func anthropicErrorBecomesOpenAIsEnvelopeWithTheUpstreamMessage() throws {
        let body = AnthropicAdapter().translateError(try Fixture.bytes("anthropic", "error.response.json"), status: 404)
        #expect(
            try JSONValue(parsing: body) == [
                "error": [
                    "message": "The requested resource could not be found.", "type": "not_found_error", "param": nil,
                    "code": nil,
                ]
            ])
    }

    @Test func aBodyInAnotherShapeKeepsItsText() throws {
        let body = AnthropicErrorTranslator.envelope(Array("upstream connect error".utf8), status: 503)
        #expect(body["error"]?["message"] == "upstream connect error")
        #expect(body["error"]?["type"] == "server_error")
    }
}
