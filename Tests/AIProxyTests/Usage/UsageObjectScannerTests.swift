import Testing

@testable import AIProxy

@Suite struct UsageObjectScannerTests {
    @Test func findsTheTopLevelUsageNotOneInsideAString() throws {
        let reply = #"""
            {"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"say \"usage\": {\"prompt_tokens\": 999}"},"finish_reason":"stop"}],
             "usage" : {"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":3}}}
            """#
        let usage = try #require(ResponseRelay.usage(inReply: Array(reply.utf8)))
        #expect(usage == TokenUsage(input: 12, output: 5, cachedInput: 3))
        let slice = try #require(UsageObjectScanner.lastUsageObject(in: Array(reply.utf8)))
        #expect(String(decoding: slice, as: UTF8.self).hasPrefix(#"{"prompt_tokens":12"#))
    }

    @Test func aReplyWithoutUsageHasNone() {
        #expect(ResponseRelay.usage(inReply: Array(#"{"id":"x","choices":[]}"#.utf8)) == nil)
        #expect(
            UsageObjectScanner.lastUsageObject(in: Array(#"{"usage":{"a":"}"#.utf8)) == nil, "an unterminated object")
    }

    @Test func anthropicsNativeReplyReadsTheSame() throws {
        let reply =
            #"{"id":"msg_1","type":"message","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":10,"output_tokens":2,"cache_creation_input_tokens":4}}"#
        #expect(ResponseRelay.usage(inReply: Array(reply.utf8)) == TokenUsage(input: 10, output: 2, cacheWrite: 4))
    }
}
