import Foundation

/// The health of the shared services behind an ``Env``'s bindings, as `/healthz/dependencies` shows it.
///
/// ```json
/// {"status": "degraded", "dependencies": [{"binding": "CACHE", "target": "redis://127.0.0.1:6379/0",
///  "status": "down", "down_since": 1764748800.5, "detail": "not answering; failing fast and probing"}]}
/// ```
struct DependencyReport {
    let entries: [(binding: String, health: DependencyHealth)]

    init(env: Env) {
        entries = env.bindings.keys.sorted().compactMap { name in
            let reporting: (any DependencyHealthReporting)?
            switch env.bindings[name] {
            case .kv(let namespace)?: reporting = namespace as? any DependencyHealthReporting
            case .limits(let limits)?: reporting = limits as? any DependencyHealthReporting
            default: reporting = nil
            }
            return reporting.map { (name, $0.health) }
        }
    }

    var allUp: Bool { entries.allSatisfy(\.health.isUp) }

    var response: Response {
        let dependencies: [[String: Any]] = entries.map { entry in
            var object: [String: Any] = [
                "binding": entry.binding, "target": entry.health.target, "status": entry.health.isUp ? "up" : "down",
            ]
            if let since = entry.health.downSince { object["down_since"] = since }
            if let detail = entry.health.detail { object["detail"] = detail }
            return object
        }
        let body: [String: Any] = ["status": allUp ? "ok" : "degraded", "dependencies": dependencies]
        let bytes = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return .json(bytes: Array(bytes), status: allUp ? 200 : 503)
    }
}
