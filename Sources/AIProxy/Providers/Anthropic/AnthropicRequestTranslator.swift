/// Turns an OpenAI chat completions body into an Anthropic Messages API body.
///
/// Messages are handled in `AnthropicRequestTranslator+Messages.swift`; this file maps the
/// call's parameters. What Anthropic can't express is refused with
/// ``ProxyError/invalidRequest(_:)`` rather than dropped, except parameters that only tune
/// sampling or the proxy's own behaviour (`seed`, penalties, `logit_bias`), which are ignored.
///
/// ```swift
/// let body = try AnthropicRequestTranslator.translate(call.body ?? [:])
/// ```
enum AnthropicRequestTranslator {
    /// Thinking budgets for OpenAI's `reasoning_effort` (`minimal` means no extended thinking).
    static let thinkingBudgets = ["low": 1024, "medium": 4096, "high": 16384]

    /// The Anthropic request body for an OpenAI chat completions body.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` naming the field Anthropic can't take.
    /// - Parameter maxOutputTokens: the model's output limit from the catalog: the default
    ///   `max_tokens` when the call names none (``AnthropicWire/defaultMaxTokens`` if unknown).
    static func translate(_ body: JSONValue, maxOutputTokens: Int? = nil) throws(ProxyError) -> JSONValue {
        guard let model = body["model"]?.stringValue else { throw .invalidRequest("The request body has no `model`.") }
        guard let messages = body["messages"]?.arrayValue else {
            throw .invalidRequest("`messages` must be an array of chat messages.")
        }
        if let n = body["n"]?.intValue, n != 1 {
            throw .invalidRequest("Anthropic models return one choice per call: `n` must be 1.")
        }
        if body["logprobs"]?.boolValue == true { throw .invalidRequest("Anthropic models don't return `logprobs`.") }

        var (system, turns) = try translateMessages(messages)
        if let instruction = try ChatRequestFields.jsonInstruction(body["response_format"]) { system.append(instruction) }
        guard !turns.isEmpty else {
            throw .invalidRequest("Anthropic needs at least one user or assistant message besides the system prompt.")
        }

        var out: [(String, JSONValue)] = [("model", .string(model))]
        if !system.isEmpty { out.append(("system", .string(system.joined(separator: "\n\n")))) }
        out.append(("messages", .array(turns)))
        // `??` can't carry a typed throw through its autoclosure.
        var maxTokens = try positiveInt(body, "max_tokens")
        if maxTokens == nil { maxTokens = try positiveInt(body, "max_completion_tokens") }
        if let budget = try thinkingBudget(body["reasoning_effort"]) {
            // Anthropic requires `budget_tokens < max_tokens`. OpenAI's cap counts reasoning too,
            // but a cap below the budget would make the call fail, so the answer keeps its cap
            // (or the default) on top of the budget.
            if (maxTokens ?? 0) <= budget {
                maxTokens = maxTokens.map { budget + $0 } ?? max(maxOutputTokens ?? 0, budget + AnthropicWire.defaultMaxTokens)
            }
            out.append(("thinking", ["type": "enabled", "budget_tokens": .number(budget)]))
        }
        out.append(("max_tokens", .number(maxTokens ?? maxOutputTokens ?? AnthropicWire.defaultMaxTokens)))
        for name in ["temperature", "top_p"] {
            guard let value = body[name], value != .null else { continue }
            guard value.doubleValue != nil else { throw .invalidRequest("`\(name)` must be a number.") }
            out.append((name, value))
        }
        if let stop = try ChatRequestFields.stopSequences(body["stop"]) { out.append(("stop_sequences", stop)) }
        if let stream = body["stream"]?.boolValue { out.append(("stream", .bool(stream))) }
        if let tools = try tools(body["tools"]) { out.append(("tools", tools)) }
        if let choice = try toolChoice(body["tool_choice"], parallel: body["parallel_tool_calls"]?.boolValue) {
            out.append(("tool_choice", choice))
        }
        if let user = body["user"]?.stringValue, !user.isEmpty { out.append(("metadata", ["user_id": .string(user)])) }
        return .object(out)
    }

    private static func positiveInt(_ body: JSONValue, _ name: String) throws(ProxyError) -> Int? {
        guard let value = body[name], value != .null else { return nil }
        guard let number = value.intValue, number > 0 else {
            throw .invalidRequest("`\(name)` must be a positive integer.")
        }
        return number
    }

    /// The extended-thinking budget for `reasoning_effort`, or `nil` for none.
    static func thinkingBudget(_ effort: JSONValue?) throws(ProxyError) -> Int? {
        guard let effort, effort != .null else { return nil }
        guard let name = effort.stringValue, name == "minimal" || thinkingBudgets[name] != nil else {
            throw .invalidRequest("`reasoning_effort` must be minimal, low, medium or high.")
        }
        return thinkingBudgets[name]
    }

    /// OpenAI function tools → Anthropic tools (`parameters` becomes `input_schema`).
    static func tools(_ tools: JSONValue?) throws(ProxyError) -> JSONValue? {
        guard let tools, tools != .null else { return nil }
        guard let list = tools.arrayValue else { throw .invalidRequest("`tools` must be an array.") }
        var out: [JSONValue] = []
        for tool in list {
            guard tool["type"]?.stringValue == "function", let function = tool["function"],
                let name = function["name"]?.stringValue
            else {
                throw .invalidRequest("Anthropic models take only `function` tools, each with a `function.name`.")
            }
            var entry: [(String, JSONValue)] = [("name", .string(name))]
            if let description = function["description"]?.stringValue {
                entry.append(("description", .string(description)))
            }
            let schema = function["parameters"] ?? ["type": "object", "properties": [:]]
            entry.append(("input_schema", schema))
            out.append(.object(entry))
        }
        return out.isEmpty ? nil : .array(out)
    }

    /// `tool_choice` and `parallel_tool_calls: false` → Anthropic's `tool_choice`.
    static func toolChoice(_ choice: JSONValue?, parallel: Bool?) throws(ProxyError) -> JSONValue? {
        var result: JSONValue
        switch choice {
        case nil, .null?: result = ["type": "auto"]
        case .string("auto")?: result = ["type": "auto"]
        case .string("required")?: result = ["type": "any"]
        case .string("none")?: return ["type": "none"]
        case let value? where value["type"]?.stringValue == "function":
            guard let name = value["function"]?["name"]?.stringValue else {
                throw .invalidRequest("`tool_choice.function.name` is required.")
            }
            result = ["type": "tool", "name": .string(name)]
        default:
            throw .invalidRequest("`tool_choice` must be auto, required, none or {type: function, function: {name}}.")
        }
        if parallel == false {
            result = result.setting("disable_parallel_tool_use", to: true)
        } else if choice == nil || choice == .null {
            return nil  // Anthropic's default is already auto.
        }
        return result
    }
}
