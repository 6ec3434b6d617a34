public import EdgeRuntime
import FoundationEssentials

/// The admin listener's worker: keys, orgs' limits, shared cache and endpoints, and usage as JSON
/// resources under `/api/`, every call authorized by `AIPROXY_ADMIN_TOKEN` (constant time).
/// Records have the CLI's shape (the same ``KeyRecord`` JSON and ``KeyReport``), and changes go
/// through the same validation (``KeyRecord/applying(_:now:)``). A change reaches every instance
/// within its credential cache's TTL (60 s).
public struct AdminWorker: Worker {
    let token: [UInt8]
    let store: ControlStore
    let report: KeyReport
    let logger: Logger
    let metrics: MetricsRegistry?

    /// The name of the secret the admin listener needs; without it the process won't start.
    public static let tokenSecret = "AIPROXY_ADMIN_TOKEN"

    /// - Throws: ``ConfigError`` naming ``tokenSecret`` when it is missing or empty, or the
    ///   `CONTROL` namespace when there is none.
    /// - Parameter metrics: what `GET /metrics` renders (the proxy's and the runtime's).
    public init(
        env: Env, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "admin"),
        metrics: MetricsRegistry? = nil
    ) throws {
        guard let token = try? env.secret(Self.tokenSecret), !token.isEmpty else {
            throw ConfigError(
                code: .missingValue, message: "the admin listener needs this secret (environment or .dev.vars)",
                key: Self.tokenSecret)
        }
        guard let control = try? env.kv("CONTROL") else {
            throw ConfigError(
                code: .missingValue, message: "the admin listener needs a CONTROL KV namespace", key: "kv_namespaces")
        }
        let configuration = try ProxyConfiguration(env: env)
        self.token = Array(token.utf8)
        store = try ControlStore(kv: control, masterKey: configuration.masterKey, clock: clock)
        report = KeyReport(store: store, limits: try? env.limits("LIMITS"), clock: clock)
        self.logger = logger
        self.metrics = metrics
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        do {
            // The page loads without the token and asks for it; everything it calls needs it.
            if request.path == "/" {
                guard request.method == .get else { throw ProxyError.methodNotAllowed(request.method.rawValue) }
                return Response(
                    status: 200, headers: ["content-type": "text/html; charset=utf-8", "cache-control": "no-store"],
                    body: Body(bytes: Self.page))
            }
            guard request.path.hasPrefix("/api/") || request.path == "/metrics" else {
                throw ProxyError.notFound(path: request.path)
            }
            guard authorized(request.headers) else { throw AdminError.unauthorized }
            if request.path == "/metrics" {
                guard request.method == .get else { throw ProxyError.methodNotAllowed(request.method.rawValue) }
                guard let metrics else { throw ProxyError.notFound(path: request.path) }
                return Response(
                    status: 200, headers: ["content-type": MetricsRegistry.contentType],
                    body: Body(string: metrics.render()))
            }
            let parts = request.path.dropFirst("/api/".count).split(separator: "/", omittingEmptySubsequences: false)
                .map {
                    String($0).removingPercentEncodingOrSelf
                }
            return try await route(request, parts)
        } catch let error as any OpenAIErrorRenderable {
            return error.response
        }
    }

    /// Whether the request carries the admin token (constant time in the token's length).
    func authorized(_ headers: Headers) -> Bool {
        guard let value = headers["authorization"], value.lowercased().hasPrefix("bearer ") else { return false }
        let given = Array(value.dropFirst("bearer ".count).utf8)
        var difference = UInt8(given.count == token.count ? 0 : 1)
        for index in token.indices { difference |= token[index] ^ (index < given.count ? given[index] : 0) }
        return difference == 0
    }

    private func route(_ request: Request, _ parts: [String]) async throws -> Response {
        let method = request.method
        switch parts {
        case ["keys"]:
            switch method {
            case .get: return try await listKeys(request)
            case .post: return try await createKey(try await Self.body(of: request))
            default: throw ProxyError.methodNotAllowed(request.method.rawValue)
            }
        case let path where path.count == 2 && path[0] == "keys":
            switch method {
            case .get: return try await Self.json(try await report.json(try await key(path[1])))
            case .patch: return try await updateKey(path[1], changes: try await Self.body(of: request))
            case .delete:
                guard try await store.revokeKey(try await key(path[1]).id) else { throw AdminError.noSuchKey(path[1]) }
                return Self.json(["key_id": .string(path[1]), "revoked": true])
            default: throw ProxyError.methodNotAllowed(request.method.rawValue)
            }
        case let path where path.count == 3 && path[0] == "keys" && ["rotate", "block", "unblock"].contains(path[2]):
            guard method == .post else { throw ProxyError.methodNotAllowed(request.method.rawValue) }
            if path[2] == "rotate" {
                guard let (token, record) = try await store.rotateKey(id: path[1]) else {
                    throw AdminError.noSuchKey(path[1])
                }
                return try await Self.json(Self.adding(token, to: try await report.json(record)))
            }
            return try await updateKey(path[1], changes: ["blocked": .bool(path[2] == "block")])
        case let path where path.count == 2 && path[0] == "orgs":
            switch method {
            case .get: return Self.json(try await report.json(try await store.org(path[1])))
            case .patch:
                let org = try await store.updateOrg(path[1], changes: try await Self.body(of: request))
                return Self.json(try await report.json(org))
            default: throw ProxyError.methodNotAllowed(request.method.rawValue)
            }
        case let path where path.count >= 3 && path.count <= 4 && path[0] == "orgs" && path[2] == "endpoints":
            return try await endpoints(request, org: path[1], name: path.count == 4 ? path[3] : nil)
        case ["usage"]:
            guard method == .get else { throw ProxyError.methodNotAllowed(request.method.rawValue) }
            return try await usage(request)
        case ["openapi.json"]:
            guard method == .get else { throw ProxyError.methodNotAllowed(request.method.rawValue) }
            return Response.json(bytes: Self.openAPI)
        case ["events"]:
            guard method == .get else { throw ProxyError.methodNotAllowed(request.method.rawValue) }
            return try await events(request)
        default:
            throw ProxyError.notFound(path: request.path)
        }
    }

    func key(_ id: String) async throws -> KeyRecord {
        guard let record = try await store.key(id: id) else { throw AdminError.noSuchKey(id) }
        return record
    }

    private func updateKey(_ id: String, changes: JSONValue) async throws -> Response {
        guard let record = try await store.updateKey(id: id, changes: changes) else { throw AdminError.noSuchKey(id) }
        return Self.json(try await report.json(record))
    }

    /// The request's body as a JSON object.
    static func body(of request: Request) async throws -> JSONValue {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        guard let value = try? JSONValue(parsing: bytes), case .object = value else {
            throw ProxyError.invalidJSON("the body must be a JSON object")
        }
        return value
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        Response.json(bytes: value.serialized, status: status)
    }

    /// A key's record with its secret first (`key`), shown once at creation and rotation.
    static func adding(_ token: String, to record: JSONValue) -> JSONValue {
        guard case .object(let members) = record else { return record }
        return .object([("key", .string(token))] + members)
    }

    /// The page (`admin.html`) and the OpenAPI 3.1 description of this API (`openapi.json`),
    /// embedded in the binary.
    static var page: [UInt8] { PackageResources.admin_html }
    static var openAPI: [UInt8] { PackageResources.openapi_json }
}
