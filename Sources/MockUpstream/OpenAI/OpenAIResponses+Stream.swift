import Foundation

extension OpenAIResponsesReply {
    /// The reply as OpenAI streams it (`stream: true`): `response.created`, `response.in_progress`,
    /// each output item opened, filled by deltas and closed, then `response.completed` (or
    /// `response.incomplete`) with the whole Response. No `data: [DONE]`: the Responses API doesn't send one.
    func events(obfuscated: Bool) -> [[UInt8]] {
        var stream = OpenAIResponsesEventStream(obfuscated: obfuscated)
        stream.append("response.created", ["response": response(inProgress: true)])
        stream.append("response.in_progress", ["response": response(inProgress: true)])
        for (index, item) in output.enumerated() {
            let itemID = item["id"] as? String ?? ""
            var opened = item
            opened["status"] = "in_progress"
            if item["type"] as? String == "function_call" {
                let arguments = item["arguments"] as? String ?? ""
                opened["arguments"] = ""
                stream.append("response.output_item.added", ["item": opened, "output_index": index])
                for piece in Self.pieces(arguments) {
                    stream.appendDelta(
                        "response.function_call_arguments.delta",
                        ["delta": piece, "item_id": itemID, "output_index": index])
                }
                stream.append(
                    "response.function_call_arguments.done",
                    ["arguments": arguments, "item_id": itemID, "name": item["name"] ?? "", "output_index": index])
            } else {
                let text = Self.text(of: item)
                let position: [String: Any] = ["item_id": itemID, "output_index": index, "content_index": 0]
                opened["content"] = [Any]()
                stream.append("response.output_item.added", ["item": opened, "output_index": index])
                stream.append(
                    "response.content_part.added", position.merging(["part": Self.outputText("")]) { a, _ in a })
                for piece in Self.pieces(text) {
                    stream.appendDelta(
                        "response.output_text.delta",
                        position.merging(["delta": piece, "logprobs": [Any]()]) { a, _ in a })
                }
                stream.append(
                    "response.output_text.done", position.merging(["text": text, "logprobs": [Any]()]) { a, _ in a })
                stream.append(
                    "response.content_part.done", position.merging(["part": Self.outputText(text)]) { a, _ in a })
            }
            stream.append("response.output_item.done", ["item": item, "output_index": index])
        }
        stream.append(incomplete ? "response.incomplete" : "response.completed", ["response": response()])
        return stream.events
    }

    /// Words with their leading space, as OpenAI's deltas come ("Mock", " reply", " to:"), so the pieces
    /// concatenate back to the text.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character == " ", !current.isEmpty, current.contains(where: { $0 != " " }) {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

/// Server-sent events in the Responses API's framing: `event: <type>` then `data: <json>` whose
/// object starts with `"type"` (the other keys sorted, as OpenAI now sends them) and carries a
/// `sequence_number` counting from 0.
struct OpenAIResponsesEventStream {
    /// Whether deltas carry OpenAI's `obfuscation` padding (`stream_options.include_obfuscation`, default on).
    let obfuscated: Bool
    private(set) var events: [[UInt8]] = []

    init(obfuscated: Bool) {
        self.obfuscated = obfuscated
    }

    mutating func append(_ type: String, _ fields: [String: Any]) {
        var fields = fields
        fields["sequence_number"] = events.count
        let rest = OpenAIResponsesReply.encode(fields).dropFirst()  // "{" is written with "type"
        let head =
            "event: \(type)\ndata: {\"type\":" + String(decoding: OpenAIResponsesReply.encode(type), as: UTF8.self)
        events.append(Array(head.utf8) + Array(",".utf8) + rest + Array("\n\n".utf8))
    }

    /// A delta event, padded as OpenAI pads them against length side channels: `delta` plus
    /// `obfuscation` make a multiple of 16 characters.
    mutating func appendDelta(_ type: String, _ fields: [String: Any]) {
        var fields = fields
        if obfuscated, let delta = fields["delta"] as? String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            let length = 16 - delta.count % 16
            fields["obfuscation"] = String(
                (0..<length).map { alphabet[Int(OpenAIWire.fnv1a("\(events.count):\($0):\(delta)") % 62)] })
        }
        append(type, fields)
    }
}
