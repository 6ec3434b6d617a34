import AIProxy
import EdgeRuntime
import FoundationEssentials

/// `aiproxy usage`: the daily rollups in the CONTROL store, as ``KeyReport/usage`` reads them.
struct UsageReport {
    let report: KeyReport
    let keepsRollups: Bool

    /// `aiproxy usage [--key-id ID] [--org ORG] [--from DAY] [--to DAY] [--json]`: one row per
    /// day × key × model; the last 30 days by default.
    func print(options: [String: [String]]) async throws {
        guard keepsRollups else {
            throw ConfigError(code: .usage, message: "the CONTROL namespace keeps no usage rollups")
        }
        let (from, to) = (options["--from"]?.last, options["--to"]?.last)
        for day in [from, to].compactMap({ $0 }) where day.count != 10 || day.filter({ $0 == "-" }).count != 2 {
            throw ConfigError(
                code: .usage, message: "expected a day such as 2026-12-01, got \(day)", key: "--from/--to")
        }
        let rows = try await report.usage(
            from: from, to: to, keyID: options["--key-id"]?.last, org: options["--org"]?.last, model: nil)
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
