public import EdgeRuntime

extension ProxyCall {
    /// Reads a client request to `/v1/<path>` into a call: body collected (bounded) and parsed.
    /// - Parameters:
    ///   - apiPath: the path after `/v1`, e.g. `/chat/completions`.
    ///   - maxJSONValues: values the body's JSON may hold before it is refused.
    /// - Throws: ``ProxyError/bodyTooLarge(limit:)``, ``ProxyError/invalidJSON(_:)``.
    public static func parse(_ request: Request, apiPath: String, maxBodyBytes: Int, maxJSONValues: Int = .max)
        async throws -> ProxyCall
    {
        let raw: [UInt8]
        do {
            raw = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as BodyError where error.code == .tooLarge {
            throw ProxyError.bodyTooLarge(limit: maxBodyBytes)
        }
        let operation: Operation =
            switch (request.method, apiPath) {
            case (.post, "/chat/completions"): .chatCompletions
            case (.post, "/completions"): .completions
            case (.post, "/embeddings"): .embeddings
            case (.post, "/moderations"): .moderations
            case (.post, "/responses"): .responses
            // The Anthropic SDK appends `/v1/messages` to its base URL (`…/v1/anthropic`).
            case (.post, "/anthropic/messages"), (.post, "/anthropic/v1/messages"): .anthropicMessages
            default: .passthrough
            }
        var body: JSONValue?
        let isJSON =
            request.headers["content-type"].map { ByteSearch.containsIgnoringCase($0, "json") }
            ?? (operation != .passthrough)
        if !raw.isEmpty && (operation != .passthrough || isJSON) {
            do {
                body = try JSONValue(parsing: raw, maxValues: maxJSONValues)
            } catch {
                throw ProxyError.invalidJSON(error.description)
            }
        }
        if operation != .passthrough {
            guard case .object = body else {
                throw ProxyError.invalidRequest("The request body must be a JSON object.")
            }
            guard let model = body?["model"] else {
                throw ProxyError.invalidRequest("The request body has no `model`.")
            }
            guard model.stringValue?.isEmpty == false else {
                throw ProxyError.invalidRequest("`model` must be a non-empty string.")
            }
            if let stream = body?["stream"], stream != .null, stream.boolValue == nil {
                throw ProxyError.invalidRequest("`stream` must be a boolean.")
            }
        }
        // Both spellings of the native route are one call (one cache key).
        let path = operation == .anthropicMessages ? "/anthropic/messages" : apiPath
        return ProxyCall(
            operation: operation, method: request.method, path: path, query: request.query, headers: request.headers,
            rawBody: raw,
            body: body)
    }
}
