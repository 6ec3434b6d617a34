public import EdgeRuntime

/// The fleet's recent calls — their usage events, newest first, the last ``cap`` — in the
/// control store (``KVCappedLog``: one Redis list every instance adds to), for the admin API's
/// `/api/events`. An instance batches its events for `flushDelay` and adds them in one step.
public final class EventLog: Sendable {
    let store: any KVCappedLog
    public static let key = "events:recent"
    public static let cap = 10_000

    /// Lines waiting to be added, oldest first.
    private let pending: PendingBatch<[[UInt8]]>

    /// One flush a second at most: a file store rewrites the whole log (≤ 10,000 lines) each time.
    public init(store: any KVCappedLog, flushDelay: Duration = .seconds(1), logger: Logger = Logger(label: "events")) {
        self.store = store
        pending = PendingBatch(empty: [], delay: flushDelay) { lines in
            do {
                try await store.prepend(Self.key, entries: lines, cap: Self.cap)
            } catch {
                logger.warning("\(lines.count) recent events not recorded: \(error)")
            }
        }
    }

    /// Queues one call's event, as its usage-log line (`line`), for the next flush.
    func add(line: [UInt8], ctx: ExecutionContext) {
        pending.add(ctx: ctx) { $0.append(line) }
    }

    /// The recent events, newest first.
    public func recent() async throws -> [JSONValue] {
        try await store.entries(Self.key, offset: 0, limit: Self.cap).compactMap { try? JSONValue(parsing: $0) }
    }
}
