public import EdgeRuntime
import Foundation

/// The test controls every mock provider shares: a request log and a behaviour, at
/// `POST /__mock/behavior` (``MockBehavior`` fields in snake_case), `GET /__mock/requests` (the
/// log as JSON) and `DELETE /__mock/requests`.
public final class MockControl: Sendable {
    public let log = MockRequestLog()
    private let behavior = LockedValue(MockBehavior())

    public init() {}

    /// The behaviour tests asked for last.
    public var current: MockBehavior { behavior.withLock { $0 } }

    /// Logs an API call and waits out the behaviour's latency.
    func record(_ request: Request, body: [UInt8]) async throws {
        log.append(
            .init(
                method: request.method.rawValue, path: request.path,
                headers: request.headers.map { ($0.name, $0.value) }, body: String(decoding: body, as: UTF8.self)))
        let latency = current.latencyMilliseconds
        if latency > 0 { try await Task.sleep(for: .milliseconds(latency)) }
    }

    /// The answer to a `/__mock/*` request, or `nil` for an unknown control path.
    func respond(to request: Request) async throws -> Response? {
        switch (request.method, request.path) {
        case (.get, "/__mock/requests"):
            let entries = log.all.map { entry -> [String: Any] in
                [
                    "method": entry.method, "path": entry.path, "body": entry.body,
                    "headers": Dictionary(
                        entry.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a }),
                ]
            }
            return .json(bytes: Array(try JSONSerialization.data(withJSONObject: entries)))
        case (.delete, "/__mock/requests"):
            log.clear()
            return Response(status: 204)
        case (.post, "/__mock/behavior"):
            let body = try await request.body.collect(upTo: 1 << 16)
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            behavior.withLock { $0 = MockBehavior(json: json) }
            return Response(status: 204)
        default:
            return nil
        }
    }
}
