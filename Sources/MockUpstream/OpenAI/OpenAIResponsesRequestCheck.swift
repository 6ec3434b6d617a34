import Foundation

/// The checks OpenAI makes on a `POST /v1/responses` body that a translated request could fail:
/// unknown (e.g. Chat Completions) parameters, the input items' shapes, tools, `text.format`,
/// `max_output_tokens`, and tool outputs that answer no tool call. The mock refuses the same.
///
/// - SeeAlso: https://platform.openai.com/docs/api-reference/responses/create
enum OpenAIResponsesRequestCheck {
    typealias Problem = OpenAIRequestProblem

    static let parameters: Set<String> = [
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "max_output_tokens",
        "temperature", "top_p", "text", "reasoning", "metadata", "store", "stream", "stream_options", "user",
        "include", "previous_response_id", "truncation", "service_tier", "prompt_cache_key", "safety_identifier",
        "background", "max_tool_calls", "top_logprobs",
    ]
    static let itemTypes = ["message", "function_call", "function_call_output", "reasoning"]
    static let roles = ["assistant", "system", "developer", "user"]
    static let inputPartTypes = ["input_text", "input_image", "input_file"]
    static let assistantPartTypes = ["output_text", "refusal"]
    static let builtInToolTypes = [
        "web_search", "web_search_preview", "file_search", "computer_use_preview", "code_interpreter",
        "image_generation", "mcp", "local_shell", "custom",
    ]
    /// Scalar parameters and the JSON type each must have (`kind` checks, `expected` words the error).
    static let scalars: [(name: String, expected: String, kind: @Sendable (Any) -> Bool)] = [
        ("instructions", "a string", { $0 is String }), ("user", "a string", { $0 is String }),
        ("temperature", "a decimal", JSONKind.isNumber), ("top_p", "a decimal", JSONKind.isNumber),
        ("stream", "a boolean", JSONKind.isBoolean), ("store", "a boolean", JSONKind.isBoolean),
        ("parallel_tool_calls", "a boolean", JSONKind.isBoolean), ("background", "a boolean", JSONKind.isBoolean),
        ("metadata", "an object", { $0 is [String: Any] }), ("reasoning", "an object", { $0 is [String: Any] }),
    ]

    /// Throws the problem OpenAI would report first for `request`; returns if it would accept it.
    static func check(_ request: [String: Any]) throws(Problem) {
        if let unknown = request.keys.sorted().first(where: { !parameters.contains($0) }) {
            throw .unknownParameter(unknown)
        }
        if let options = JSONKind.present(request["stream_options"]) as? [String: Any],
            let unknown = options.keys.sorted().first(where: { $0 != "include_obfuscation" })
        {
            throw .unknownParameter("stream_options.\(unknown)")
        }
        guard let model = JSONKind.present(request["model"]) else { throw .missing("model") }
        guard model is String else { throw .invalidType("model", expected: "a string", got: model) }
        for scalar in scalars {
            if let value = JSONKind.present(request[scalar.name]), !scalar.kind(value) {
                throw .invalidType(scalar.name, expected: scalar.expected, got: value)
            }
        }
        if let limit = JSONKind.present(request["max_output_tokens"]) {
            guard let tokens = JSONKind.integer(limit) else {
                throw .invalidType("max_output_tokens", expected: "an integer", got: limit)
            }
            guard tokens >= 16 else {
                throw Problem(
                    message: "Invalid 'max_output_tokens': integer below minimum value. "
                        + "Expected a value >= 16, but got \(tokens) instead.",
                    code: "integer_below_min_value", param: "max_output_tokens")
            }
        }
        let items = try checkInput(request["input"])
        try checkTools(request["tools"])
        try checkToolChoice(request["tool_choice"])
        try checkText(request["text"])
        if let previous = JSONKind.present(request["previous_response_id"]) {
            throw Problem(
                message: "Previous response with id '\(previous)' not found.", code: "previous_response_not_found",
                param: "previous_response_id")
        }
        try checkCallOutputsAnswerCalls(items)
    }

    /// The input's items (a string input is one user message), each checked for its type's fields.
    static func checkInput(_ input: Any?) throws(Problem) -> [[String: Any]] {
        guard let input = JSONKind.present(input) else { throw .missing("input") }
        if let text = input as? String { return [["type": "message", "role": "user", "content": text]] }
        guard let list = input as? [Any] else {
            throw .invalidType("input", expected: "one of a string or array of input items", got: input)
        }
        var items: [[String: Any]] = []
        for (index, element) in list.enumerated() {
            let path = "input[\(index)]"
            guard let item = element as? [String: Any] else {
                throw .invalidType(path, expected: "an object", got: element)
            }
            let type = JSONKind.present(item["type"]) ?? "message"
            switch type as? String {
            case "message":
                try checkMessage(item, path: path)
            case "function_call":
                for field in ["call_id", "name", "arguments"] { _ = try string(item, field, path: path) }
            case "function_call_output":
                _ = try string(item, "call_id", path: path)
                guard let output = JSONKind.present(item["output"]) else { throw .missing("\(path).output") }
                if !(output is String) {
                    guard let parts = output as? [Any] else {
                        throw .invalidType("\(path).output", expected: "one of a string or array", got: output)
                    }
                    for (part, value) in parts.enumerated() {
                        try checkPart(value, allowed: inputPartTypes, path: "\(path).output[\(part)]")
                    }
                }
            case "reasoning":
                break
            default:
                throw .invalidValue(type, supported: itemTypes, param: "\(path).type")
            }
            items.append(item)
        }
        return items
    }

