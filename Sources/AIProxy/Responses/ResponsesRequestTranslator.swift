import EdgeRuntime

/// A Responses API request (`POST /v1/responses`) as the chat completion call the provider
/// translators already speak: `instructions` and `input` items become `messages`, function tools
/// are unwrapped, `max_output_tokens`, `text.format` and `reasoning.effort` take their chat names.
///
/// What a chat call can't carry (built-in tools, stored state such as `previous_response_id`,
/// file inputs) is refused with a 400 naming the field, never dropped silently. Fields that only
/// describe OpenAI's own bookkeeping (`store`, `metadata`, `include`, `truncation`,
/// `service_tier`, `prompt_cache_key`) are accepted and have no effect.
enum ResponsesRequestTranslator {
    /// Fields that are accepted and mean nothing to a provider reached through chat.
    static let ignoredFields: Set<String> = [
        "store", "metadata", "include", "truncation", "service_tier", "prompt_cache_key", "stream_options",
    ]

    /// The chat completion call sent for `call` (a `.responses` call).
    ///
    /// For an adapter that translates chat (Claude, Gemini, Bedrock) a stream asks for chat's
    /// usage chunk (`stream_options.include_usage`), which its translator reads, and the body
    /// stays parsed. For an OpenAI-compatible host (`openAIFormat`), which sends the body as is
    /// and may refuse that field, the field is left out (as chat calls to such hosts do) and the
    /// body is serialized.
    static func chatCall(from call: ProxyCall, openAIFormat: Bool) throws(ProxyError) -> ProxyCall {
        guard let body = call.body else { throw .invalidRequest("The request body must be a JSON object.") }
        var chat = try chatBody(from: body)
        if openAIFormat { chat = chat.removing("stream_options") }
        var translated = ProxyCall(
            operation: .chatCompletions, method: .post, path: "/chat/completions", headers: call.headers,
            rawBody: openAIFormat ? chat.serialized : [], body: chat)
        translated.catalogModel = call.catalogModel
        return translated
    }

    /// The chat call a reply is translated for. The adapters' reply and stream translators read
    /// only its operation and model, so the request isn't translated a second time for them.
    static func replyCall(for call: ProxyCall) -> ProxyCall {
        var reply = ProxyCall(
            operation: .chatCompletions, method: .post, path: "/chat/completions", headers: call.headers,
            body: ["model": .string(call.model ?? ""), "stream": .bool(call.isStreaming)])
        reply.catalogModel = call.catalogModel
        return reply
    }

    static func chatBody(from request: JSONValue) throws(ProxyError) -> JSONValue {
        var chat: [(String, JSONValue)] = []
        var messages: [JSONValue] = []
        for (name, value) in request.objectValue ?? [] {
            switch name {
            case "model", "temperature", "top_p", "parallel_tool_calls", "user":
                chat.append((name, value))
            case "stream":
                chat.append((name, value))
                if value.boolValue == true { chat.append(("stream_options", ["include_usage": true])) }
            case "instructions":
                guard value != .null else { continue }
                guard let text = value.stringValue else { throw .invalidRequest("`instructions` must be a string.") }
                messages.insert(["role": "system", "content": .string(text)], at: 0)
            case "input":
                messages += try ResponsesInput.messages(from: value)
            case "tools":
                chat.append(("tools", try tools(value)))
            case "tool_choice":
                chat.append(("tool_choice", try toolChoice(value)))
            case "max_output_tokens":
                guard value != .null else { continue }
                guard let tokens = value.intValue, tokens > 0 else {
                    throw .invalidRequest("`max_output_tokens` must be a positive integer.")
                }
                chat.append(("max_tokens", .number(tokens)))
            case "text":
                if let format = value["format"], format != .null {
                    chat.append(("response_format", try responseFormat(format)))
                }
            case "reasoning":
                if let effort = value["effort"], effort != .null, effort.stringValue != "none" {
                    chat.append(("reasoning_effort", effort))
                }
            case "safety_identifier":
                if request["user"] == nil { chat.append(("user", value)) }
            case "previous_response_id", "conversation":
                guard value != .null else { continue }
                throw .unsupportedParameter(
                    name: name,
                    reason:
                        "this model's provider keeps no conversation state; send the whole conversation in `input` (with `store: false`)"
                )
            case "background":
                guard value.boolValue == true else { continue }
                throw .unsupportedParameter(
                    name: name, reason: "background responses need stored state, which this model's provider lacks")
            case "prompt", "max_tool_calls", "top_logprobs":
                guard value != .null else { continue }
                throw .unsupportedParameter(name: name, reason: "this model's provider has no equivalent")
            case _ where ignoredFields.contains(name):
                continue
            default:
                throw .unsupportedParameter(name: name, reason: "not a Responses API parameter the proxy knows")
            }
        }
        guard request["input"] != nil || request["instructions"] != nil else {
            throw .invalidRequest("Missing required parameter: `input`.")
        }
        chat.insert(("messages", .array(messages)), at: min(1, chat.count))
        return .object(chat)
    }

    /// Function tools, unwrapped into chat's `{type: function, function: {…}}`.
    static func tools(_ value: JSONValue) throws(ProxyError) -> JSONValue {
        guard let tools = value.arrayValue else { throw .invalidRequest("`tools` must be an array.") }
        var out: [JSONValue] = []
        for (index, tool) in tools.enumerated() {
            let type = tool["type"]?.stringValue ?? ""
            guard type == "function" else {
                throw .unsupportedParameter(
                    name: "tools[\(index)].type",
                    reason:
                        "`\(type)` is one of OpenAI's built-in tools; this model's provider takes function tools only")
            }
            guard let name = tool["name"], name.stringValue?.isEmpty == false else {
                throw .invalidRequest("Missing required parameter: `tools[\(index)].name`.")
            }
            var function: [(String, JSONValue)] = [("name", name)]
            for field in ["description", "parameters", "strict"] {
                if let item = tool[field], item != .null { function.append((field, item)) }
            }
            out.append(["type": "function", "function": .object(function)])
        }
        return .array(out)
    }

    /// `auto`, `none`, `required` as they are; `{type: function, name}` nested as chat nests it.
    static func toolChoice(_ value: JSONValue) throws(ProxyError) -> JSONValue {
        if let mode = value.stringValue, ["auto", "none", "required"].contains(mode) { return value }
        if value["type"]?.stringValue == "function", let name = value["name"]?.stringValue {
            return ["type": "function", "function": ["name": .string(name)]]
        }
        throw .unsupportedParameter(
            name: "tool_choice", reason: "this model's provider takes auto, none, required or {type: function, name}")
    }

    /// `text.format` → chat's `response_format` (`json_schema` keeps its name, schema and strictness).
    static func responseFormat(_ format: JSONValue) throws(ProxyError) -> JSONValue {
        switch format["type"]?.stringValue {
        case "text": return ["type": "text"]
        case "json_object": return ["type": "json_object"]
        case "json_schema":
            guard let name = format["name"], let schema = format["schema"] else {
                throw .invalidRequest("`text.format` of type json_schema needs `name` and `schema`.")
            }
            var spec: [(String, JSONValue)] = [("name", name), ("schema", schema)]
            for field in ["strict", "description"] {
                if let item = format[field], item != .null { spec.append((field, item)) }
            }
            return ["type": "json_schema", "json_schema": .object(spec)]
        default:
            throw .invalidRequest("`text.format.type` must be text, json_object or json_schema.")
        }
    }
}
