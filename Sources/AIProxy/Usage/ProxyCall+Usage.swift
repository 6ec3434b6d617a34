extension ProxyCall {
    /// The body for an OpenAI-format upstream: as the client sent it, except that a stream asks
    /// for the usage chunk (`stream_options.include_usage`), which usage and cost need; the relay
    /// strips the chunk again for a client that didn't ask for it.
    var bodyAskingForUsage: [UInt8] {
        guard isStreaming, !UsageChunk.requested(by: self), operation == .chatCompletions || operation == .completions,
            let body, case .object = body
        else { return rawBody }
        var options = body["stream_options"].flatMap { $0.objectValue != nil ? $0 : nil } ?? .object([])
        options = options.setting("include_usage", to: true)
        return body.setting("stream_options", to: options).serialized
    }
}
