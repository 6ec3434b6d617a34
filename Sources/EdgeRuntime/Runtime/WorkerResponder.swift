import Synchronization

/// Turns a ``Worker`` into the server's responder: health routes, request ids, and the
/// one place a thrown error becomes a 500 JSON error (logged with the request id, never a crash).
///
/// `/healthz`: the process answers. `/readyz`: this instance can serve — not draining, its own
/// checks pass (loops answer) — and never whether a shared dependency is up, so a hung Redis
/// can't take a whole fleet out of its balancer. `/healthz/dependencies`: the shared services
/// behind the bindings (``DependencyHealthReporting``), 503 when one is down, for monitoring.
struct WorkerResponder: Sendable {
    let worker: any Worker
    let env: Env
    let background: BackgroundWork
    let logger: Logger
    let isDraining: @Sendable () -> Bool
    let readiness: (@Sendable () async -> Bool)?
    private let ids: RequestIDs

    init(
        worker: any Worker, env: Env, background: BackgroundWork, logger: Logger, isDraining: @escaping @Sendable () -> Bool,
        readiness: (@Sendable () async -> Bool)? = nil, ids: RequestIDs = RequestIDs()
    ) {
        self.ids = ids
        self.worker = worker
        self.env = env
        self.background = background
        self.logger = logger
        self.isDraining = isDraining
        self.readiness = readiness
    }

    func respond(to request: Request) async -> Response {
        if request.method == .get || request.method == .head {
            switch request.path {
            case "/healthz":
                return .json(bytes: Array(#"{"status":"ok"}"#.utf8))
            case "/readyz":
                if isDraining() { return .json(bytes: Array(#"{"status":"draining"}"#.utf8), status: 503) }
                if let readiness, await !readiness() {
                    return .json(bytes: Array(#"{"status":"not ready"}"#.utf8), status: 503)
                }
                return .json(bytes: Array(#"{"status":"ready"}"#.utf8))
            case "/healthz/dependencies":
                return DependencyReport(env: env).response
            default:
                break
            }
        }
        let requestID = ids.next()
        let ctx = ExecutionContext(requestID: requestID, tracker: background)
        do {
            var response = try await worker.fetch(request, env: env, ctx: ctx)
            if !response.headers.contains("x-request-id") { response.headers.add("x-request-id", requestID) }
            return response
        } catch is CancellationError {
            var response = Response.jsonError(status: 499, message: "client closed request", type: "server_error", code: "cancelled")
            response.headers.add("x-request-id", requestID)
            return response
        } catch {
            logger.error("request \(requestID) \(request.method) \(request.path) failed: \(error)")
            var response = Response.jsonError(
                status: 500, message: "internal error (request id \(requestID))", type: "server_error", code: "internal_error")
            response.headers.add("x-request-id", requestID)
            return response
        }
    }
}
