/// OpenAI chat completion body → Bedrock Converse body (the model id goes in the URL).
///
/// System and developer messages become `system` blocks; user, assistant and tool messages become
/// alternating `user`/`assistant` turns of content blocks (`text`, `image`, `toolUse`,
/// `toolResult`), merged in order so tool results stay ahead of the user's text. Sampling goes to
/// `inferenceConfig`, tools to `toolConfig`. Bedrock takes images only as bytes, so an image must
/// be a base64 `data:` URL.
/// - SeeAlso: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
enum BedrockRequestTranslator {
    static let imageFormats = [
        "image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/gif": "gif", "image/webp": "webp",
    ]

    static func translate(_ body: JSONValue, model: String) throws(ProxyError) -> JSONValue {
        guard let messages = body["messages"]?.arrayValue else {
            throw .invalidRequest("`messages` must be an array of chat messages.")
        }
        if let n = body["n"]?.intValue, n != 1 {
            throw .invalidRequest("Bedrock's Converse API returns one choice per call: `n` must be 1.")
        }
        if body["logprobs"]?.boolValue == true {
            throw .invalidRequest("Bedrock's Converse API doesn't return `logprobs`.")
        }
        var system: [String] = []
        var turns: [(role: String, blocks: [JSONValue])] = []
        var usesTools = false
        for (offset, message) in messages.enumerated() {
            let role = message["role"]?.stringValue ?? ""
            let blocks: [JSONValue]
            switch role {
            case "system", "developer":
                system.append(try ChatRequestFields.text(of: message["content"], at: offset))
                continue
            case "user": blocks = try userBlocks(message["content"], at: offset)
            case "assistant": blocks = try assistantBlocks(message, at: offset)
            case "tool":
                guard let id = message["tool_call_id"]?.stringValue else {
                    throw .invalidRequest("messages[\(offset)]: a tool message needs `tool_call_id`.")
                }
                let text = try ChatRequestFields.text(of: message["content"], at: offset)
                blocks = [
                    [
                        "toolResult": [
                            "toolUseId": .string(id), "content": [["text": .string(text)]], "status": "success",
                        ]
                    ]
                ]
            default:
                throw .invalidRequest(
                    "messages[\(offset)]: Bedrock models take system, developer, user, assistant and tool messages, not `\(role)`."
                )
            }
            guard !blocks.isEmpty else { continue }
            usesTools = usesTools || role == "tool" || blocks.contains { $0["toolUse"] != nil }
            let converseRole = role == "assistant" ? "assistant" : "user"
            if let last = turns.last, last.role == converseRole {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((converseRole, blocks))
            }
        }
        if let instruction = try ChatRequestFields.jsonInstruction(body["response_format"]) {
            system.append(instruction)
        }
        guard turns.first?.role == "user" else {
            throw .invalidRequest("Bedrock needs the conversation to start with a user message.")
        }

        var out: [(String, JSONValue)] = [
            ("messages", .array(turns.map { ["role": .string($0.role), "content": .array($0.blocks)] }))
        ]
        if !system.isEmpty { out.append(("system", .array(system.map { ["text": .string($0)] }))) }
        var inference: [(String, JSONValue)] = []
        if let maxTokens = body["max_tokens"] ?? body["max_completion_tokens"], maxTokens != .null {
            guard let value = maxTokens.intValue, value > 0 else {
                throw .invalidRequest("`max_tokens` must be a positive integer.")
            }
            inference.append(("maxTokens", .number(value)))
        }
        for (from, to) in [("temperature", "temperature"), ("top_p", "topP")] {
            guard let value = body[from], value != .null else { continue }
            guard value.doubleValue != nil else { throw .invalidRequest("`\(from)` must be a number.") }
            inference.append((to, value))
        }
        if let stop = try ChatRequestFields.stopSequences(body["stop"]) { inference.append(("stopSequences", stop)) }
        if !inference.isEmpty { out.append(("inferenceConfig", .object(inference))) }
        if let tools = try toolConfig(body, required: usesTools) { out.append(("toolConfig", tools)) }
        if let effort = body["reasoning_effort"], effort != .null {
            // Only Claude on Bedrock takes extended thinking, through the model's own fields.
            guard ByteSearch.contains(model, "anthropic.claude") else {
                throw .invalidRequest("`reasoning_effort` is supported for Claude models on Bedrock only.")
            }
            if let budget = try AnthropicRequestTranslator.thinkingBudget(effort) {
                out.append(
                    (
                        "additionalModelRequestFields",
                        ["thinking": ["type": "enabled", "budget_tokens": .number(budget)]]
                    ))
            }
        }
        return .object(out)
    }

