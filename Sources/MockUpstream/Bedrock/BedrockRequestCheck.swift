/// What Bedrock's Converse API rejects with a `ValidationException`, checked where a translation
/// could go wrong: unknown fields, roles that don't alternate or don't start with the user, empty
/// or malformed content blocks, images not given as bytes, tool results answering no tool call,
/// tool blocks without a `toolConfig`, and malformed tool specs or choices.
/// - SeeAlso: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
enum BedrockRequestCheck {
    static let topLevel: Set = [
        "messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig", "additionalModelRequestFields",
        "additionalModelResponseFieldPaths", "promptVariables", "requestMetadata", "performanceConfig",
    ]
    static let inferenceFields: Set = ["maxTokens", "temperature", "topP", "stopSequences"]
    static let blockTypes: Set = ["text", "image", "document", "video", "toolUse", "toolResult", "guardContent", "reasoningContent"]

    static func problem(in body: [String: Any]) -> String? {
        if let unknown = body.keys.first(where: { !topLevel.contains($0) }) { return "Unknown field: \(unknown)" }
        guard let messages = body["messages"] as? [[String: Any]], !messages.isEmpty else { return "messages must not be empty" }
        var previousRole: String?
        var toolUseIDs: Set<String> = []
        var usesTools = false
        for (index, message) in messages.enumerated() {
            guard let role = message["role"] as? String, role == "user" || role == "assistant" else {
                return "messages.\(index).role must be user or assistant"
            }
            if index == 0 && role != "user" { return "A conversation must start with a user message." }
            if role == previousRole { return "A conversation must alternate between user and assistant roles." }
            previousRole = role
            guard let blocks = message["content"] as? [[String: Any]], !blocks.isEmpty else {
                return "messages.\(index).content must be a non-empty array of content blocks"
            }
            var answered: Set<String> = []
            for block in blocks {
                guard block.count == 1, let type = block.keys.first, blockTypes.contains(type) else {
                    return "messages.\(index).content: each block must have exactly one member"
                }
                switch type {
                case "text":
                    guard block["text"] is String else { return "messages.\(index): text must be a string" }
                case "image":
                    let image = block["image"] as? [String: Any]
                    guard let format = image?["format"] as? String, ["png", "jpeg", "gif", "webp"].contains(format),
                        (image?["source"] as? [String: Any])?["bytes"] is String
                    else { return "messages.\(index): an image needs format png|jpeg|gif|webp and source.bytes" }
                case "toolUse":
                    guard role == "assistant", let use = block["toolUse"] as? [String: Any], let id = use["toolUseId"] as? String,
                        use["name"] is String, use["input"] is [String: Any]
                    else { return "messages.\(index): toolUse needs toolUseId, name and an input object, in an assistant turn" }
                    toolUseIDs.insert(id)
                    usesTools = true
                case "toolResult":
                    guard role == "user", let result = block["toolResult"] as? [String: Any], let id = result["toolUseId"] as? String,
                        result["content"] is [[String: Any]]
                    else { return "messages.\(index): toolResult needs toolUseId and content, in a user turn" }
                    guard toolUseIDs.contains(id) else { return "messages.\(index): toolResult \(id) answers no earlier toolUse" }
                    guard !answered.contains(id) else { return "messages.\(index): toolResult \(id) appears twice" }
                    answered.insert(id)
                    usesTools = true
                default: continue
                }
            }
        }
        if let system = body["system"] {
            guard let blocks = system as? [[String: Any]], blocks.allSatisfy({ $0["text"] is String }) else {
                return "system must be an array of {text} blocks"
            }
        }
        if let inference = body["inferenceConfig"] {
            guard let config = inference as? [String: Any] else { return "inferenceConfig must be an object" }
            if let unknown = config.keys.first(where: { !inferenceFields.contains($0) }) { return "Unknown field: inferenceConfig.\(unknown)" }
            if let max = config["maxTokens"], (max as? Int ?? 0) < 1 { return "inferenceConfig.maxTokens must be at least 1" }
        }
        guard let toolConfig = body["toolConfig"] else {
            return usesTools ? "The toolConfig field must be defined when using toolUse and toolResult content blocks." : nil
        }
        guard let config = toolConfig as? [String: Any], let tools = config["tools"] as? [[String: Any]], !tools.isEmpty else {
            return "toolConfig.tools must be a non-empty array"
        }
        for tool in tools {
            guard let spec = tool["toolSpec"] as? [String: Any], spec["name"] is String,
                (spec["inputSchema"] as? [String: Any])?["json"] is [String: Any]
            else { return "each tool needs toolSpec.name and toolSpec.inputSchema.json" }
        }
        if let choice = config["toolChoice"] {
            guard let choice = choice as? [String: Any], choice.count == 1, let kind = choice.keys.first, ["auto", "any", "tool"].contains(kind)
            else { return "toolChoice must be one of auto, any or tool" }
            if kind == "tool", !((choice["tool"] as? [String: Any])?["name"] is String) { return "toolChoice.tool.name is required" }
        }
        return nil
    }
}
