/// What the Gemini API rejects with `400 INVALID_ARGUMENT`, checked where a translation could go
/// wrong: unknown fields, roles other than user/model, empty or many-membered parts, function
/// responses naming no earlier function call, unknown generationConfig fields, malformed
/// function declarations and tool configs, and embedding requests for another model.
/// - SeeAlso: https://ai.google.dev/api/generate-content
enum GeminiRequestCheck {
    static let topLevel: Set = ["contents", "systemInstruction", "generationConfig", "tools", "toolConfig", "safetySettings", "cachedContent"]
    static let partTypes: Set = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult", "thought", "thoughtSignature"]
    static let generationFields: Set = [
        "temperature", "topP", "topK", "candidateCount", "maxOutputTokens", "stopSequences", "responseMimeType", "responseSchema",
        "presencePenalty", "frequencyPenalty", "seed", "responseLogprobs", "logprobs", "thinkingConfig",
    ]

    static func problem(inGenerate body: [String: Any]) -> String? {
        if let unknown = body.keys.first(where: { !topLevel.contains($0) }) {
            return "Invalid JSON payload received. Unknown name \"\(unknown)\": Cannot find field."
        }
        guard let contents = body["contents"] as? [[String: Any]], !contents.isEmpty else { return "* GenerateContentRequest.contents: contents is not specified" }
        var called: Set<String> = []
        for (index, content) in contents.enumerated() {
            guard let role = content["role"] as? String, role == "user" || role == "model" else {
                return "Please use a valid role: user, model."
            }
            guard let parts = content["parts"] as? [[String: Any]], !parts.isEmpty else {
                return "* GenerateContentRequest.contents[\(index)].parts: contents.parts must not be empty."
            }
            for part in parts {
                guard part.count == 1, let type = part.keys.first, partTypes.contains(type) else {
                    return "* GenerateContentRequest.contents[\(index)].parts: each part must set exactly one data field"
                }
                switch type {
                case "functionCall":
                    guard role == "model", let name = (part["functionCall"] as? [String: Any])?["name"] as? String else {
                        return "* contents[\(index)]: functionCall needs a name, in a model turn"
                    }
                    called.insert(name)
                case "functionResponse":
                    let response = part["functionResponse"] as? [String: Any]
                    guard let name = response?["name"] as? String, response?["response"] is [String: Any] else {
                        return "* contents[\(index)]: functionResponse needs a name and a response object"
                    }
                    guard called.contains(name) else { return "* contents[\(index)]: functionResponse \(name) answers no earlier functionCall" }
                case "inlineData":
                    let data = part["inlineData"] as? [String: Any]
                    guard data?["mimeType"] is String, data?["data"] is String else { return "* contents[\(index)]: inlineData needs mimeType and data" }
                default: continue
                }
            }
        }
        if let system = body["systemInstruction"] {
            guard let parts = (system as? [String: Any])?["parts"] as? [[String: Any]], parts.allSatisfy({ $0["text"] is String }) else {
                return "* systemInstruction must be a Content of text parts"
            }
        }
        if let config = body["generationConfig"] {
            guard let config = config as? [String: Any] else { return "generationConfig must be an object" }
            if let unknown = config.keys.first(where: { !generationFields.contains($0) }) {
                return "Invalid JSON payload received. Unknown name \"\(unknown)\" at 'generation_config': Cannot find field."
            }
        }
        var declared: Set<String> = []
        if let tools = body["tools"] {
            guard let tools = tools as? [[String: Any]] else { return "tools must be an array" }
            for tool in tools {
                for declaration in tool["functionDeclarations"] as? [[String: Any]] ?? [] {
                    guard let name = declaration["name"] as? String, !name.isEmpty else { return "* functionDeclarations: name is required" }
                    declared.insert(name)
                }
            }
        }
        if let toolConfig = body["toolConfig"] {
            let calling = (toolConfig as? [String: Any])?["functionCallingConfig"] as? [String: Any]
            guard let mode = calling?["mode"] as? String, ["AUTO", "ANY", "NONE", "VALIDATED"].contains(mode) else {
                return "* toolConfig.functionCallingConfig.mode must be AUTO, ANY, NONE or VALIDATED"
            }
            if let allowed = calling?["allowedFunctionNames"] as? [String] {
                guard mode == "ANY" else { return "allowed_function_names may only be set when mode is ANY" }
                if let unknown = allowed.first(where: { !declared.contains($0) }) { return "allowed function \(unknown) is not declared" }
            }
        }
        return nil
    }

    static func problem(inEmbed body: [String: Any], model: String, batch: Bool) -> String? {
        let requests = batch ? body["requests"] as? [[String: Any]] ?? [] : [body]
        guard !requests.isEmpty else { return "* BatchEmbedContentsRequest.requests: requests is not specified" }
        for request in requests {
            if batch, request["model"] as? String != "models/\(model)" {
                return "Model names in the batch must match the request's: models/\(model)"
            }
            guard let parts = (request["content"] as? [String: Any])?["parts"] as? [[String: Any]], !parts.isEmpty,
                parts.allSatisfy({ $0["text"] is String })
            else { return "* content.parts must be a non-empty list of text parts" }
        }
        return nil
    }
}
