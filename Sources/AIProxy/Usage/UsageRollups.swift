public import EdgeRuntime
import FoundationEssentials

/// Daily usage per key × model, added to atomically by every instance (``KVCounting``: Redis
/// `HINCRBY` on a fleet) in the control store, kept 400 days: what `aiproxy usage` prints.
/// Keys `usage:<day>:<key_id>:<model>`; calls without a proxy key aren't rolled up.
///
/// An instance sums its events for `flushDelay` and adds each row's sums in one step, so a
/// busy key costs a few increments a second, not one per call.
public final class UsageRollups: Sendable {
    let counters: any KVCounting

    static let prefix = "usage:"
    static let retention = Duration.seconds(400 * 86_400)

    /// One row's sums while they wait: a struct, so a call adds to its row with one lookup.
    struct Sums: Sendable {
        var requests: Int64 = 0
        var inputTokens: Int64 = 0
        var outputTokens: Int64 = 0
        var cachedTokens: Int64 = 0
        var cacheWriteTokens: Int64 = 0
        var costMicroUSD: Int64 = 0
        var savedMicroUSD: Int64 = 0

        mutating func add(_ usage: TokenUsage, cost: Int64, saved: Int64) {
            requests += 1
            inputTokens += Int64(usage.input)
            outputTokens += Int64(usage.output)
            cachedTokens += Int64(usage.cachedInput)
            cacheWriteTokens += Int64(usage.cacheWrite)
            costMicroUSD += cost
            savedMicroUSD += saved
        }

        /// The counters as the store names them, sorted by name.
        var amounts: [(String, Int64)] {
            [
                ("cache_write_tokens", cacheWriteTokens), ("cached_tokens", cachedTokens),
                ("cost_micro_usd", costMicroUSD), ("input_tokens", inputTokens), ("output_tokens", outputTokens),
                ("requests", requests), ("saved_micro_usd", savedMicroUSD),
            ]
        }
    }

    /// Sums per row key, waiting to be added to the store.
    private let pending: PendingBatch<[String: Sums]>
    /// The last day written (its number since 1970 and its text): formatted once a day, not per call.
    private let lastDay = LockedValue<(number: Int64, text: String)>((-1, ""))

    public init(
        counters: any KVCounting, flushDelay: Duration = .milliseconds(50), logger: Logger = Logger(label: "usage")
    ) {
        self.counters = counters
        pending = PendingBatch(empty: [:], delay: flushDelay) { rows in
            for (key, sums) in rows {
                do {
                    try await counters.increment(key, by: sums.amounts, expirationTTL: Self.retention)
                } catch {
                    logger.warning("usage rollup \(key) not recorded: \(error)")
                }
            }
        }
    }

    /// Adds one call's event to its day's row: summed here at once, written to the store within
    /// `flushDelay` (see ``PendingBatch``).
    func add(_ event: UsageEvent, ctx: ExecutionContext) {
        guard let keyID = event.keyID else { return }
        let (day, model) = (day(event.time), event.model ?? "-")
        var key = Self.prefix
        key.reserveCapacity(key.utf8.count + day.utf8.count + keyID.utf8.count + model.utf8.count + 2)
        key += day
        key += ":"
        key += keyID
        key += ":"
        key += model
        let usage = event.usage ?? TokenUsage(input: 0, output: 0)
        pending.add(ctx: ctx) { rows in
            rows[key, default: Sums()].add(usage, cost: event.costMicroUSD ?? 0, saved: event.savedMicroUSD ?? 0)
        }
    }

    /// ``day(_:)`` for the hot path: the same day's text is reused.
    private func day(_ seconds: Double) -> String {
        let number = Int64((seconds / 86_400).rounded(.down))
        if let cached = lastDay.withLock({ $0.number == number ? $0.text : nil }) { return cached }
        let text = Self.day(seconds)
        lastDay.withLock { $0 = (number, text) }
        return text
    }

    /// The rows from `from` to `to` (days, `2026-12-01`, inclusive), for one key if given.
    public func rows(from: String, to: String, keyID: String? = nil) async throws -> [UsageRow] {
        var rows: [UsageRow] = []
        for key in try await counters.counterKeys(prefix: Self.prefix) {
            let rest = key.dropFirst(Self.prefix.count)
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, String(parts[0]) >= from, String(parts[0]) <= to else { continue }
            if let keyID, parts[1] != keyID { continue }
            let counters = try await counters.counters(key)
            rows.append(
                UsageRow(day: String(parts[0]), keyID: String(parts[1]), model: String(parts[2]), counters: counters))
        }
        return rows.sorted { ($0.day, $0.keyID, $0.model) < ($1.day, $1.keyID, $1.model) }
    }

    /// `2026-12-03` for a Unix time, UTC.
    public static func day(_ seconds: Double) -> String { UTCDate(unixSeconds: seconds).dayText }
}

/// One day × key × model of ``UsageRollups``.
public struct UsageRow: Sendable, Equatable {
    public var day: String
    public var keyID: String
    public var model: String
    public var counters: [String: Int64]

    public var spend: Int64 { counters["cost_micro_usd"] ?? 0 }

    /// As `aiproxy usage --json` prints it.
    public var json: JSONValue {
        func count(_ name: String) -> JSONValue { .number(Int(counters[name] ?? 0)) }
        return .object([
            ("day", .string(day)), ("key_id", .string(keyID)), ("model", .string(model)),
            ("requests", count("requests")),
            ("input_tokens", count("input_tokens")), ("output_tokens", count("output_tokens")),
            ("cached_tokens", count("cached_tokens")), ("cache_write_tokens", count("cache_write_tokens")),
            ("spend", MicroUSD.json(spend)), ("saved", MicroUSD.json(counters["saved_micro_usd"] ?? 0)),
        ])
    }
}
