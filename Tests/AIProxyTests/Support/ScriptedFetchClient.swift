import Foundation
import AIProxy
import EdgeRuntime

/// A `FetchClient` that answers from a script keyed by URL host, and records what it was sent.
final class ScriptedFetchClient: FetchClient {
    enum Answer: Sendable {
        case response(status: Int, headers: Headers = [:], body: String)
        case failure(FetchError)
        case hang
    }

    private let script: LockedValue<[String: [Answer]]>
    private let sent = LockedValue<[Request]>([])

    init(_ script: [String: [Answer]]) {
        self.script = LockedValue(script)
    }

    var requests: [Request] { sent.withLock { $0 } }
    var hosts: [String] { requests.map { Self.host($0.url) } }

    static func host(_ url: String) -> String {
        let afterScheme = url.components(separatedBy: "://").last ?? url
        return String(afterScheme.prefix { $0 != "/" && $0 != ":" })
    }

    func fetch(_ request: Request) async throws -> Response {
        sent.withLock { $0.append(request) }
        let host = Self.host(request.url)
        let answer: Answer = script.withLock { script in
            guard var answers = script[host], !answers.isEmpty else { return .failure(FetchError(code: .connectFailed, message: "no route")) }
            let next = answers.removeFirst()
            script[host] = answers.isEmpty ? [next] : answers
            return next
        }
        switch answer {
        case .response(let status, let headers, let body):
            return Response(status: status, headers: headers, body: Body(string: body))
        case .failure(let error):
            throw error
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            throw CancellationError()
        }
    }
}

extension Endpoint {
    static func test(_ name: String, kind: ProviderKind = .openai, models: [String]? = nil) -> Endpoint {
        Endpoint(name: name, kind: kind, baseURL: "http://\(name)/v1", secret: "secret-\(name)", models: models)
    }
}

extension RoutedEndpoint {
    /// A test endpoint with its standard adapter.
    static func test(_ name: String, kind: ProviderKind = .openai, models: [String]? = nil) -> RoutedEndpoint {
        let endpoint = Endpoint.test(name, kind: kind, models: models)
        return RoutedEndpoint(endpoint: endpoint, adapter: ProviderRegistry.standard.adapter(for: kind)!)
    }
}
