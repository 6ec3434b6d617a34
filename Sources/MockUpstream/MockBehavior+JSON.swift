extension MockBehavior {
    /// The behavior a `POST /__mock/behavior` body asks for (snake_case fields; absent ones reset).
    init(json: [String: Any]) {
        self.init()
        failStatus = json["fail_status"] as? Int
        retryAfter = json["retry_after"] as? Int
        latencyMilliseconds = json["latency_ms"] as? Int ?? 0
        chunkDelayMilliseconds = json["chunk_delay_ms"] as? Int ?? 0
        firstEventDelayMilliseconds = json["first_event_delay_ms"] as? Int ?? 0
        failMidStreamAfter = json["fail_mid_stream_after"] as? Int
    }
}
