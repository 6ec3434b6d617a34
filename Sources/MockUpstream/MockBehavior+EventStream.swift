import EdgeRuntime

extension MockBehavior {
    /// A streamed response (SSE unless `contentType` says otherwise) that plays prepared events under this behaviour:
    /// a delay before the first event and between events, and a cut (no terminator, connection reset) after `failMidStreamAfter`.
    func eventStream(_ events: [[UInt8]], contentType: String = "text/event-stream; charset=utf-8") -> Response {
        let (body, writer) = Body.makeStream()
        let behavior = self
        Task {
            do {
                if behavior.firstEventDelayMilliseconds > 0 {
                    try await Task.sleep(for: .milliseconds(behavior.firstEventDelayMilliseconds))
                }
                for (index, event) in events.enumerated() {
                    if let failAfter = behavior.failMidStreamAfter, index > failAfter {
                        writer.finish(throwing: MockStreamCut())
                        return
                    }
                    try await writer.write(event)
                    if behavior.chunkDelayMilliseconds > 0 {
                        try await Task.sleep(for: .milliseconds(behavior.chunkDelayMilliseconds))
                    }
                }
                writer.finish()
            } catch {
                writer.finish(throwing: error)
            }
        }
        return Response(status: 200, headers: ["content-type": contentType, "cache-control": "no-cache"], body: body)
    }
}

/// Thrown into a stream body to cut the connection mid-stream, as a crashing upstream would.
struct MockStreamCut: Error {}
