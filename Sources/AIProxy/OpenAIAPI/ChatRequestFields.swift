/// Readers for OpenAI chat request fields that every translating adapter needs in the same way,
/// so Anthropic, Bedrock and the rest refuse bad input with the same words.
enum ChatRequestFields {
    /// The text of string content or of an array of text parts.
    static func text(of content: JSONValue?, at offset: Int) throws(ProxyError) -> String {
        switch content {
        case .string(let text)?: return text
        case .array(let parts)?:
            var texts: [String] = []
            for part in parts {
                guard part["type"]?.stringValue == "text", let text = part["text"]?.stringValue else {
                    throw .invalidRequest("messages[\(offset)]: only text parts are allowed here.")
                }
                texts.append(text)
            }
            return texts.joined(separator: "\n")
        case nil, .null?: return ""
        default: throw .invalidRequest("messages[\(offset)].content must be a string or an array of parts.")
        }
    }

    /// `stop` (a string or up to four strings) → `stop_sequences`.
    static func stopSequences(_ stop: JSONValue?) throws(ProxyError) -> JSONValue? {
        switch stop {
        case nil, .null?: return nil
        case .string(let text)?: return [.string(text)]
        case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }):
            return items.isEmpty ? nil : .array(items)
        default: throw .invalidRequest("`stop` must be a string or an array of strings.")
        }
    }

    /// JSON mode for providers without one: `response_format` becomes an instruction for the system
    /// prompt (with the schema, for `json_schema`). The model follows it, but nothing enforces it.
    static func jsonInstruction(_ format: JSONValue?) throws(ProxyError) -> String? {
        guard let format, format != .null else { return nil }
        switch format["type"]?.stringValue {
        case "text": return nil
        case "json_object":
            return "Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences."
        case "json_schema":
            guard let schema = format["json_schema"]?["schema"] else {
                throw .invalidRequest("`response_format.json_schema.schema` is required.")
            }
            return "Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences. "
                + "It must conform to this JSON Schema: " + schema.serializedString
        default:
            throw .invalidRequest("`response_format.type` must be text, json_object or json_schema.")
        }
    }

    /// A base64 `data:` URL's media type and data, or `nil` for any other URL.
    /// - Throws: when it is a `data:` URL that isn't base64.
    static func dataURL(_ url: String, at offset: Int) throws(ProxyError) -> (mediaType: String, data: String)? {
        guard url.hasPrefix("data:") else { return nil }
        let rest = url.dropFirst("data:".count)
        guard let comma = rest.firstIndex(of: ","), rest[..<comma].hasSuffix(";base64") else {
            throw .invalidRequest("messages[\(offset)]: a data: image URL must be base64 (data:image/png;base64,…).")
        }
        return (String(rest[..<comma].dropLast(";base64".count)), String(rest[rest.index(after: comma)...]))
    }
}