    static func userBlocks(_ content: JSONValue?, at offset: Int) throws(ProxyError) -> [JSONValue] {
        guard let parts = content?.arrayValue else {
            let text = try ChatRequestFields.text(of: content, at: offset)
            return text.isEmpty ? [] : [["text": .string(text)]]
        }
        var blocks: [JSONValue] = []
        for part in parts {
            switch part["type"]?.stringValue {
            case "text": blocks.append(["text": part["text"] ?? ""])
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                guard let (mediaType, data) = try ChatRequestFields.dataURL(url, at: offset) else {
                    throw .invalidRequest(
                        "messages[\(offset)]: Bedrock takes images as base64 data: URLs only, not by http(s) URL.")
                }
                guard let format = imageFormats[mediaType.lowercased()] else {
                    throw .invalidRequest(
                        "messages[\(offset)]: Bedrock takes png, jpeg, gif and webp images, not \(mediaType).")
                }
                blocks.append(["image": ["format": .string(format), "source": ["bytes": .string(data)]]])
            case let other:
                throw .invalidRequest(
                    "messages[\(offset)]: Bedrock endpoints don't take `\(other ?? "untyped")` content parts.")
            }
        }
        return blocks
    }

    static func assistantBlocks(_ message: JSONValue, at offset: Int) throws(ProxyError) -> [JSONValue] {
        var blocks: [JSONValue] = []
        let text = try ChatRequestFields.text(of: message["content"], at: offset)
        if !text.isEmpty { blocks.append(["text": .string(text)]) }
        for call in message["tool_calls"]?.arrayValue ?? [] {
            guard let id = call["id"]?.stringValue, let name = call["function"]?["name"]?.stringValue else {
                throw .invalidRequest("messages[\(offset)]: each tool call needs `id` and `function.name`.")
            }
            let arguments = call["function"]?["arguments"]?.stringValue ?? ""
            let input = arguments.isEmpty ? [:] : try? JSONValue(parsing: arguments)
            guard let input, input.objectValue != nil else {
                throw .invalidRequest("messages[\(offset)]: tool call \(id) has `arguments` that aren't a JSON object.")
            }
            blocks.append(["toolUse": ["toolUseId": .string(id), "name": .string(name), "input": input]])
        }
        return blocks
    }

    /// `tools` and `tool_choice` → `toolConfig`. Converse has no "none": with `none`, tools are
    /// left out, unless the history holds tool calls, which Bedrock accepts only with a
    /// `toolConfig` (the model may then call a tool; the client's `none` is not enforceable).
    static func toolConfig(_ body: JSONValue, required: Bool) throws(ProxyError) -> JSONValue? {
        guard let list = body["tools"]?.arrayValue, !list.isEmpty else {
            if required {
                throw .invalidRequest("Bedrock needs `tools` when the conversation holds tool calls or results.")
            }
            return nil
        }
        var tools: [JSONValue] = []
        for tool in list {
            guard tool["type"]?.stringValue == "function", let name = tool["function"]?["name"]?.stringValue else {
                throw .invalidRequest("Bedrock models take only `function` tools, each with a `function.name`.")
            }
            var spec: [(String, JSONValue)] = [("name", .string(name))]
            if let description = tool["function"]?["description"]?.stringValue {
                spec.append(("description", .string(description)))
            }
            spec.append(
                ("inputSchema", ["json": tool["function"]?["parameters"] ?? ["type": "object", "properties": [:]]]))
            tools.append(["toolSpec": .object(spec)])
        }
        var config: [(String, JSONValue)] = [("tools", .array(tools))]
        switch body["tool_choice"] {
        case nil, .null?, .string("auto")?: config.append(("toolChoice", ["auto": [:]]))
        case .string("required")?: config.append(("toolChoice", ["any": [:]]))
        case .string("none")?: if !required { return nil }
        case let value? where value["type"]?.stringValue == "function":
            guard let name = value["function"]?["name"]?.stringValue else {
                throw .invalidRequest("`tool_choice.function.name` is required.")
            }
            config.append(("toolChoice", ["tool": ["name": .string(name)]]))
        default:
            throw .invalidRequest("`tool_choice` must be auto, required, none or {type: function, function: {name}}.")
        }
        return .object(config)
    }
}
