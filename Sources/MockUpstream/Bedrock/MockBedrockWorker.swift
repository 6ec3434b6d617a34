public import EdgeRuntime
import Foundation

/// A fake Bedrock runtime on our own runtime: `POST /model/{modelId}/converse` and
/// `/converse-stream` (AWS's binary event stream), deterministic from the request.
///
/// It checks the SigV4 `authorization` header's shape and scope (service `bedrock`, the
/// access key id it was given), and the body as ``BedrockRequestCheck`` does, answering a
/// malformed request with a 400 `ValidationException`, so a bad translation fails the test.
/// Test controls: ``MockControl``.
public final class MockBedrockWorker: Worker {
    public let control = MockControl()
    public var log: MockRequestLog { control.log }
    /// When set, the signature's credential must name this access key id.
    let accessKeyID: String?

    public init(accessKeyID: String? = nil) {
        self.accessKeyID = accessKeyID
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if request.path.hasPrefix("/__mock/") {
            return try await control.respond(to: request) ?? BedrockReply.error(404, "UnknownOperationException", "unknown mock control")
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        try await control.record(request, body: body)
        let current = control.current
        let segments = request.path.split(separator: "/").map(String.init)
        guard request.method == .post, segments.count == 3, segments[0] == "model", ["converse", "converse-stream"].contains(segments[2]) else {
            return BedrockReply.error(404, "UnknownOperationException", "Unknown operation \(request.method) \(request.path)")
        }
        if let problem = authorizationProblem(request.headers) { return BedrockReply.error(403, "UnrecognizedClientException", problem) }
        if let status = current.failStatus {
            let type = status == 429 ? "ThrottlingException" : status == 503 ? "ServiceUnavailableException" : "InternalServerException"
            var response = BedrockReply.error(status, type, "mock failure \(status) from mock-bedrock")
            if let retryAfter = current.retryAfter { response.headers["retry-after"] = String(retryAfter) }
            return response
        }
        guard let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return BedrockReply.error(400, "ValidationException", "Malformed input request, please reformat your input and try again.")
        }
        if let problem = BedrockRequestCheck.problem(in: json) { return BedrockReply.error(400, "ValidationException", problem) }
        let reply = BedrockReply(request: json)
        return segments[2] == "converse-stream" ? reply.stream(behavior: current) : reply.message()
    }

    /// `AWS4-HMAC-SHA256 Credential=<id>/<yyyymmdd>/<region>/bedrock/aws4_request,
    /// SignedHeaders=<…>, Signature=<64 hex>`, with `x-amz-date` sent and signed.
    private func authorizationProblem(_ headers: Headers) -> String? {
        guard let authorization = headers["authorization"], authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            return "Missing Authentication Token"
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        let scope = fields["Credential"]?.split(separator: "/").map(String.init) ?? []
        guard scope.count == 5, scope[1].count == 8, scope[3] == "bedrock", scope[4] == "aws4_request" else {
            return "Credential should be scoped to a valid region and to service bedrock."
        }
        if let accessKeyID, scope[0] != accessKeyID { return "The security token included in the request is invalid." }
        let signed = Set((fields["SignedHeaders"] ?? "").split(separator: ";").map(String.init))
        guard let date = headers["x-amz-date"], date.hasPrefix(scope[1]), signed.isSuperset(of: ["host", "x-amz-date"]) else {
            return "The request signature must cover host and x-amz-date, dated as its credential scope."
        }
        if headers["x-amz-security-token"] != nil, !signed.contains("x-amz-security-token") {
            return "x-amz-security-token must be signed."
        }
        guard let signature = fields["Signature"], signature.count == 64, signature.allSatisfy(\.isHexDigit) else {
            return "The request signature is malformed."
        }
        return nil
    }
}
