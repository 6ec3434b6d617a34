import EdgeRuntime
import Foundation

/// OpenAI's response shapes, built as JSON objects.
enum OpenAIWire {
    static func json(_ object: Any, status: Int = 200) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .json(bytes: Array(data), status: status)
    }

    /// OpenAI's error envelope; `param` names the offending request field, as OpenAI's 400s do.
    static func error(_ status: Int, _ message: String, type: String, code: String?, param: String? = nil) -> Response {
        json(["error": ["message": message, "type": type, "param": param ?? NSNull(), "code": code ?? NSNull()] as [String: Any]], status: status)
    }

    static let modelIDs = ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo-instruct", "text-embedding-3-small", "omni-moderation-latest"]

    static func models() -> Response {
        json(["object": "list", "data": modelIDs.map { ["id": $0, "object": "model", "created": 1_700_000_000, "owned_by": "mock"] as [String: Any] }])
    }

    static func moderation(_ request: [String: Any]) -> Response {
        let inputs = (request["input"] as? [Any]) ?? [request["input"] ?? ""]
        let results = inputs.map { _ in ["flagged": false, "categories": ["violence": false], "category_scores": ["violence": 0.0001]] as [String: Any] }
        return json(["id": "modr-mock", "model": request["model"] as? String ?? "omni-moderation-latest", "results": results])
    }

    /// A word count standing in for a tokenizer: deterministic and good enough for usage fields.
    static func tokens(_ text: String) -> Int {
        max(1, text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count)
    }

    /// A stable 32-bit FNV-1a hash, for ids and embeddings that depend only on the request.
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
