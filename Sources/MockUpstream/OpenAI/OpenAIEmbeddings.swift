import EdgeRuntime
import Foundation

/// Embeddings derived from a hash of each input; `encoding_format: base64` as the Python SDK asks.
enum OpenAIEmbeddings {
    static let dimensions = 8

    static func vector(for text: String, dimensions: Int) -> [Float] {
        (0..<dimensions).map { index in
            let hash = OpenAIWire.fnv1a("\(index):\(text)")
            return Float(hash % 2000) / 1000 - 1
        }
    }

    static func respond(to request: [String: Any]) -> Response {
        let inputs: [String]
        if let text = request["input"] as? String {
            inputs = [text]
        } else if let texts = request["input"] as? [String] {
            inputs = texts
        } else {
            return OpenAIWire.error(400, "'input' must be a string or an array of strings", type: "invalid_request_error", code: nil)
        }
        let dimensions = request["dimensions"] as? Int ?? Self.dimensions
        let base64 = request["encoding_format"] as? String == "base64"
        let data = inputs.enumerated().map { index, text -> [String: Any] in
            let vector = vector(for: text, dimensions: dimensions)
            let embedding: Any
            if base64 {
                var bytes: [UInt8] = []
                for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
                embedding = Data(bytes).base64EncodedString()
            } else {
                embedding = vector.map(Double.init)
            }
            return ["object": "embedding", "index": index, "embedding": embedding]
        }
        let tokens = inputs.map(OpenAIWire.tokens).reduce(0, +)
        return OpenAIWire.json([
            "object": "list", "data": data, "model": request["model"] as? String ?? "text-embedding-3-small",
            "usage": ["prompt_tokens": tokens, "total_tokens": tokens],
        ])
    }
}
