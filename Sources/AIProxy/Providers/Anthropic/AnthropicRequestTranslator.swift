import Foundation

/// OpenAI chat completion request → Anthropic Messages API request.
///
/// System and `developer` messages become `system`; tool calls become `tool_use` blocks and tool
/// results `tool_result` blocks in a user turn; consecutive turns of one role are merged, since
/// Anthropic requires user and assistant to alternate.
enum AnthropicRequestTranslator {
    /// Used when the client gives no `max_tokens` (Anthropic requires one).
    static let defaultMaxTokens = 4096
    static let thinkingBudgets = ["low": 1024, "medium": 4096, "high": 16384]

    static func translate(_ body: JSONValue) throws(ProxyError) -> JSONValue {
        guard let model = body["model"]?.stringValue, let messages = body["messages"]?.arrayValue else {
            throw .invalidRequest("A chat completion needs `model` and `messages`.")
        }
        var system: [String] = []
        var turns: [(role: String, blocks: [JSONValue])] = []
        func append(_ role: String, _ blocks: [JSONValue]) {
            guard !blocks.isEmpty else { return }
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((role, blocks))
            }
        }
        for message in messages {
            let role = message["role"]?.stringValue ?? ""
            switch role {
            case "system", "developer":
                system.append(text(of: message["content"]))
            case "user":
                append("user", try contentBlocks(message["content"]))
            case "assistant":
                var blocks = try contentBlocks(message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let arguments = call["function"]?["arguments"]?.stringValue ?? "{}"
                    let input = (try? JSONValue(parsing: arguments)) ?? [:]
                    blocks.append([
                        "type": "tool_use", "id": call["id"] ?? .string("call"), "name": call["function"]?["name"] ?? "",
                        "input": input,
                    ])
                }
                append("assistant", blocks)
            case "tool":
                append("user", [[
                    "type": "tool_result", "tool_use_id": message["tool_call_id"] ?? "",
                    "content": .string(text(of: message["content"])),
                ]])
            default:
                throw .invalidRequest("Unsupported message role `\(role)` for an Anthropic model.")
            }
        }
        if let format = body["response_format"]?["type"]?.stringValue, format == "json_object" || format == "json_schema" {
            // Anthropic has no JSON mode: ask for it in the system prompt (with the schema, if any).
            var instruction = "Respond only with a valid JSON object, and nothing else."
            if let schema = body["response_format"]?["json_schema"]?["schema"] { instruction += " It must match this JSON schema: \(schema.serializedString)" }
            system.append(instruction)
        }
        var out: JSONValue = [
            "model": .string(model),
            "messages": .array(turns.map { ["role": .string($0.role), "content": .array($0.blocks)] }),
        ]
        var maxTokens = body["max_tokens"]?.intValue ?? body["max_completion_tokens"]?.intValue ?? defaultMaxTokens
        if !system.isEmpty { out = out.setting("system", to: .string(system.joined(separator: "\n\n"))) }
        for name in ["temperature", "top_p", "stream"] {
            if let value = body[name], value != .null { out = out.setting(name, to: value) }
        }
        if let stop = body["stop"] {
            if let one = stop.stringValue { out = out.setting("stop_sequences", to: [.string(one)]) }
            if let many = stop.arrayValue { out = out.setting("stop_sequences", to: .array(many)) }
        }
        if let tools = body["tools"]?.arrayValue, !tools.isEmpty {
            out = out.setting("tools", to: .array(tools.map { tool in
                var converted: JSONValue = ["name": tool["function"]?["name"] ?? "", "input_schema": tool["function"]?["parameters"] ?? ["type": "object"]]
                if let description = tool["function"]?["description"] { converted = converted.setting("description", to: description) }
                return converted
            }))
            if let choice = try toolChoice(body["tool_choice"], parallel: body["parallel_tool_calls"]?.boolValue) {
                out = out.setting("tool_choice", to: choice)
            }
        }
        if let effort = body["reasoning_effort"]?.stringValue, let budget = thinkingBudgets[effort] {
            out = out.setting("thinking", to: ["type": "enabled", "budget_tokens": .number(budget)])
            maxTokens = max(maxTokens, budget + 1024)
        }
        if let user = body["user"]?.stringValue { out = out.setting("metadata", to: ["user_id": .string(user)]) }
        return out.setting("max_tokens", to: .number(maxTokens))
    }

    static func toolChoice(_ choice: JSONValue?, parallel: Bool?) throws(ProxyError) -> JSONValue? {
        var converted: JSONValue
        switch choice {
        case nil, .null?: converted = ["type": "auto"]
        case .string("auto")?: converted = ["type": "auto"]
        case .string("required")?: converted = ["type": "any"]
        case .string("none")?: converted = ["type": "none"]
        case let named? where named["function"]?["name"] != nil: converted = ["type": "tool", "name": named["function"]!["name"]!]
        default: throw .invalidRequest("Unsupported `tool_choice` for an Anthropic model.")
        }
        if parallel == false { converted = converted.setting("disable_parallel_tool_use", to: true) }
        return converted
    }

    static func text(of content: JSONValue?) -> String {
        if let text = content?.stringValue { return text }
        return (content?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    static func contentBlocks(_ content: JSONValue?) throws(ProxyError) -> [JSONValue] {
        if let text = content?.stringValue { return text.isEmpty ? [] : [["type": "text", "text": .string(text)]] }
        var blocks: [JSONValue] = []
        for part in content?.arrayValue ?? [] {
            switch part["type"]?.stringValue {
            case "text": blocks.append(["type": "text", "text": part["text"] ?? ""])
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
                    let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
                    let mediaType = header.split(separator: ";").first.map(String.init) ?? "image/png"
                    blocks.append(["type": "image", "source": ["type": "base64", "media_type": .string(mediaType), "data": .string(String(url[url.index(after: comma)...]))]])
                } else {
                    blocks.append(["type": "image", "source": ["type": "url", "url": .string(url)]])
                }
            default:
                throw .invalidRequest("Unsupported content part `\(part["type"]?.stringValue ?? "?")` for an Anthropic model.")
            }
        }
        return blocks
    }
}
