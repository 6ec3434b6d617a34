public import EdgeRuntime

/// Why the admin listener refused a call or couldn't start.
public enum AdminError: OpenAIErrorRenderable, Equatable {
    /// No or a wrong `Authorization: Bearer <AIPROXY_ADMIN_TOKEN>`.
    case unauthorized
    /// The key or org named in the path doesn't exist.
    case noSuchKey(String)
    case noSuchEndpoint(org: String, name: String)

    public var status: Int {
        switch self {
        case .unauthorized: 401
        case .noSuchKey, .noSuchEndpoint: 404
        }
    }

    public var errorType: String {
        switch self {
        case .unauthorized: "authentication_error"
        case .noSuchKey, .noSuchEndpoint: "invalid_request_error"
        }
    }

    public var code: String? {
        switch self {
        case .unauthorized: "invalid_admin_token"
        case .noSuchKey: "key_not_found"
        case .noSuchEndpoint: "endpoint_not_found"
        }
    }

    public var message: String {
        switch self {
        case .unauthorized: "The admin API needs `Authorization: Bearer <AIPROXY_ADMIN_TOKEN>`."
        case .noSuchKey(let id): "No key with key_id `\(id)`."
        case .noSuchEndpoint(let org, let name): "Org `\(org)` has no endpoint `\(name)`."
        }
    }

    public var headers: Headers {
        self == .unauthorized ? ["www-authenticate": "Bearer"] : [:]
    }
}
