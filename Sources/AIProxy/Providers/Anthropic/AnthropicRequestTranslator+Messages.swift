import FoundationEssentials

extension AnthropicRequestTranslator {
    /// OpenAI messages → the system prompt parts and Anthropic's alternating `messages`.
    ///
    /// `system` and `developer` messages, wherever they appear, join the top-level system prompt
    /// (Anthropic has no system role). `tool` messages become `tool_result` blocks of a user turn.
    /// Consecutive turns of one role are merged, since Anthropic requires user and assistant to
    /// alternate; merged content keeps its order, so tool results stay ahead of the user's text.
    static func translateMessages(_ messages: [JSONValue]) throws(ProxyError) -> (system: [String], turns: [JSONValue])
    {
        var system: [String] = []
        var turns: [(role: String, blocks: [JSONValue])] = []
        for (offset, message) in messages.enumerated() {
            let role = message["role"]?.stringValue ?? ""
            let blocks: [JSONValue]
            let anthropicRole: String
            switch role {
            case "system", "developer":
                system.append(try ChatRequestFields.text(of: message["content"], at: offset))
                continue
            case "user":
                anthropicRole = "user"
                blocks = try userBlocks(message["content"], at: offset)
            case "assistant":
                anthropicRole = "assistant"
                blocks = try assistantBlocks(message, at: offset)
            case "tool":
                anthropicRole = "user"
                blocks = [try toolResult(message, at: offset)]
            default:
                throw .invalidRequest(
                    "messages[\(offset)]: Anthropic models take system, developer, user, assistant and tool messages, not `\(role)`."
                )
            }
            // An assistant turn with neither text nor tool calls would be rejected as empty.
            guard !blocks.isEmpty else { continue }
            if let last = turns.last, last.role == anthropicRole {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((anthropicRole, blocks))
            }
        }
        let out = turns.map { turn -> JSONValue in
            // A lone text block is sent as plain string content, as Anthropic's own examples do.
            if turn.blocks.count == 1, let only = turn.blocks.first?.objectValue, only.count == 2,
                let text = turn.blocks[0]["text"]
            {
                return ["role": .string(turn.role), "content": text]
            }
            return ["role": .string(turn.role), "content": .array(turn.blocks)]
        }
        return (system, out)
    }

    static func userBlocks(_ content: JSONValue?, at offset: Int) throws(ProxyError) -> [JSONValue] {
        switch content {
        case .string(let text)?: return [["type": "text", "text": .string(text)]]
        case .array(let parts)?:
            var blocks: [JSONValue] = []
            for part in parts {
                switch part["type"]?.stringValue {
                case "text":
                    guard let text = part["text"]?.stringValue else {
                        throw .invalidRequest("messages[\(offset)]: a text part needs `text`.")
                    }
                    blocks.append(["type": "text", "text": .string(text)])
                case "image_url":
                    blocks.append(try image(part["image_url"], at: offset))
                case let other:
                    throw .invalidRequest(
                        "messages[\(offset)]: Anthropic endpoints don't take `\(other ?? "untyped")` content parts.")
                }
            }
            return blocks
        default: throw .invalidRequest("messages[\(offset)].content must be a string or an array of parts.")
        }
    }

    /// `image_url` → an image block: an `https` URL by reference, a `data:` URL inline as base64.
    static func image(_ imageURL: JSONValue?, at offset: Int) throws(ProxyError) -> JSONValue {
        guard let url = imageURL?["url"]?.stringValue ?? imageURL?.stringValue else {
            throw .invalidRequest("messages[\(offset)]: an image_url part needs `image_url.url`.")
        }
        if let (mediaType, data) = try ChatRequestFields.dataURL(url, at: offset) {
            return [
                "type": "image", "source": ["type": "base64", "media_type": .string(mediaType), "data": .string(data)],
            ]
        }
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw .invalidRequest("messages[\(offset)]: an image URL must be http(s) or a base64 data: URL.")
        }
        return ["type": "image", "source": ["type": "url", "url": .string(url)]]
    }

    /// Assistant text (or refusal) parts, then one `tool_use` block per tool call.
    static func assistantBlocks(_ message: JSONValue, at offset: Int) throws(ProxyError) -> [JSONValue] {
        var blocks: [JSONValue] = []
        switch message["content"] {
        case .array(let parts)?:
            for part in parts {
                guard let text = part["text"]?.stringValue ?? part["refusal"]?.stringValue else {
                    throw .invalidRequest("messages[\(offset)]: assistant content parts must be text or refusal.")
                }
                if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
            }
        case let other:
            let text = try ChatRequestFields.text(of: other, at: offset)
            if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
        }
        for call in message["tool_calls"]?.arrayValue ?? [] {
            guard let id = call["id"]?.stringValue, let name = call["function"]?["name"]?.stringValue else {
                throw .invalidRequest("messages[\(offset)]: each tool call needs `id` and `function.name`.")
            }
            let arguments = call["function"]?["arguments"]?.stringValue ?? ""
            let input: JSONValue
            if arguments.unicodeScalars.allSatisfy({ $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }) {
                input = [:]
            } else if let parsed = try? JSONValue(parsing: arguments), case .object = parsed {
                input = parsed
            } else {
                throw .invalidRequest("messages[\(offset)]: tool call \(id) has `arguments` that aren't a JSON object.")
            }
            blocks.append(["type": "tool_use", "id": .string(id), "name": .string(name), "input": input])
        }
        return blocks
    }

    /// A `tool` message → a `tool_result` block answering `tool_call_id`.
    static func toolResult(_ message: JSONValue, at offset: Int) throws(ProxyError) -> JSONValue {
        guard let id = message["tool_call_id"]?.stringValue else {
            throw .invalidRequest("messages[\(offset)]: a tool message needs `tool_call_id`.")
        }
        return [
            "type": "tool_result", "tool_use_id": .string(id),
            "content": .string(try ChatRequestFields.text(of: message["content"], at: offset)),
        ]
    }
}
