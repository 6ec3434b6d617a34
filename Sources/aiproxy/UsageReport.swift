import AIProxy
import EdgeRuntime
import Foundation

/// `aiproxy usage`: the daily rollups in the CONTROL store.
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
}
