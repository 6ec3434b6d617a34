public import EdgeRuntime

/// Everything the proxy itself refuses or fails at, with the status each one answers.
public enum ProxyError: OpenAIErrorRenderable, Equatable {
    case missingAPIKey
    case invalidAPIKey
    case unknownOrg(String)
    case notFound(path: String)
    case methodNotAllowed(String)
    case invalidJSON(String)
    case invalidRequest(String)
    /// A field the serving provider can't honour (e.g. a Responses built-in tool on Claude).
    case unsupportedParameter(name: String, reason: String)
    case invalidHeader(name: String, reason: String)
    case bodyTooLarge(limit: Int)
    case unknownModel(String)
    case noEndpoint(model: String)
    case upstreamUnreachable(String)
    case upstreamTimeout
    case controlStoreUnavailable
    /// `x-bt-use-cache: only` and no entry: the key's hash prefix, or `nil` when the call can't be cached at all.
    case cacheMiss(model: String?, keyHash: String?)

    public var status: Int {
        switch self {
        case .missingAPIKey, .invalidAPIKey: 401
        case .unknownOrg: 403
        case .notFound, .unknownModel, .cacheMiss: 404
        case .methodNotAllowed: 405
        case .invalidJSON, .invalidRequest, .unsupportedParameter, .invalidHeader, .noEndpoint: 400
        case .bodyTooLarge: 413
        case .upstreamUnreachable: 502
        case .upstreamTimeout: 504
        case .controlStoreUnavailable: 503
        }
    }

    public var errorType: String {
        switch self {
        case .missingAPIKey, .invalidAPIKey: "authentication_error"
        case .unknownOrg: "permission_error"
        case .upstreamUnreachable, .upstreamTimeout, .controlStoreUnavailable: "server_error"
        default: "invalid_request_error"
        }
    }

    public var code: String? {
        switch self {
        case .missingAPIKey: "missing_api_key"
        case .invalidAPIKey: "invalid_api_key"
        case .unknownOrg: "unknown_org"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .invalidJSON: "invalid_json"
        case .invalidRequest: "invalid_request"
        case .unsupportedParameter: "unsupported_parameter"
        case .invalidHeader: "invalid_header"
        case .bodyTooLarge: "request_too_large"
        case .unknownModel: "model_not_found"
        case .noEndpoint: "no_endpoint"
        case .upstreamUnreachable: "upstream_unreachable"
        case .upstreamTimeout: "upstream_timeout"
        case .controlStoreUnavailable: "control_store_unavailable"
        case .cacheMiss: "cache_miss"
        }
    }

    public var message: String {
        switch self {
        case .missingAPIKey:
            "No API key: send it as `Authorization: Bearer <key>` or `x-api-key: <key>`."
        case .invalidAPIKey:
            "The API key is not a valid proxy key."
        case .unknownOrg(let org):
            "The API key does not belong to org \(org) (x-bt-org-name)."
        case .notFound(let path):
            "No route for \(path). The proxy serves /v1/* (OpenAI API paths)."
        case .methodNotAllowed(let method):
            "Method \(method) is not allowed here."
        case .invalidJSON(let detail):
            "The request body is not valid JSON: \(detail)."
        case .invalidRequest(let detail):
            detail
        case .unsupportedParameter(let name, let reason):
            "Unsupported parameter `\(name)`: \(reason)."
        case .invalidHeader(let name, let reason):
            "Invalid \(name) header: \(reason)."
        case .bodyTooLarge(let limit):
            "The request body is larger than \(limit) bytes."
        case .unknownModel(let model):
            "The model `\(model)` does not exist or is not in the proxy's catalog."
        case .noEndpoint(let model):
            "No endpoint of this key's org can serve `\(model)`. Add one with "
                + "`aiproxy endpoints add --org <org> --name <name> --type <provider> --models \(model)`, "
                + "or call with a provider's own API key."
        case .upstreamUnreachable(let detail):
            "No upstream endpoint answered: \(detail)."
        case .upstreamTimeout:
            "The upstream endpoint did not answer in time."
        case .controlStoreUnavailable:
            "The proxy's key store is unavailable; try again shortly."
        case .cacheMiss(let model, let keyHash?):
            "x-bt-use-cache is only and the cache holds no reply for this call (model `\(model ?? "none")`, cache key "
                + "\(keyHash)…); nothing was sent upstream. Record it first with x-bt-use-cache: record."
        case .cacheMiss(let model, nil):
            "x-bt-use-cache is only and this call (model `\(model ?? "none")`) can't be cached, so it can't be answered "
                + "from the cache; nothing was sent upstream."
        }
    }
}
