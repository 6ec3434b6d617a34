import FoundationEssentials

/// A ``FetchClient`` that hands requests to workers in the same process, by URL host:
/// Workers' service bindings, and how tests run a worker against a mock upstream with no sockets.
public struct InProcessFetchClient: FetchClient {
    private let routes: [String: any Worker]
    private let env: Env
    private let background: BackgroundWork

    /// - Parameter routes: worker per host (`"mock"` serves `http://mock/...`).
    public init(routes: [String: any Worker], env: Env? = nil) {
        self.routes = routes
        self.env = env ?? Env(fetcher: Unreachable())
        background = BackgroundWork()
    }

    public func fetch(_ request: Request) async throws -> Response {
        let host = String(request.authority.prefix { $0 != ":" })
        guard let worker = routes[host] else {
            throw FetchError(code: .connectFailed, message: "no in-process worker for \(host)")
        }
        return try await worker.fetch(
            request, env: env, ctx: ExecutionContext(requestID: "in-process", tracker: background))
    }

    private struct Unreachable: FetchClient {
        func fetch(_ request: Request) async throws -> Response {
            throw FetchError(code: .connectFailed, message: "in-process workers have no upstream")
        }
    }
}
