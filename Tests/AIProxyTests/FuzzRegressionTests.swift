import EdgeRuntime
import Testing

@testable import AIProxy

/// Replays every input kept in `Tests/Fixtures/fuzz-regressions/<target>/` through the code its
/// fuzz target drives, checking the same properties (`Fuzz/Sources/fuzz-<target>/main.swift`).
/// An input's first byte holds the target's options where the target has any (`FuzzInput`).
@Suite struct FuzzRegressionTests {
    @Test(arguments: FuzzRegression.names("json"))
    func jsonSurvivesSerializeAndParse(_ name: String) throws {
        guard let value = try? JSONValue(parsing: try FuzzRegression.bytes("json", name)) else { return }
        #expect(try JSONValue(parsing: value.serialized) == value)
        #expect(try JSONValue(parsing: value.canonical).canonical == value.canonical)
    }

    @Test(arguments: FuzzRegression.names("sse"))
    func sseEventsDoNotDependOnChunking(_ name: String) throws {
        let bytes = try FuzzRegression.bytes("sse", name)
        func events(_ pieces: [[UInt8]]) -> [SSEEvent] {
            var parser = SSEParser()
            return pieces.flatMap { parser.feed($0) } + (parser.finish().map { [$0] } ?? [])
        }
        let whole = events([bytes])
        #expect(events(bytes.map { [$0] }) == whole)
        for event in whole {
            var parser = SSEParser()
            #expect(parser.feed(event.encoded) == [event])
        }
    }

    @Test(arguments: FuzzRegression.names("eventstream"))
    func eventStreamOutcomeDoesNotDependOnChunking(_ name: String) throws {
        let bytes = try FuzzRegression.bytes("eventstream", name)
        func decode(_ pieces: [[UInt8]]) -> [SSEEvent]? {
            var decoder = AWSEventStreamDecoder()
            return try? pieces.flatMap { try decoder.decode($0) } + decoder.finish()
        }
        _ = decode([bytes])
        let repaired = Self.repairingChecksums(bytes)
        #expect(decode(repaired.map { [$0] }) == decode([repaired]))
    }

    /// `bytes` with every event-stream prelude and message CRC-32 recomputed, frame by frame.
    static func repairingChecksums(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        var start = 0
        func store(_ value: UInt32, at i: Int) {
            for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * k)) }
        }
        while bytes.count - start >= 12 {
            store(CRC32.checksum(bytes[start..<start + 8]), at: start + 8)
            let total = bytes[start..<start + 4].reduce(0) { $0 << 8 | Int($1) }
            guard total >= 16, total <= bytes.count - start else { break }
            store(CRC32.checksum(bytes[start..<start + total - 4]), at: start + total - 4)
            start += total
        }
        return bytes
    }

    static let providers:
        [String: (adapter: any ProviderAdapter, alternate: (any ProviderAdapter, ProxyCall.Operation)?)] = [
            "anthropic": (AnthropicAdapter(), (AnthropicAdapter(), .anthropicMessages)),
            "bedrock": (BedrockAdapter(), nil),
            "google": (GoogleAdapter(), (GoogleAdapter(), .embeddings)),
            "openai": (OpenAIAdapter(), (AzureAdapter(), .chatCompletions)),
        ]

    /// `ProviderHarness`: bits 0-1 the path (response, error, SSE stream, request), bit 2
    /// `include_usage` (base64 embeddings), bit 3 the alternate operation, bits 4-7 the error status.
    /// What the adapter builds itself must be JSON; a stream that ends cleanly ends with one `[DONE]`.
    @Test(arguments: providers.keys.sorted().flatMap { target in FuzzRegression.names(target).map { [target, $0] } })
    func providerTranslatorsBuildJSONOrThrow(_ file: [String]) throws {
        let bytes = try FuzzRegression.bytes(file[0], file[1])
        let options = Int(bytes.first ?? 0)
        let payload = Array(bytes.dropFirst())
        let provider = Self.providers[file[0]]!
        let (adapter, operation) =
            options & 8 != 0
            ? provider.alternate ?? (provider.adapter, .chatCompletions) : (provider.adapter, .chatCompletions)
        let builds = !adapter.speaksOpenAIFormat && !operation.isProviderNative
        func expectJSON(_ bytes: [UInt8]) {
            #expect((try? JSONValue(parsing: bytes)) != nil, "\(String(decoding: bytes, as: UTF8.self))")
        }
        let call = ProxyCall(
            operation: operation, method: .post, path: "/" + operation.rawValue,
            body: [
                "model": "fuzz-model", "stream": .bool(options & 3 == 2),
                "stream_options": ["include_usage": .bool(options & 4 != 0)],
                "encoding_format": options & 4 != 0 ? "base64" : "float",
            ])
        switch options & 3 {
        case 0:
            if let body = try? adapter.translateResponse(payload, for: call), builds { expectJSON(body) }
        case 1:
            let status = [400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529, 200, 0, 599][options >> 4]
            let body = adapter.translateError(payload, status: status)
            if builds && adapter.kind != .google { expectJSON(body) }
        case 2:
            var parser = SSEParser()
            var translator = adapter.makeStreamTranslator(for: call)
            var out: [SSEEvent] = []
            do {
                for event in parser.feed(payload) + (parser.finish().map { [$0] } ?? []) {
                    out += try translator.translate(event)
                }
                out += try translator.finish()
                if builds { #expect(out.filter(\.isDone).count == 1 && out.last?.isDone == true) }
            } catch {
                out += translator.failureEvents(for: error)
            }
            if builds { for event in out where !event.isDone { expectJSON(event.data) } }
        default:
            guard let body = try? JSONValue(parsing: payload), case .object = body,
                body["model"]?.stringValue?.isEmpty == false
            else { return }
            if let stream = body["stream"], stream != .null, stream.boolValue == nil { return }
            let call = ProxyCall(
                operation: operation, method: .post, path: "/" + operation.rawValue,
                headers: ["content-type": "application/json"], rawBody: payload, body: body)
            let endpoint = Endpoint(
                name: "fuzz", kind: adapter.kind, baseURL: "https://upstream.invalid/v1",
                secret: "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY:session",
                options: ["region": "us-west-2", "deployment": "fuzz"])
            if let request = try? adapter.makeRequest(for: call, endpoint: endpoint), builds,
                let sent = request.body.knownBytes
            {
                expectJSON(sent)
            }
        }
    }
}
