import AIProxy
import EdgeRuntime
import Foundation

/// `aiproxy usage` and the `spend` that `keys get|list` show: read from the daily rollups in the
/// CONTROL store, and from the limits binding for a key with a budget on a shared (Redis) one.
struct UsageReport {
    let env: Env
    let store: ControlStore
    let now: Double

    var rollups: UsageRollups? { ((try? env.kv("CONTROL")) as? any KVCounting).map { UsageRollups(counters: $0) } }

    /// `aiproxy usage [--key-id ID] [--org ORG] [--from DAY] [--to DAY] [--json]`: one row per
    /// day × key × model; the last 30 days by default.
    func print(options: [String: [String]]) async throws {
        guard let rollups else {
            throw ConfigError(code: .usage, message: "the CONTROL namespace keeps no usage rollups")
        }
        let to = options["--to"]?.last ?? UsageRollups.day(now)
        let from = options["--from"]?.last ?? UsageRollups.day(now - 29 * 86_400)
        for day in [from, to] where UsageRollups.day(0).count != day.count || day.filter({ $0 == "-" }).count != 2 {
            throw ConfigError(
                code: .usage, message: "expected a day such as 2026-12-01, got \(day)", key: "--from/--to")
        }
        var rows = try await rollups.rows(from: from, to: to, keyID: options["--key-id"]?.last)
        if let org = options["--org"]?.last {
            let keys = Set(try await store.listKeys().filter { $0.orgs.contains(org) }.map(\.id))
            rows = rows.filter { keys.contains($0.keyID) }
        }
        if options["--json"] != nil {
            Swift.print(JSONValue.array(rows.map(\.json)).serializedString)
            return
        }
        Swift.print("day\tkey_id\tmodel\trequests\tinput_tokens\toutput_tokens\tcached_tokens\tspend_usd")
        for row in rows {
            let c = row.counters
            Swift.print(
                "\(row.day)\t\(row.keyID)\t\(row.model)\t\(c["requests"] ?? 0)\t\(c["input_tokens"] ?? 0)\t\(c["output_tokens"] ?? 0)\t"
                    + "\(c["cached_tokens"] ?? 0)\t\(MicroUSD.json(row.spend).serializedString)")
        }
    }

    /// A key's record as `keys get|list --json` show it: its fields and `spend`, USD in its
    /// current budget window (the whole history without a `budget_duration`).
    func json(_ key: KeyRecord) async throws -> JSONValue {
        guard case .object(var members) = key.json else { return key.json }
        members.append(("spend", MicroUSD.json(try await spend(.key(key)))))
        return .object(members)
    }

    /// An org's limits as `orgs get|update` show them, with `spend` as for a key.
    func json(org: String, _ limits: LimitSettings) async throws -> JSONValue {
        let subject = LimitSubject.org(org, limits)
        return .object(
            [("org", .string(org))] + limits.jsonMembers + [("spend", MicroUSD.json(try await spend(subject)))])
    }

    /// `rpm 10, tpm 1000, parallel 2, budget $5/1d` for the plain listing.
    static func summary(_ limits: LimitSettings) -> String {
        [
            limits.rpmLimit.map { "rpm \($0)" }, limits.tpmLimit.map { "tpm \($0)" },
            limits.maxParallelRequests.map { "parallel \($0)" },
            limits.maxBudget.map {
                "budget $\(MicroUSD.json($0).serializedString)/\(limits.budgetDuration?.text ?? "ever")"
            },
        ].compactMap { $0 }.joined(separator: ", ")
    }

    func spend(_ subject: LimitSubject) async throws -> Int64 {
        if let limits = try? env.limits("LIMITS"), let counted = try await KeySpend.current(subject, limits: limits) {
            return counted
        }
        guard let rollups else { return 0 }
        // Without a shared limits store, the rollups' whole days in the window.
        let from: String
        if let duration = subject.limits.budgetDuration {
            let window = QuotaWindow(now: Int64(now * 1000), size: duration.window ?? .zero)
            from = UsageRollups.day(Double(window.start) / 1000)
        } else {
            from = "0000-00-00"
        }
        var rows = try await rollups.rows(from: from, to: UsageRollups.day(now))
        switch subject.kind {
        case .key: rows = rows.filter { "key:" + $0.keyID == subject.id }
        case .organization:
            let keys = Set(
                try await store.listKeys().filter { $0.orgs.contains { "org:" + $0 == subject.id } }.map(\.id))
            rows = rows.filter { keys.contains($0.keyID) }
        }
        return rows.reduce(0) { $0 + $1.spend }
    }
}
