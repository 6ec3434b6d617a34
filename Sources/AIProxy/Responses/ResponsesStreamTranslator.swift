/// Turns a provider's stream into the Responses API's event sequence: the provider's own
/// translator makes chat chunks, and this turns those into `response.created`,
/// `response.in_progress`, output items with their deltas, and `response.completed` (or
/// `response.incomplete`), every event with its `sequence_number`.
///
/// Text goes into one `message` item; each tool call is a `function_call` item kept apart by
/// its `output_index` (calls stay open until the stream ends, so interleaved argument pieces
/// still reach the right call). A failure ends the stream with `response.failed`.
struct ResponsesStreamTranslator: StreamTranslator {
    private var chat: any StreamTranslator
    private let request: JSONValue?
    private var sequence = 0
    private var response: ResponseObject?
    /// The open message item: its output index and text so far.
    private var text: (index: Int, id: String, text: String)?
    /// Open function calls by the chat tool-call index.
    private var calls: [Int: (index: Int, id: String, callID: String, name: String, arguments: String)] = [:]
    /// Finished items by output index (a message may finish after calls that started later).
    private var finished: [(index: Int, item: JSONValue)] = []
    private var finishReason: String?
    private var ended = false

    init(chat: any StreamTranslator, request: JSONValue?) {
        self.chat = chat
        self.request = request
    }

    mutating func translate(_ event: SSEEvent) throws -> [SSEEvent] {
        var out: [SSEEvent] = []
        for chunk in try chat.translate(event) { consume(chunk, into: &out) }
        return out
    }

    mutating func finish() throws -> [SSEEvent] {
        var out: [SSEEvent] = []
        for chunk in try chat.finish() { consume(chunk, into: &out) }
        if !ended { complete(into: &out) }
        return out
    }

    func failureEvents(for error: any Error) -> [SSEEvent] {
        let envelope = (error as? UpstreamStreamError)?.envelope
        var failed =
            response
            ?? ResponseObject(
                id: "resp_failed", createdAt: 0, model: request?["model"]?.stringValue ?? "", status: "failed")
        failed.status = "failed"
        failed.error = [
            "code": "server_error",
            "message": .string(
                envelope?["error"]?["message"]?.stringValue ?? "The upstream stream ended unexpectedly: \(error)"),
        ]
        var copy = self
        var out: [SSEEvent] = []
        copy.emit("response.failed", ["response": failed.json(echoing: request)], into: &out)
        return out
    }

    // MARK: chat chunks → events

    private mutating func consume(_ chunk: SSEEvent, into out: inout [SSEEvent]) {
        guard !chunk.isDone, !ended, let json = chunk.json ?? (try? JSONValue(parsing: chunk.data)) else { return }
        if response == nil {
            response = ResponseObject(
                id: "resp_" + ResponseObject.ids(fromChatID: json["id"]?.stringValue ?? ""),
                createdAt: json["created"]?.intValue ?? 0,
                model: json["model"]?.stringValue ?? request?["model"]?.stringValue ?? "",
                status: "in_progress")
            // One snapshot, serialized once, for both opening events.
            let snapshot = response!.json(echoing: request).serialized
            emit("response.created", preserialized: ("response", snapshot), into: &out)
            emit("response.in_progress", preserialized: ("response", snapshot), into: &out)
        }
        if let usage = json["usage"], usage != .null { response?.chatUsage = usage }
        guard let choice = json["choices"]?.arrayValue?.first else { return }
        let delta = choice["delta"] ?? .object([])
        if let piece = delta["content"]?.stringValue ?? delta["refusal"]?.stringValue, !piece.isEmpty {
            appendText(piece, into: &out)
        }
        for call in delta["tool_calls"]?.arrayValue ?? [] { appendToolCall(call, into: &out) }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
    }

    private mutating func appendText(_ piece: String, into out: inout [SSEEvent]) {
        if text == nil {
            let index = nextOutputIndex
            let id = "msg_" + suffix
            text = (index, id, "")
            emit(
                "response.output_item.added",
                [
                    "output_index": .number(index),
                    "item": ResponseObject.message(id: id, text: "", status: "in_progress"),
                ],
                into: &out)
            emit(
                "response.content_part.added",
                [
                    "item_id": .string(id), "output_index": .number(index), "content_index": 0,
                    "part": ResponseObject.textPart(""),
                ],
                into: &out)
        }
        text!.text += piece
        emitDelta(
            "response.output_text.delta", itemID: text!.id, outputIndex: text!.index, textDelta: piece, into: &out)
    }

    private mutating func appendToolCall(_ delta: JSONValue, into out: inout [SSEEvent]) {
        let chatIndex = delta["index"]?.intValue ?? 0
        if calls[chatIndex] == nil {
            closeText(into: &out)
            let index = nextOutputIndex
            let callID = delta["id"]?.stringValue ?? "call_\(suffix)_\(chatIndex)"
            let name = delta["function"]?["name"]?.stringValue ?? ""
            let id = "fc_" + ResponseObject.ids(fromChatID: callID)
            calls[chatIndex] = (index, id, callID, name, "")
            emit(
                "response.output_item.added",
                [
                    "output_index": .number(index),
                    "item": ResponseObject.functionCall(
                        id: id, callID: callID, name: name, arguments: "", status: "in_progress"),
                ], into: &out)
        }
        guard let piece = delta["function"]?["arguments"]?.stringValue, !piece.isEmpty, let call = calls[chatIndex]
        else { return }
        calls[chatIndex]!.arguments += piece
        emitDelta(
            "response.function_call_arguments.delta", itemID: call.id, outputIndex: call.index, argumentsDelta: piece,
            into: &out)
    }

