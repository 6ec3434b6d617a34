public import EdgeRuntime
import FoundationEssentials

/// AWS Bedrock's Converse API behind OpenAI chat completions: `POST /model/{id}/converse`, or
/// `/converse-stream` (AWS's binary event stream), signed with SigV4 by ``AWSSigV4``.
///
/// The endpoint's secret is `ACCESS_KEY_ID:SECRET_ACCESS_KEY`, or with a third
/// `:SESSION_TOKEN` for temporary credentials (all three stay sealed together); its
/// `region` option (default `us-east-1`) picks the region, and `{region}` in the base URL is
/// replaced by it.
/// - SeeAlso: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
public struct BedrockAdapter: ProviderAdapter {
    public let kind: ProviderKind = .bedrock
    public let streamContentType = "application/vnd.amazon.eventstream"
    /// The signing time and the `created` of completions.
    let clock: any WallClock

    public init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    public func makeRequest(for call: ProxyCall, endpoint: Endpoint) throws -> Request {
        guard call.operation == .chatCompletions, let body = call.body, let model = call.model else {
            throw ProxyError.invalidRequest("Bedrock endpoints serve /v1/chat/completions only, not \(call.path).")
        }
        let parts = endpoint.secret.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count >= 2 else {
            throw ProxyError.invalidRequest("A Bedrock secret must be ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN].")
        }
        let region = endpoint.options["region"] ?? "us-east-1"
        let base = endpoint.baseURL.replacing("{region}", with: region)
        let path =
            "/model/\(AWSSigV4.encode(model, keepingSlashes: false))/\(call.isStreaming ? "converse-stream" : "converse")"
        let url = OpenAIAdapter.join(base, path)
        let bytes = try BedrockRequestTranslator.translate(body, model: model).serialized
        var request = Request(
            method: .post, url: url,
            headers: [
                "content-type": "application/json", "accept": call.isStreaming ? streamContentType : "application/json",
            ],
            body: Body(bytes: bytes))
        request.headers["host"] = String(request.authority)
        let signer = AWSSigV4(
            credentials: .init(
                accessKeyID: parts[0], secretAccessKey: parts[1], sessionToken: parts.count > 2 ? parts[2] : nil),
            region: region, service: "bedrock")
        let signed = signer.sign(
            method: "POST", path: request.path, query: request.query ?? "",
            headers: request.headers.map { ($0.name, $0.value) }, body: bytes,
            seconds: Int(clock.now()))
        for (name, value) in signed { request.headers[name] = value }
        return request
    }

    public func translateResponse(_ body: [UInt8], for call: ProxyCall) throws -> [UInt8] {
        try BedrockResponseTranslator.translate(body, model: call.model ?? "", created: Int(clock.now())).serialized
    }

    public func translateError(_ body: [UInt8], status: Int) -> [UInt8] {
        BedrockResponseTranslator.error(body, status: status).serialized
    }

    public func makeStreamDecoder() -> any StreamDecoder { AWSEventStreamDecoder() }

    public func makeStreamTranslator(for call: ProxyCall) -> any StreamTranslator {
        BedrockStreamTranslator(
            // Always: usage and cost need it; the relay strips it for a client that didn't ask.
            model: call.model ?? "", includeUsage: true, created: Int(clock.now()))
    }
}

extension ProviderKind {
    /// AWS Bedrock's Converse API.
    public static let bedrock: ProviderKind = "bedrock"
}
