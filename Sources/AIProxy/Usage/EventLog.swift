public import EdgeRuntime

/// The fleet's recent calls — their usage events, newest first, the last ``cap`` — in the
/// control store (``KVCappedLog``: one Redis list every instance adds to), for the admin API's
/// `/api/events`. An instance batches its events for ``flushDelay`` and adds them in one step.
public final class EventLog: Sendable {
    let store: any KVCappedLog
    let flushDelay: Duration
    public static let key = "events:recent"
    public static let cap = 10_000

    private struct Pending {
        var lines: [[UInt8]] = []
        var flushScheduled = false
    }
    private let pending = LockedValue(Pending())

    /// One flush a second at most: a file store rewrites the whole log (≤ 10,000 lines) each time.
    public init(store: any KVCappedLog, flushDelay: Duration = .seconds(1)) {
        self.store = store
        self.flushDelay = flushDelay
    }

    /// Queues one call's event; a flush that `ctx.waitUntil` tracks writes it within ``flushDelay``.
    func add(_ event: UsageEvent, ctx: ExecutionContext, logger: Logger) {
        let line = event.json.serialized
        let schedule = pending.withLock { pending in
            pending.lines.append(line)
            defer { pending.flushScheduled = true }
            return !pending.flushScheduled
        }
        guard schedule else { return }
        ctx.waitUntil {
            try? await Task.sleep(for: self.flushDelay)
            let lines = self.pending.withLock { pending in
                defer { pending = Pending() }
                return pending.lines
            }
            do {
                try await self.store.prepend(Self.key, entries: lines, cap: Self.cap)
            } catch {
                logger.warning("\(lines.count) recent events not recorded: \(error)")
            }
        }
    }

    /// The recent events, newest first.
    public func recent() async throws -> [JSONValue] {
        try await store.entries(Self.key, offset: 0, limit: Self.cap).compactMap { try? JSONValue(parsing: $0) }
    }
}
