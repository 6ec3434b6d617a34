import Foundation
import Testing

@testable import EdgeRuntime

@Suite struct JSONStringTests {
    @Test(arguments: ["plain", "quote \" and \\ backslash", "new\nline\ttab\r", "control \u{01}\u{1f}", "é ✓ 🚀"])
    func jsonStringsParseBackToTheText(_ text: String) throws {
        let quoted = JSONString.quoted(text)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [text])
    }
}
