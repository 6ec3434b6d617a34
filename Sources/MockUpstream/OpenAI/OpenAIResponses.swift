import EdgeRuntime
import Foundation

/// `POST /v1/responses`, OpenAI's Responses API: the request is checked as OpenAI checks it
/// (``OpenAIResponsesRequestCheck``), then answered with a Response object or its typed event stream.
struct OpenAIResponses {
    let name: String
    let behavior: MockBehavior

    func respond(to request: [String: Any]) -> Response {
        do {
            try OpenAIResponsesRequestCheck.check(request)
        } catch {
            return error.response
        }
        let reply = OpenAIResponsesReply(request: request, name: name)
        guard request["stream"] as? Bool == true else { return OpenAIWire.json(reply.response()) }
        let options = request["stream_options"] as? [String: Any]
        return behavior.eventStream(reply.events(obfuscated: options?["include_obfuscation"] as? Bool ?? true))
    }
}

/// The mock's answer to one valid Responses request, deterministic from the request so tests can check it.
///
/// - After `function_call_output` items (the input's last items): "Mock reply to tool results: <output>; <output>".
/// - When a function tool is offered (and `tool_choice` isn't `"none"`) and the last user text mentions
///   "weather": two parallel `function_call`s of the first function tool (or the one `tool_choice` names),
///   for `MockReplyScript.cities` (San Francisco, CA and New York, NY).
/// - Otherwise "Mock reply to: <last user text>", or a JSON document when `text.format` asks for one.
/// - `max_output_tokens` below the reply's word count cuts it there: status `incomplete`.
struct OpenAIResponsesReply {
    let request: [String: Any]
    let id: String
    let model: String
    /// The output items in their final state (`status` completed, or incomplete when cut).
    let output: [[String: Any]]
    let incomplete: Bool
    let inputTokens: Int
    let outputTokens: Int

    init(request: [String: Any], name: String) {
        self.request = request
        model = request["model"] as? String ?? "gpt-4o"
        let items = (try? OpenAIResponsesRequestCheck.checkInput(request["input"])) ?? []
        let prompt = ([request["instructions"] as? String ?? ""] + items.map(Self.text(of:))).joined(separator: " ")
        let id = Self.hexID("resp_", seed: name + model + prompt)
        self.id = id
        let userText = items.last { $0["role"] as? String == "user" }.map(Self.text(of:)) ?? ""
        let toolOutputs = items.reversed().prefix { $0["type"] as? String == "function_call_output" }.reversed()
        var truncated = false
        if !toolOutputs.isEmpty {
            let text = "Mock reply to tool results: " + toolOutputs.map(Self.text(of:)).joined(separator: "; ")
            (output, truncated) = Self.message(text, id: id, maxWords: request["max_output_tokens"] as? Int)
        } else if let tool = Self.calledFunction(request), userText.lowercased().contains("weather") {
            output = MockReplyScript.cities.enumerated().map { index, city in
                let arguments = String(decoding: Self.encode(["location": city]), as: UTF8.self)
                return [
                    "id": Self.hexID("fc_", seed: "\(id)/\(index)"), "type": "function_call", "status": "completed",
                    "arguments": arguments, "call_id": Self.hexID("call_", seed: userText + city, length: 24),
                    "name": tool,
                ]
            }
        } else {
            let format = (request["text"] as? [String: Any])?["format"] as? [String: Any]
            let text = Self.replyText(to: userText, format: format)
            (output, truncated) = Self.message(text, id: id, maxWords: request["max_output_tokens"] as? Int)
        }
        incomplete = truncated
        inputTokens = OpenAIWire.tokens(prompt)
        outputTokens = output.map { OpenAIWire.tokens($0["arguments"] as? String ?? Self.text(of: $0)) }.reduce(0, +)
    }

    /// The function a "weather" question calls: `tool_choice`'s, else the first function tool's.
    static func calledFunction(_ request: [String: Any]) -> String? {
        if request["tool_choice"] as? String == "none" { return nil }
        let tools = request["tools"] as? [[String: Any]] ?? []
        let first = tools.first { $0["type"] as? String == "function" }?["name"] as? String
        guard first != nil else { return nil }
        return (request["tool_choice"] as? [String: Any])?["name"] as? String ?? first
    }

    /// "Mock reply to: T", or for `json_object` / `json_schema` formats a JSON document in that shape.
    static func replyText(to userText: String, format: [String: Any]?) -> String {
        let reply = "Mock reply to: " + userText
        switch format?["type"] as? String {
        case "json_object": return String(decoding: encode(["reply": reply]), as: UTF8.self)
        case "json_schema":
            let sample = JSONSchemaSample.value(for: format?["schema"] as? [String: Any] ?? [:])
            return String(decoding: encode(sample), as: UTF8.self)
        default: return reply
        }
    }

