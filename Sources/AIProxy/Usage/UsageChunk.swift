/// The usage chunk at the end of an OpenAI-format stream (`"choices":[]` and a `usage` object,
/// what `stream_options.include_usage` asks for): found by a byte scan, parsed only when found.
///
/// The proxy always asks its upstreams for it (usage and cost need it) and strips it again from
/// what a client gets that did not ask for it itself.
enum UsageChunk {
    private static let marker = Array(#""usage":{"#.utf8)
    private static let responsesPrefix = Array(#"{"type":"response."#.utf8)
    private static let terminalTypes = [#"completed""#, #"incomplete""#, #"failed""#].map { Array($0.utf8) }

    /// The usage in `data` (one event's data) when it is the usage chunk.
    /// A Responses stream reports usage in its last event's `response` (`response.completed`,
    /// `response.incomplete` or `response.failed`).
    static func usage(inData data: [UInt8]) -> TokenUsage? {
        if data.starts(with: responsesPrefix) {
            // A Responses event (type first, as OpenAI and the bridge write them): only the last
            // one has usage, at the end of its `response`, read without parsing the rest.
            let type = data[responsesPrefix.count...]
            guard terminalTypes.contains(where: { type.starts(with: $0) }),
                let object = UsageObjectScanner.lastUsageObject(in: data)
            else { return nil }
            return TokenUsage(openAIUsage: try? JSONValue(parsing: Array(object)))
        }
        guard ByteSearch.contains(data[...], marker), let chunk = try? JSONValue(parsing: data) else { return nil }
        if chunk["choices"]?.arrayValue?.isEmpty == true { return TokenUsage(openAIUsage: chunk["usage"]) }
        if let response = chunk["response"], chunk["type"]?.stringValue?.hasPrefix("response.") == true {
            return TokenUsage(openAIUsage: response["usage"])
        }
        return nil
    }

    /// Whether the client asked for the usage chunk itself; a Responses stream's usage is part of
    /// its last event, which every client gets.
    static func requested(by call: ProxyCall) -> Bool {
        call.operation == .responses || call.body?["stream_options"]?["include_usage"]?.boolValue == true
    }
}
