public import AIProxy
import EdgeRuntime
public import FuzzHarness

/// Runs one provider adapter's translators on a fuzz input, as `CallRelay` and `StreamRelay` call them.
///
/// Options byte: bits 0-1 pick the path (``Path``); bit 2 makes the call ask for
/// `stream_options.include_usage` (and Gemini embeddings for base64); bit 3 makes it the
/// adapter's ``alternate`` operation; bits 4-7 pick the upstream status of an error body.
///
/// Beyond "no trap, no sanitizer report", the output a translator builds itself must be JSON,
/// and a stream that ends cleanly ends with exactly one `[DONE]`. Paths where the adapter
/// passes the upstream's bytes through (OpenAI's format, a provider-native call, Gemini's
/// non-Gemini error bodies) are only run.
public struct ProviderHarness {
    public enum Path: Int, CaseIterable, Sendable {
        /// A complete upstream body → `translateResponse`.
        case response
        /// An upstream error body → `translateError`.
        case error
        /// An upstream SSE stream → `SSEParser` → `makeStreamTranslator` → `finish`, or `failureEvents` on a throw.
        case stream
        /// A client's request body → `makeRequest`.
        case request
    }

    let adapter: any ProviderAdapter
    let alternate: (any ProviderAdapter, ProxyCall.Operation)?
    let builtPaths: Set<Path>

    /// - Parameters:
    ///   - alternate: the adapter and operation bit 3 selects (Anthropic's native Messages API,
    ///     Gemini embeddings, Azure in OpenAI's place); `nil` when there is none.
    ///   - builtPaths: the paths whose output the adapter builds as JSON (checked).
    public init(
        adapter: any ProviderAdapter, alternate: (any ProviderAdapter, ProxyCall.Operation)? = nil,
        builtPaths: Set<Path>
    ) {
        self.adapter = adapter
        self.alternate = alternate
        self.builtPaths = builtPaths
    }

    /// A Bedrock-shaped secret works for every adapter (the others use it whole).
    static let endpointSecret = "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY:session"
    static let statuses = [400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529, 200, 0, 599]

    public func run(_ input: FuzzInput) {
        let path = Path(rawValue: input.bits(0, count: 2))!
        let flag = input.flag(2)
        let (adapter, operation) =
            input.flag(3) ? alternate ?? (self.adapter, .chatCompletions) : (self.adapter, .chatCompletions)
        let checked = builtPaths.contains(path) && !adapter.speaksOpenAIFormat && !operation.isProviderNative
        let call = ProxyCall(
            operation: operation, method: .post, path: "/" + operation.rawValue,
            body: [
                "model": "fuzz-model", "stream": .bool(path == .stream),
                "stream_options": ["include_usage": .bool(flag)],
                "encoding_format": flag ? "base64" : "float",
            ])
        switch path {
        case .response:
            guard let body = try? adapter.translateResponse(input.payload, for: call) else { return }
            if checked { Self.checkJSON(body, "translated response") }
        case .error:
            let body = adapter.translateError(input.payload, status: Self.statuses[input.bits(4, count: 4)])
            if checked { Self.checkJSON(body, "translated error") }
        case .stream:
            stream(input.payload, through: adapter.makeStreamTranslator(for: call), checked: checked)
        case .request:
            request(input.payload, operation: operation, adapter: adapter, checked: checked)
        }
    }

    private func stream(_ bytes: [UInt8], through translator: any StreamTranslator, checked: Bool) {
        var translator = translator
        var parser = SSEParser()
        var events = parser.feed(bytes)
        if let last = parser.finish() { events.append(last) }
        var out: [SSEEvent] = []
        var failed = false
        do {
            for event in events { out += try translator.translate(event) }
            out += try translator.finish()
        } catch {
            out += translator.failureEvents(for: error)
            failed = true
        }
        guard checked else { return }
        for event in out where !event.isDone { Self.checkJSON(event.data, "stream event") }
        if !failed {
            fuzzCheck(out.last?.isDone == true, "a stream that ended cleanly has no final [DONE]: \(out)")
            fuzzCheck(out.filter(\.isDone).count == 1, "a stream sent [DONE] more than once: \(out)")
        }
    }

    /// A client body as `ProxyCall.parse` admits it (a JSON object with a non-empty string
    /// `model` and a boolean or null `stream`), then the upstream request.
    private func request(_ bytes: [UInt8], operation: ProxyCall.Operation, adapter: any ProviderAdapter, checked: Bool)
    {
        guard let body = try? JSONValue(parsing: bytes), case .object = body,
            body["model"]?.stringValue?.isEmpty == false
        else { return }
        if let stream = body["stream"], stream != .null, stream.boolValue == nil { return }
        let call = ProxyCall(
            operation: operation, method: .post, path: "/" + operation.rawValue,
            headers: ["content-type": "application/json"],
            rawBody: bytes, body: body)
        let endpoint = Endpoint(
            name: "fuzz", kind: adapter.kind, baseURL: "https://upstream.invalid/v1", secret: Self.endpointSecret,
            options: ["region": "us-west-2", "deployment": "fuzz"])
        guard let request = try? adapter.makeRequest(for: call, endpoint: endpoint) else { return }
        if checked, let sent = request.body.knownBytes { Self.checkJSON(sent, "upstream request body") }
    }

    private static func checkJSON(_ bytes: [UInt8], _ what: String) {
        fuzzCheck((try? JSONValue(parsing: bytes)) != nil, "\(what) is not JSON: \(bytes.debugText)")
    }
}
