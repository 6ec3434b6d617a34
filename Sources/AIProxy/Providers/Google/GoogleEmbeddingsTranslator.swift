import FoundationEssentials

/// OpenAI embeddings ⇄ Gemini: one input goes to `embedContent`, a list to
/// `batchEmbedContents` (one request per input, in order); `dimensions` becomes
/// `outputDimensionality`. Vectors come back as floats, or as base64 little-endian float32 when
/// the client asks for `encoding_format: base64` (the OpenAI Python SDK's default).
/// - SeeAlso: https://ai.google.dev/api/embeddings
enum GoogleEmbeddingsTranslator {
    /// The Gemini method and body for an OpenAI embeddings body.
    static func translate(_ body: JSONValue, model: String) throws(ProxyError) -> (method: String, body: JSONValue) {
        let inputs: [String]
        var single = false
        switch body["input"] {
        case .string(let text)?:
            inputs = [text]
            single = true
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ $0.stringValue != nil }):
            inputs = items.compactMap(\.stringValue)
        default:
            throw .invalidRequest("Gemini embeddings take `input` as a string or an array of strings (not token ids).")
        }
        func request(_ text: String, named: Bool) -> JSONValue {
            var out: [(String, JSONValue)] = named ? [("model", .string("models/\(model)"))] : []
            out.append(("content", ["parts": [["text": .string(text)]]]))
            if let dimensions = body["dimensions"]?.intValue {
                out.append(("outputDimensionality", .number(dimensions)))
            }
            return .object(out)
        }
        if single { return ("embedContent", request(inputs[0], named: false)) }
        return ("batchEmbedContents", ["requests": .array(inputs.map { request($0, named: true) })])
    }

    /// OpenAI's embeddings list for Gemini's `{"embedding": …}` or `{"embeddings": […]}`.
    static func translateResponse(_ bytes: [UInt8], model: String, base64: Bool) throws(ProxyError) -> JSONValue {
        guard let reply = try? JSONValue(parsing: bytes),
            let embeddings = reply["embeddings"]?.arrayValue ?? reply["embedding"].map({ [$0] })
        else { throw .upstreamUnreachable("google: the embeddings reply has no `embedding(s)`") }
        let data = embeddings.enumerated().map { index, embedding -> JSONValue in
            let values = embedding["values"]?.arrayValue ?? []
            let vector: JSONValue
            if base64 {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(values.count * 4)
                for value in values {
                    withUnsafeBytes(of: Float(value.doubleValue ?? 0).bitPattern.littleEndian) {
                        bytes.append(contentsOf: $0)
                    }
                }
                vector = .string(Data(bytes).base64EncodedString())
            } else {
                vector = .array(values)
            }
            return ["object": "embedding", "index": .number(index), "embedding": vector]
        }
        // Gemini's embedding replies carry no token counts.
        return [
            "object": "list", "data": .array(data), "model": .string(model),
            "usage": ["prompt_tokens": 0, "total_tokens": 0],
        ]
    }
}
