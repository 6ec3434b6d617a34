/// The worker's bindings (vars, secrets, KV namespaces) and its upstream HTTP client.
///
/// Mirrors the `env` argument of a Workers `fetch` handler. Lookups by name throw a
/// ``ConfigError`` naming the missing binding, so a misconfigured deployment says what is wrong.
public struct Env: Sendable, CustomStringConvertible {
    public let bindings: [String: Binding]
    /// The runtime's upstream HTTP client (libcurl in production, anything in tests).
    public let fetcher: any FetchClient

    public init(bindings: [String: Binding] = [:], fetcher: any FetchClient) {
        self.bindings = bindings
        self.fetcher = fetcher
    }

    /// Sends `request` upstream through the runtime's client.
    public func fetch(_ request: Request) async throws -> Response {
        try await fetcher.fetch(request)
    }

    /// The text variable `name`, or `nil`.
    public func variable(_ name: String) -> String? {
        if case .text(let value)? = bindings[name] { return value }
        return nil
    }

    /// The secret `name`, or `nil`.
    public func secret(_ name: String) -> String? {
        if case .secret(let value)? = bindings[name] { return value }
        return nil
    }

    /// The KV namespace bound to `name`.
    /// - Throws: ``ConfigError`` when nothing, or something other than a KV namespace, has that name.
    public func kv(_ name: String) throws -> any KVNamespace {
        switch bindings[name] {
        case .kv(let namespace)?: return namespace
        case nil: throw ConfigError(code: .missingBinding, message: "no binding named \(name)", key: name)
        default: throw ConfigError(code: .wrongBindingType, message: "binding \(name) is not a KV namespace", key: name)
        }
    }

    /// The limits binding named `name`.
    /// - Throws: ``ConfigError`` when nothing, or something other than limits, has that name.
    public func limits(_ name: String) throws -> any LimitsNamespace {
        switch bindings[name] {
        case .limits(let limits)?: return limits
        case nil: throw ConfigError(code: .missingBinding, message: "no binding named \(name)", key: name)
        default: throw ConfigError(code: .wrongBindingType, message: "binding \(name) is not a limits binding", key: name)
        }
    }

    /// Names and kinds only: secrets never appear in a description.
    public var description: String {
        let names = bindings.keys.sorted().map { name -> String in
            switch bindings[name]! {
            case .text: "\(name)=text"
            case .secret: "\(name)=secret"
            case .kv: "\(name)=kv"
            case .limits: "\(name)=limits"
            }
        }
        return "Env(\(names.joined(separator: ", ")))"
    }
}
