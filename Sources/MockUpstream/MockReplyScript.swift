import Foundation

/// The script every provider mock follows, so tests read the same way for each: a tool is
/// called for both `cities` in parallel, and text replies are cut the way providers cut them.
enum MockReplyScript {
    /// The locations a "weather" question's two parallel tool calls ask about.
    static let cities = ["San Francisco, CA", "New York, NY"]

    /// `text` cut before the first of `stopSequences` it contains, then to `maxWords` words
    /// (the mocks' stand-in for tokens).
    static func cut(_ text: String, stopSequences: [String], maxWords: Int?) -> (text: String, stopSequence: String?, truncated: Bool) {
        var text = text
        var stopSequence: String?
        for sequence in stopSequences {
            if let range = text.range(of: sequence) {
                text = String(text[..<range.lowerBound])
                stopSequence = sequence
                break
            }
        }
        let words = text.split(separator: " ")
        guard let maxWords, words.count > maxWords else { return (text, stopSequence, false) }
        return (words.prefix(maxWords).joined(separator: " "), stopSequence, true)
    }
}