    /// One assistant message holding `text`, cut to `maxWords` words (then `incomplete`).
    static func message(_ text: String, id: String, maxWords: Int?) -> ([[String: Any]], Bool) {
        let cut = MockReplyScript.cut(text, stopSequences: [], maxWords: maxWords)
        let item: [String: Any] = [
            "id": hexID("msg_", seed: id), "type": "message", "status": cut.truncated ? "incomplete" : "completed",
            "content": [outputText(cut.text)], "role": "assistant",
        ]
        return ([item], cut.truncated)
    }

    static func outputText(_ text: String) -> [String: Any] {
        ["type": "output_text", "annotations": [Any](), "logprobs": [Any](), "text": text]
    }

    /// The text an input or output item carries: a message's text parts, a tool output, a call's arguments.
    static func text(of item: [String: Any]) -> String {
        let content = item["content"] ?? item["output"] ?? item["arguments"]
        if let text = content as? String { return text }
        let parts = content as? [[String: Any]] ?? []
        return parts.compactMap { $0["text"] as? String }.joined(separator: " ")
    }

    /// The Response object: `inProgress` for `response.created` / `response.in_progress` (no output, no usage).
    func response(inProgress: Bool = false) -> [String: Any] {
        func echo(_ key: String, or fallback: Any = NSNull()) -> Any { JSONKind.present(request[key]) ?? fallback }
        let status = inProgress ? "in_progress" : incomplete ? "incomplete" : "completed"
        let reasoning = request["reasoning"] as? [String: Any] ?? [:]
        let text = request["text"] as? [String: Any] ?? [:]
        let serviceTier = request["service_tier"] as? String
        return [
            "id": id, "object": "response", "created_at": 1_700_000_000, "status": status,
            "background": echo("background", or: false),
            "completed_at": status == "completed" ? 1_700_000_000 : NSNull(), "error": NSNull(),
            "frequency_penalty": 0.0,
            "incomplete_details": status == "incomplete" ? ["reason": "max_output_tokens"] : NSNull(),
            "instructions": echo("instructions"), "max_output_tokens": echo("max_output_tokens"),
            "max_tool_calls": echo("max_tool_calls"), "model": model, "output": inProgress ? [] : output,
            "parallel_tool_calls": echo("parallel_tool_calls", or: true), "presence_penalty": 0.0,
            "previous_response_id": NSNull(), "prompt_cache_key": echo("prompt_cache_key"),
            "prompt_cache_retention": NSNull(),
            "reasoning": ["effort": reasoning["effort"] ?? NSNull(), "summary": reasoning["summary"] ?? NSNull()],
            "safety_identifier": echo("safety_identifier"),
            "service_tier": serviceTier == nil || serviceTier == "auto" ? "default" : serviceTier!,
            "store": echo("store", or: true), "temperature": echo("temperature", or: 1.0),
            "text": ["format": text["format"] ?? ["type": "text"], "verbosity": text["verbosity"] ?? "medium"],
            "tool_choice": echo("tool_choice", or: "auto"), "tools": echo("tools", or: [Any]()),
            "top_logprobs": echo("top_logprobs", or: 0), "top_p": echo("top_p", or: 1.0),
            "truncation": echo("truncation", or: "disabled"), "usage": inProgress ? NSNull() : usage,
            "user": echo("user"), "metadata": echo("metadata", or: [String: Any]()),
        ]
    }

    var usage: [String: Any] {
        [
            "input_tokens": inputTokens, "input_tokens_details": ["cached_tokens": 0, "cache_write_tokens": 0],
            "output_tokens": outputTokens,
            "output_tokens_details": ["reasoning_tokens": 0], "total_tokens": inputTokens + outputTokens,
        ]
    }

    /// `prefix` and `length` hex digits hashed from `seed`: ids that depend only on the request.
    static func hexID(_ prefix: String, seed: String, length: Int = 48) -> String {
        let digits = (0..<(length + 7) / 8).map { String(format: "%08x", OpenAIWire.fnv1a("\($0):\(seed)")) }
        return prefix + digits.joined().prefix(length)
    }

    static func encode(_ value: Any) -> [UInt8] {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
        return Array((try? JSONSerialization.data(withJSONObject: value, options: options)) ?? Data("null".utf8))
    }
}
