import AIProxy
import EdgeRuntime

/// `aiproxy keys create|update` flags, each named after the key field it sets (`--rpm-limit 10`
/// sets `rpm_limit`), turned into the JSON changes ``KeyRecord/applying(_:now:)`` validates — the
/// same form the admin API takes, so both check a change the same way.
enum KeyFlags {
    enum Kind { case number, usd, list, text, json, flag }

    static let fields: [(flag: String, field: String, kind: Kind)] = [
        ("--rpm-limit", "rpm_limit", .number), ("--max-parallel-requests", "max_parallel_requests", .number),
        ("--models", "models", .list), ("--allowed-routes", "allowed_routes", .list), ("--tags", "tags", .list),
        ("--expires", "expires", .text), ("--ttl", "ttl", .number), ("--metadata", "metadata", .json),
        ("--name", "name", .text), ("--tpm-limit", "tpm_limit", .number), ("--max-budget", "max_budget", .usd),
        ("--budget-duration", "budget_duration", .text), ("--soft-budget", "soft_budget", .usd),
    ]

    /// The changes the flags in `options` ask for. `none` clears a limit, a budget or the expiry.
    /// - Throws: ``ConfigError`` naming the flag whose value is not of its kind.
    static func changes(_ options: [String: [String]]) throws -> JSONValue {
        var members: [(String, JSONValue)] = []
        for (flag, field, kind) in fields {
            guard let text = options[flag]?.last else { continue }
            if text == "none" && (kind == .number || kind == .usd || field == "expires" || field == "budget_duration") {
                members.append((field, .null))
                continue
            }
            switch kind {
            case .number:
                guard let number = Int(text) else {
                    throw ConfigError(code: .usage, message: "expected a whole number or none", key: flag)
                }
                members.append((field, .number(number)))
            case .usd:
                guard let amount = Double(text), amount >= 0 else {
                    throw ConfigError(
                        code: .usage, message: "expected an amount in USD such as 5.00, or none", key: flag)
                }
                members.append((field, .number(text)))
            case .list:
                members.append((field, .array(text.split(separator: ",").map { .string($0.trimmingSpacesAndTabs) })))
            case .text, .flag:
                members.append((field, .string(text)))
            case .json:
                guard let value = try? JSONValue(parsing: text) else {
                    throw ConfigError(code: .usage, message: "expected JSON", key: flag)
                }
                members.append((field, value))
            }
        }
        return .object(members)
    }

    static let usage = """
        Key fields (keys create / keys update): --rpm-limit N, --tpm-limit N, --max-parallel-requests N,
          --max-budget USD, --budget-duration 30s|15m|12h|30d|1mo, --soft-budget USD, --models m1,m2,
          --allowed-routes /v1/chat/completions,…, --expires 2027-01-01T00:00:00Z | --ttl SECONDS, --tags a,b,
          --metadata '{"team":"x"}', --name LABEL; `none` clears a limit, a budget or the expiry
        """
}
