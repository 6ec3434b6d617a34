/// The Responses API's `input` (a string, or a list of items) as chat `messages`.
///
/// Messages keep their role (`developer` becomes `system`, which every translator reads);
/// `function_call` items join the assistant message before them as its `tool_calls`, so
/// parallel calls stay one turn; `function_call_output` items become `tool` messages;
/// `reasoning` items (a previous turn's thinking, meaningful only to OpenAI) are left out.
enum ResponsesInput {
    static func messages(from input: JSONValue) throws(ProxyError) -> [JSONValue] {
        if let text = input.stringValue { return [["role": "user", "content": .string(text)]] }
        guard let items = input.arrayValue else {
            throw .invalidRequest("`input` must be a string or an array of items.")
        }
        var messages: [JSONValue] = []
        var assistantTurnOpen = false
        for (index, item) in items.enumerated() {
            let type = item["type"]?.stringValue ?? (item["role"] != nil ? "message" : "")
            switch type {
            case "message":
                let message = try self.message(item, at: index)
                assistantTurnOpen = message["role"]?.stringValue == "assistant"
                messages.append(message)
            case "function_call":
                guard let callID = item["call_id"]?.stringValue, let name = item["name"]?.stringValue else {
                    throw .invalidRequest("`input[\(index)]`: a function_call item needs `call_id` and `name`.")
                }
                let call: JSONValue = [
                    "id": .string(callID), "type": "function",
                    "function": ["name": .string(name), "arguments": item["arguments"] ?? "{}"],
                ]
                if assistantTurnOpen, let last = messages.last {
                    let calls = (last["tool_calls"]?.arrayValue ?? []) + [call]
                    messages[messages.count - 1] = last.setting("tool_calls", to: .array(calls))
                } else {
                    messages.append(["role": "assistant", "content": .null, "tool_calls": [call]])
                    assistantTurnOpen = true
                }
            case "function_call_output":
                guard let callID = item["call_id"]?.stringValue else {
                    throw .invalidRequest("`input[\(index)]`: a function_call_output item needs `call_id`.")
                }
                let output = item["output"] ?? ""
                let text = output.stringValue ?? joinedText(output.arrayValue ?? [])
                messages.append(["role": "tool", "tool_call_id": .string(callID), "content": .string(text)])
                assistantTurnOpen = false
            case "reasoning":
                continue
            case "item_reference":
                throw .unsupportedParameter(
                    name: "input[\(index)]",
                    reason: "item references need stored responses, which this model's provider lacks")
            default:
                throw .unsupportedParameter(
                    name: "input[\(index)].type", reason: "`\(type)` items can't be sent to this model's provider")
            }
        }
        return messages
    }

    static func message(_ item: JSONValue, at index: Int) throws(ProxyError) -> JSONValue {
        var role = item["role"]?.stringValue ?? ""
        guard ["user", "assistant", "system", "developer"].contains(role) else {
            throw .invalidRequest("`input[\(index)].role` must be user, assistant, system or developer.")
        }
        if role == "developer" { role = "system" }
        let content = item["content"] ?? ""
        if content.stringValue != nil { return ["role": .string(role), "content": content] }
        guard let parts = content.arrayValue else {
            throw .invalidRequest("`input[\(index)].content` must be a string or an array of content parts.")
        }
        // An assistant turn from history is text (output_text or refusal parts) and goes back as one string.
        if role == "assistant" { return ["role": "assistant", "content": .string(joinedText(parts))] }
        var out: [JSONValue] = []
        for (partIndex, part) in parts.enumerated() {
            let field = "input[\(index)].content[\(partIndex)]"
            switch part["type"]?.stringValue {
            case "input_text", "output_text":
                out.append(["type": "text", "text": part["text"] ?? ""])
            case "input_image":
                guard let url = part["image_url"]?.stringValue else {
                    throw .unsupportedParameter(
                        name: field + ".file_id", reason: "images by file id need OpenAI's file store; send `image_url`"
                    )
                }
                var image: [(String, JSONValue)] = [("url", .string(url))]
                if let detail = part["detail"], detail != .null { image.append(("detail", detail)) }
                out.append(["type": "image_url", "image_url": .object(image)])
            case let other:
                throw .unsupportedParameter(
                    name: field + ".type", reason: "`\(other ?? "")` parts can't be sent to this model's provider")
            }
        }
        return ["role": .string(role), "content": .array(out)]
    }

    /// The text of `input_text` / `output_text` / `refusal` parts, joined.
    static func joinedText(_ parts: [JSONValue]) -> String {
        parts.compactMap { $0["text"]?.stringValue ?? $0["refusal"]?.stringValue }.joined()
    }
}