    private mutating func closeText(into out: inout [SSEEvent]) {
        guard let open = text else { return }
        text = nil
        let (index, id) = (JSONValue.number(open.index), JSONValue.string(open.id))
        emit(
            "response.output_text.done",
            ["item_id": id, "output_index": index, "content_index": 0, "text": .string(open.text), "logprobs": []],
            into: &out)
        emit(
            "response.content_part.done",
            ["item_id": id, "output_index": index, "content_index": 0, "part": ResponseObject.textPart(open.text)],
            into: &out)
        let item = ResponseObject.message(id: open.id, text: open.text, status: "completed")
        finish(item, at: open.index)
        emit("response.output_item.done", ["output_index": index, "item": item], into: &out)
    }

    private mutating func complete(into out: inout [SSEEvent]) {
        ended = true
        if response == nil {
            // An upstream that sent nothing at all still gets a well-formed (empty) response.
            response = ResponseObject(
                id: "resp_empty", createdAt: 0, model: request?["model"]?.stringValue ?? "", status: "in_progress")
            emit("response.created", ["response": response!.json(echoing: request)], into: &out)
        }
        closeText(into: &out)
        for call in calls.values.sorted(by: { $0.index < $1.index }) {
            let index = JSONValue.number(call.index)
            emit(
                "response.function_call_arguments.done",
                [
                    "item_id": .string(call.id), "output_index": index, "name": .string(call.name),
                    "arguments": .string(call.arguments),
                ],
                into: &out)
            let item = ResponseObject.functionCall(
                id: call.id, callID: call.callID, name: call.name, arguments: call.arguments, status: "completed")
            finish(item, at: call.index)
            emit("response.output_item.done", ["output_index": index, "item": item], into: &out)
        }
        calls = [:]
        let (status, incomplete) = ResponseObject.status(forFinishReason: finishReason)
        response?.status = status
        response?.incompleteReason = incomplete
        let type = status == "completed" ? "response.completed" : "response.incomplete"
        emit(type, ["response": response!.json(echoing: request)], into: &out)
    }

    // MARK: helpers

    private var suffix: String { String(response?.id.dropFirst("resp_".count) ?? "") }

    /// Output indexes in the order items start: the open or finished message and every call.
    private var nextOutputIndex: Int { finished.count + (text == nil ? 0 : 1) + calls.count }

    private mutating func finish(_ item: JSONValue, at index: Int) {
        finished.append((index, item))
        response?.output = finished.sorted { $0.index < $1.index }.map(\.item)
    }

    /// A delta event, the stream's most frequent, written straight to bytes (same fields as
    /// ``emit(_:_:into:)`` would write: a text delta has `content_index` and `logprobs`).
    private mutating func emitDelta(
        _ type: String, itemID: String, outputIndex: Int, textDelta: String? = nil, argumentsDelta: String? = nil,
        into out: inout [SSEEvent]
    ) {
        let delta = textDelta ?? argumentsDelta ?? ""
        var data: [UInt8] = []
        data.reserveCapacity(128 + itemID.utf8.count + delta.utf8.count)
        data += #"{"type":""#.utf8
        data += type.utf8
        data += #"","sequence_number":"#.utf8
        data += String(sequence).utf8
        data += #","item_id":"#.utf8
        JSONValue.writeString(itemID, to: &data)
        data += #","output_index":"#.utf8
        data += String(outputIndex).utf8
        if textDelta != nil { data += #","content_index":0"#.utf8 }
        data += #","delta":"#.utf8
        JSONValue.writeString(delta, to: &data)
        if textDelta != nil { data += #","logprobs":[]"#.utf8 }
        data.append(UInt8(ascii: "}"))
        sequence += 1
        out.append(SSEEvent(event: type, data: data))
    }

    /// An event whose one field is JSON already serialized (the response snapshot).
    private mutating func emit(_ type: String, preserialized field: (String, [UInt8]), into out: inout [SSEEvent]) {
        var data = Array(#"{"type":"#.utf8)
        data += JSONValue.string(type).serialized
        data += Array(#","sequence_number":"#.utf8) + Array(String(sequence).utf8)
        data +=
            Array(",".utf8) + JSONValue.string(field.0).serialized + [UInt8(ascii: ":")] + field.1 + [UInt8(ascii: "}")]
        sequence += 1
        out.append(SSEEvent(event: type, data: data))
    }

    private mutating func emit(_ type: String, _ fields: JSONValue, into out: inout [SSEEvent]) {
        var members: [(String, JSONValue)] = [("type", .string(type)), ("sequence_number", .number(sequence))]
        members += fields.objectValue ?? []
        sequence += 1
        out.append(SSEEvent(event: type, data: JSONValue.object(members).serialized))
    }
}
