import Testing

@testable import AIProxy

/// The byte search every passed-through stream batch goes through, against a naive one.
@Suite struct ByteSearchTests {
    static let marker = Array(#""usage":{"#.utf8)

    @Test func findsTheMarkerWhereverItIs() {
        let chunk = Array(
            #"data: {"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":20}}"#.utf8)
        #expect(ByteSearch.contains(chunk[...], Self.marker))
        // At the very start and the very end; a near miss; too short; in a slice of a larger array.
        #expect(ByteSearch.contains(Self.marker[...], Self.marker))
        #expect(ByteSearch.contains((Array("xx".utf8) + Self.marker)[...], Self.marker))
        #expect(!ByteSearch.contains(Array(#""usage":["usage":"#.utf8)[...], Self.marker))
        #expect(!ByteSearch.contains(Self.marker.dropLast(), Self.marker))
        let padded = Array("ab".utf8) + Self.marker + Array("cd".utf8)
        #expect(ByteSearch.contains(padded[2..<(2 + Self.marker.count)], Self.marker))
        #expect(!ByteSearch.contains(padded[3...], Self.marker))
        #expect(!ByteSearch.contains(padded[..<(1 + Self.marker.count)], Self.marker))
    }

    @Test func agreesWithANaiveSearch() {
        var generator = SystemRandomNumberGenerator()
        // Bytes from the marker's own alphabet, so partial matches and overlaps are common.
        let alphabet = Array(#""usage:{"#.utf8)
        for _ in 0..<2000 {
            let haystack = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            let needle = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            let naive =
                haystack.count >= needle.count
                && (0...(haystack.count - needle.count)).contains {
                    haystack[$0..<($0 + needle.count)].elementsEqual(needle)
                }
            #expect(ByteSearch.contains(haystack[...], needle) == naive, "\(haystack) \(needle)")
        }
    }

    @Test func contentTypesMentionJSONInAnyCase() {
        #expect(ByteSearch.containsIgnoringCase("application/json", "json"))
        #expect(ByteSearch.containsIgnoringCase("Application/JSON; charset=utf-8", "json"))
        #expect(ByteSearch.containsIgnoringCase("application/vnd.api+json", "json"))
        #expect(!ByteSearch.containsIgnoringCase("text/plain", "json"))
        #expect(!ByteSearch.containsIgnoringCase("application/jso", "json"))
        #expect(!ByteSearch.containsIgnoringCase("", "json"))
    }

    @Test func textContainsExactBytes() {
        #expect(ByteSearch.contains("https://x.openai.azure.com/openai/deployments/gpt4o", "/deployments/"))
        #expect(!ByteSearch.contains("https://x.openai.azure.com/openai", "/deployments/"))
        #expect(ByteSearch.contains("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic.claude"))
        #expect(!ByteSearch.contains("Anthropic.Claude-v2", "anthropic.claude"))
        #expect(!ByteSearch.contains("", "anthropic.claude"))
    }
}
