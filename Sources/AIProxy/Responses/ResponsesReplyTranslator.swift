/// A whole translated chat completion → the Responses API's `response` object: the text (or
/// refusal) as one `message` item, each tool call as a `function_call` item, in that order.
enum ResponsesReplyTranslator {
    static func response(fromChat body: [UInt8], request: JSONValue?) throws(ProxyError) -> [UInt8] {
        guard let chat = try? JSONValue(parsing: body), let choice = chat["choices"]?.arrayValue?.first else {
            throw .upstreamUnreachable("the provider's reply could not be read as a chat completion")
        }
        let suffix = ResponseObject.ids(fromChatID: chat["id"]?.stringValue ?? "")
        let message = choice["message"] ?? .object([])
        let (status, incomplete) = ResponseObject.status(forFinishReason: choice["finish_reason"]?.stringValue)
        var output: [JSONValue] = []
        let text = message["content"]?.stringValue ?? message["refusal"]?.stringValue ?? ""
        let calls = message["tool_calls"]?.arrayValue ?? []
        if !text.isEmpty || calls.isEmpty {
            output.append(ResponseObject.message(id: "msg_" + suffix, text: text, status: "completed"))
        }
        for (index, call) in calls.enumerated() {
            let callID = call["id"]?.stringValue ?? "call_\(suffix)_\(index)"
            output.append(
                ResponseObject.functionCall(
                    id: "fc_" + ResponseObject.ids(fromChatID: callID), callID: callID,
                    name: call["function"]?["name"]?.stringValue ?? "",
                    arguments: call["function"]?["arguments"]?.stringValue ?? "", status: "completed"))
        }
        var response = ResponseObject(
            id: "resp_" + suffix, createdAt: chat["created"]?.intValue ?? 0, model: chat["model"]?.stringValue ?? "",
            status: status, output: output, chatUsage: chat["usage"])
        response.incompleteReason = incomplete
        return response.json(echoing: request).serialized
    }
}
