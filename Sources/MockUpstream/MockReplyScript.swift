import Foundation

/// The script every provider mock follows, so tests read the same way for each: a tool is
/// called for both `cities` in parallel, and text replies are cut the way providers cut them.
enum MockReplyScript {
    /// The locations a "weather" question's two parallel tool calls ask about.
    static let cities = ["San Francisco, CA", "New York, NY"]

    /// `text` cut before the first of `stopSequences` it contains, then to `maxWords` words
    /// (the mocks' stand-in for tokens).
    static func cut(_ text: String, stopSequences: [String], maxWords: Int?) -> (
        text: String, stopSequence: String?, truncated: Bool
    ) {
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

    /// What the proxy's chat translators tell Claude and Bedrock models when JSON is asked for
    /// (OpenAI's `response_format`), ahead of the schema.
    static let jsonInstruction = "Respond with a single valid JSON object and nothing else"
    static let schemaMarker = "It must conform to this JSON Schema: "

    /// The JSON reply a model told to answer in JSON gives: an object filling `schema`'s required
    /// properties with values of their types, or `{"reply": text}` without a schema.
    static func jsonReply(schema: Any?, text: String) -> String {
        let value: Any = (schema as? [String: Any]).map(JSONSchemaSample.value) ?? ["reply": text]
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The JSON reply for a system prompt carrying the JSON instruction (its schema, if any, after
    /// ``schemaMarker``), or `nil` when the prompt asks for no JSON.
    static func jsonReply(system: String, text: String) -> String? {
        guard system.contains(jsonInstruction) else { return nil }
        let schema = system.range(of: schemaMarker).flatMap { range in
            try? JSONSerialization.jsonObject(with: Data(system[range.upperBound...].utf8))
        }
        return jsonReply(schema: schema, text: text)
    }
}
