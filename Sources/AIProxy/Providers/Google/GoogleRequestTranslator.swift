/// OpenAI chat completion request → Gemini `generateContent` request.
///
/// Roles become `user`/`model`, system and developer messages `systemInstruction`, tool calls
/// `functionCall` parts and tool results `functionResponse` parts — matched back to the call by
/// the function's **name**, which Gemini uses instead of call ids.
enum GoogleRequestTranslator {
    /// `thinkingBudget` tokens for OpenAI's `reasoning_effort`.
    static let thinkingBudgets = ["minimal": 0, "low": 1024, "medium": 8192, "high": 24576]

    static func translate(_ body: JSONValue) throws(ProxyError) -> JSONValue {
        guard let messages = body["messages"]?.arrayValue else {
            throw .invalidRequest("A chat completion needs `messages`.")
        }
        var system: [String] = []
        var contents: [(role: String, parts: [JSONValue])] = []
        var callNames: [String: String] = [:]  // tool_call_id → function name
        func append(_ role: String, _ parts: [JSONValue]) {
            guard !parts.isEmpty else { return }
            if let last = contents.last, last.role == role {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }
        for message in messages {
            switch message["role"]?.stringValue ?? "" {
            case "system", "developer":
                system.append(text(of: message["content"]))
            case "user":
                append("user", try parts(message["content"]))
            case "assistant":
                var out = try parts(message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let name = call["function"]?["name"]?.stringValue ?? ""
                    if let id = call["id"]?.stringValue { callNames[id] = name }
                    let args = (try? JSONValue(parsing: call["function"]?["arguments"]?.stringValue ?? "{}")) ?? [:]
                    out.append(["functionCall": ["name": .string(name), "args": args]])
                }
                append("model", out)
            case "tool":
                let id = message["tool_call_id"]?.stringValue ?? ""
                guard let name = callNames[id] else { throw .invalidRequest("Tool result for unknown call `\(id)`.") }
                let text = text(of: message["content"])
                let response =
                    (try? JSONValue(parsing: text)).flatMap { $0.objectValue != nil ? $0 : nil } ?? [
                        "result": .string(text)
                    ]
                append("user", [["functionResponse": ["name": .string(name), "response": response]]])
            case let role:
                throw .invalidRequest("Unsupported message role `\(role)` for a Gemini model.")
            }
        }
        var out: JSONValue = [
            "contents": .array(contents.map { ["role": .string($0.role), "parts": .array($0.parts)] })
        ]
        if !system.isEmpty {
            out = out.setting("systemInstruction", to: ["parts": [["text": .string(system.joined(separator: "\n\n"))]]])
        }
        var config: JSONValue = [:]
        for (from, to) in [("temperature", "temperature"), ("top_p", "topP"), ("n", "candidateCount")] {
            if let value = body[from], value != .null { config = config.setting(to, to: value) }
        }
        if let maxTokens = body["max_tokens"] ?? body["max_completion_tokens"], maxTokens != .null {
            config = config.setting("maxOutputTokens", to: maxTokens)
        }
        if let stop = body["stop"] {
            config = config.setting("stopSequences", to: stop.stringValue.map { [.string($0)] } ?? stop)
        }
        if let effort = body["reasoning_effort"], effort != .null {
            // Google's own mapping for its OpenAI-compatible API; `minimal` turns thinking off.
            guard let name = effort.stringValue, let budget = Self.thinkingBudgets[name] else {
                throw .invalidRequest("`reasoning_effort` must be minimal, low, medium or high.")
            }
            config = config.setting("thinkingConfig", to: ["thinkingBudget": .number(budget)])
        }
        if let format = body["response_format"], let type = format["type"]?.stringValue, type != "text" {
            config = config.setting("responseMimeType", to: "application/json")
            if let schema = format["json_schema"]?["schema"] { config = config.setting("responseSchema", to: schema) }
        }
        if config.objectValue?.isEmpty == false { out = out.setting("generationConfig", to: config) }
        if let tools = body["tools"]?.arrayValue, !tools.isEmpty {
            out = out.setting(
                "tools",
                to: [
                    [
                        "functionDeclarations": .array(
                            tools.map { tool in
                                var declaration: JSONValue = ["name": tool["function"]?["name"] ?? ""]
                                if let description = tool["function"]?["description"] {
                                    declaration = declaration.setting("description", to: description)
                                }
                                if let parameters = tool["function"]?["parameters"] {
                                    declaration = declaration.setting("parameters", to: parameters)
                                }
                                return declaration
                            })
                    ]
                ])
            switch body["tool_choice"] {
            case .string("required")?: out = out.setting("toolConfig", to: ["functionCallingConfig": ["mode": "ANY"]])
            case .string("none")?: out = out.setting("toolConfig", to: ["functionCallingConfig": ["mode": "NONE"]])
            case let named? where named["function"]?["name"] != nil:
                out = out.setting(
                    "toolConfig",
                    to: [
                        "functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": [named["function"]!["name"]!]]
                    ])
            default: break
            }
        }
        return out
    }

    /// The text of a message's content (a string, or the text parts joined).
    static func text(of content: JSONValue?) -> String {
        if let text = content?.stringValue { return text }
        return (content?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    static func parts(_ content: JSONValue?) throws(ProxyError) -> [JSONValue] {
        if let text = content?.stringValue { return text.isEmpty ? [] : [["text": .string(text)]] }
        var out: [JSONValue] = []
        for part in content?.arrayValue ?? [] {
            switch part["type"]?.stringValue {
            case "text": out.append(["text": part["text"] ?? ""])
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
                    let mime =
                        url[url.index(url.startIndex, offsetBy: 5)..<comma].split(separator: ";").first.map(String.init)
                        ?? "image/png"
                    out.append([
                        "inlineData": [
                            "mimeType": .string(mime), "data": .string(String(url[url.index(after: comma)...])),
                        ]
                    ])
                } else {
                    out.append(["fileData": ["mimeType": "image/jpeg", "fileUri": .string(url)]])
                }
            default:
                throw .invalidRequest(
                    "Unsupported content part `\(part["type"]?.stringValue ?? "?")` for a Gemini model.")
            }
        }
        return out
    }
}
