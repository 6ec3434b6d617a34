import FoundationEssentials

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
        // Members in sorted order, as the admin tools and tests read them.
        let dependencies = entries.map { entry in
            var members = ["\"binding\":\(JSONString.quoted(entry.binding))"]
            if let detail = entry.health.detail { members.append("\"detail\":\(JSONString.quoted(detail))") }
            if let since = entry.health.downSince { members.append("\"down_since\":\(since)") }
            members.append("\"status\":\(entry.health.isUp ? "\"up\"" : "\"down\"")")
            members.append("\"target\":\(JSONString.quoted(entry.health.target))")
            return "{" + members.joined(separator: ",") + "}"
        }
        let status = allUp ? "\"ok\"" : "\"degraded\""
        let text = "{\"dependencies\":[\(dependencies.joined(separator: ","))],\"status\":\(status)}"
        return .json(bytes: Array(text.utf8), status: allUp ? 200 : 503)
    }
}
