public import EdgeRuntime

/// Sends a call to its candidate endpoints in turn until one answers.
///
/// Moves on after a connect error, a timeout before the response head, a 429 or a 5xx; any
/// other answer (a 400 included) is returned as is. When the last candidate asks to wait a
/// short while (`Retry-After` ≤ `maxRetryAfter`), it is retried once after that wait. When
/// every candidate answered with an error, the last answer goes back unchanged; when none
/// answered at all, the call fails with 502 (or 504 if the last one timed out).
public struct Failover: Sendable {
    public let fetcher: any FetchClient
    /// How long to wait for an upstream's response head; `nil` leaves it to the fetch client's
    /// own idle timeout (the runtime's curl client times out a silent upstream by itself, without
    /// the per-request timer task this costs).
    public let headTimeout: Duration?
    public let maxRetryAfter: Duration
    /// Told each time a call leaves a failing endpoint for the next: the endpoint's provider kind
    /// and why (`status_429`, `status_5xx`, `timeout`, `unreachable`) — for metrics.
    public let onFailover: (@Sendable (_ provider: ProviderKind, _ reason: String) -> Void)?

    public init(
        fetcher: any FetchClient, headTimeout: Duration? = nil, maxRetryAfter: Duration = .seconds(2),
        onFailover: (@Sendable (ProviderKind, String) -> Void)? = nil
    ) {
        self.fetcher = fetcher
        self.headTimeout = headTimeout
        self.maxRetryAfter = maxRetryAfter
        self.onFailover = onFailover
    }

    /// The answering endpoint and its response (whose body may still be streaming).
    /// - Throws: ``ProxyError/upstreamUnreachable(_:)`` or ``ProxyError/upstreamTimeout``.
    public func send(_ call: ProxyCall, to candidates: [RoutedEndpoint]) async throws -> (RoutedEndpoint, Response) {
        var lastFailure: (RoutedEndpoint, Response)?
        var lastError: ProxyError = .upstreamUnreachable("no endpoint was tried")
        var index = 0
        var retriedLast = false
        var reason = ""
        while index < candidates.count {
            if index > 0, let onFailover { onFailover(candidates[index - 1].endpoint.kind, reason) }
            try Task.checkCancellation()
            let endpoint = candidates[index]
            let request = try endpoint.adapter.makeRequest(for: call, endpoint: endpoint.endpoint)
            do {
                let response = try await fetchHead(request)
                guard response.status == 429 || response.status >= 500 else { return (endpoint, response) }
                let body = (try? await response.body.collect(upTo: 1 << 20)) ?? []
                var failed = response
                failed.body = Body(bytes: body)
                lastFailure = (endpoint, failed)
                reason = response.status == 429 ? "status_429" : "status_5xx"
                if index == candidates.count - 1, !retriedLast, let wait = retryAfter(response.headers),
                    wait <= maxRetryAfter
                {
                    retriedLast = true
                    try await Task.sleep(for: wait)
                    continue
                }
            } catch let error as FetchError {
                lastFailure = nil
                lastError =
                    error.code == .timedOut
                    ? .upstreamTimeout : .upstreamUnreachable("\(endpoint.name): \(error.code) (\(error.message))")
                reason = error.code == .timedOut ? "timeout" : "unreachable"
            } catch is HeadTimeout {
                lastFailure = nil
                lastError = .upstreamTimeout
                reason = "timeout"
            }
            index += 1
        }
        if let lastFailure { return lastFailure }
        throw lastError
    }

    private struct HeadTimeout: Error {}

    /// The fetch, bounded by `headTimeout` for the head; the body may stream for longer.
    private func fetchHead(_ request: Request) async throws -> Response {
        guard let timeout = headTimeout else { return try await fetcher.fetch(request) }
        return try await fetchHead(request, within: timeout)
    }

    /// The fetch against a head timer. Out of `fetchHead`, whose frame a stream holds while it
    /// waits for its head: the task group's is larger.
    @inline(never)
    private func fetchHead(_ request: Request, within timeout: Duration) async throws -> Response {
        let fetcher = self.fetcher
        return try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await fetcher.fetch(request) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else { throw HeadTimeout() }
            return response
        }
    }

    /// `Retry-After` in seconds (the HTTP-date form is treated as "not short").
    private func retryAfter(_ headers: Headers) -> Duration? {
        guard let text = headers["retry-after"], let seconds = Double(text), seconds >= 0 else { return nil }
        return .milliseconds(Int(seconds * 1000))
    }
}