    static func checkMessage(_ item: [String: Any], path: String) throws(Problem) {
        guard let role = JSONKind.present(item["role"]) else { throw .missing("\(path).role") }
        guard let roleName = role as? String, roles.contains(roleName) else {
            throw .invalidValue(role, supported: roles, param: "\(path).role")
        }
        guard let content = JSONKind.present(item["content"]) else { throw .missing("\(path).content") }
        if content is String { return }
        guard let parts = content as? [Any] else {
            throw .invalidType("\(path).content", expected: "one of a string or array of content parts", got: content)
        }
        let allowed = roleName == "assistant" ? assistantPartTypes : inputPartTypes
        for (index, part) in parts.enumerated() {
            try checkPart(part, allowed: allowed, path: "\(path).content[\(index)]")
        }
    }

    /// A content part: its type must be one of `allowed` and carry that type's fields.
    static func checkPart(_ value: Any, allowed: [String], path: String) throws(Problem) {
        guard let part = value as? [String: Any] else { throw .invalidType(path, expected: "an object", got: value) }
        guard let type = JSONKind.present(part["type"]) else { throw .missing("\(path).type") }
        guard let typeName = type as? String, allowed.contains(typeName) else {
            throw .invalidValue(type, supported: allowed, param: "\(path).type")
        }
        switch typeName {
        case "input_text", "output_text":
            _ = try string(part, "text", path: path)
        case "refusal":
            _ = try string(part, "refusal", path: path)
        case "input_image":
            guard part["image_url"] is String || part["file_id"] is String else { throw .missing("\(path).image_url") }
            if let detail = JSONKind.present(part["detail"]), !["low", "high", "auto"].contains(detail as? String) {
                throw .invalidValue(detail, supported: ["low", "high", "auto"], param: "\(path).detail")
            }
        default:
            guard ["file_id", "file_data", "file_url"].contains(where: { part[$0] is String }) else {
                throw .missing("\(path).file_id")
            }
        }
    }

    /// Without `previous_response_id`, each `function_call_output` must answer an earlier `function_call`.
    static func checkCallOutputsAnswerCalls(_ items: [[String: Any]]) throws(Problem) {
        var calls: Set<String> = []
        for item in items {
            guard let type = item["type"] as? String, let callID = item["call_id"] as? String else { continue }
            if type == "function_call" { calls.insert(callID) }
            if type == "function_call_output", !calls.contains(callID) {
                throw Problem(
                    message: "No tool call found for function call output with call_id \(callID).", code: nil,
                    param: "input")
            }
        }
    }

    static func checkTools(_ tools: Any?) throws(Problem) {
        guard let tools = JSONKind.present(tools) else { return }
        guard let list = tools as? [Any] else { throw .invalidType("tools", expected: "an array", got: tools) }
        for (index, element) in list.enumerated() {
            let path = "tools[\(index)]"
            guard let tool = element as? [String: Any] else {
                throw .invalidType(path, expected: "an object", got: element)
            }
            guard let type = JSONKind.present(tool["type"]) else { throw .missing("\(path).type") }
            if type as? String == "function" {
                _ = try string(tool, "name", path: path)
                if let parameters = JSONKind.present(tool["parameters"]), !(parameters is [String: Any]) {
                    throw .invalidType("\(path).parameters", expected: "an object", got: parameters)
                }
            } else if !builtInToolTypes.contains(where: { type as? String == $0 }) {
                throw .invalidValue(type, supported: ["function"] + builtInToolTypes, param: "\(path).type")
            }
        }
    }

    /// `"none"`, `"auto"`, `"required"`, or an object such as `{"type": "function", "name": …}`.
    static func checkToolChoice(_ choice: Any?) throws(Problem) {
        guard let choice = JSONKind.present(choice) else { return }
        if let mode = choice as? String {
            guard ["none", "auto", "required"].contains(mode) else {
                throw .invalidValue(mode, supported: ["none", "auto", "required"], param: "tool_choice")
            }
            return
        }
        guard let object = choice as? [String: Any] else {
            throw .invalidType("tool_choice", expected: "one of a string or object", got: choice)
        }
        if try string(object, "type", path: "tool_choice") == "function" {
            _ = try string(object, "name", path: "tool_choice")
        }
    }

    /// `text.format`: `text`, `json_object`, or `json_schema` with a name and a schema object.
    static func checkText(_ text: Any?) throws(Problem) {
        guard let text = JSONKind.present(text) else { return }
        guard let config = text as? [String: Any] else { throw .invalidType("text", expected: "an object", got: text) }
        if let unknown = config.keys.sorted().first(where: { $0 != "format" && $0 != "verbosity" }) {
            throw .unknownParameter("text.\(unknown)")
        }
        guard let format = JSONKind.present(config["format"]) else { return }
        guard let object = format as? [String: Any] else {
            throw .invalidType("text.format", expected: "an object", got: format)
        }
        let type = try string(object, "type", path: "text.format")
        switch type {
        case "text", "json_object":
            break
        case "json_schema":
            _ = try string(object, "name", path: "text.format")
            guard let schema = JSONKind.present(object["schema"]) else { throw .missing("text.format.schema") }
            guard schema is [String: Any] else {
                throw .invalidType("text.format.schema", expected: "an object", got: schema)
            }
        default:
            throw .invalidValue(type, supported: ["text", "json_object", "json_schema"], param: "text.format.type")
        }
    }

    /// `object[key]` as a string, or the problem OpenAI reports when it is missing or not a string.
    static func string(_ object: [String: Any], _ key: String, path: String) throws(Problem) -> String {
        guard let value = JSONKind.present(object[key]) else { throw .missing("\(path).\(key)") }
        guard let text = value as? String else {
            throw .invalidType("\(path).\(key)", expected: "a string", got: value)
        }
        return text
    }
}
