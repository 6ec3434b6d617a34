import Glibc

/// An in-memory ``KVNamespace``: bounded by entries and bytes, least recently used evicted first.
///
/// For tests and single-instance setups; nothing survives the process.
public final class MemoryKV: KVNamespace {
    private struct Item {
        var entry: KVEntry
        var expires: Double?
        var lastUse: UInt64
        var size: Int { entry.value.count + (entry.metadata?.utf8.count ?? 0) }
    }

    /// A key compared by its UTF-8 bytes: Swift's `String` equality would merge canonically
    /// equivalent keys (NFC "é" and NFD "e\u{301}"), which are distinct keys in Workers KV and FileKV.
    private struct ByteKey: Hashable {
        let name: String
        init(_ name: String) { self.name = name }
        // Over the UTF-8 bytes at once (a cache key is ~50 of them): compared and hashed byte by
        // byte through `UTF8View`, one lookup cost ~12k instructions.
        static func == (a: ByteKey, b: ByteKey) -> Bool {
            var (first, second) = (a.name, b.name)
            return first.withUTF8 { first in
                second.withUTF8 { second in
                    first.count == second.count
                        && (first.isEmpty || memcmp(first.baseAddress!, second.baseAddress!, first.count) == 0)
                }
            }
        }
        func hash(into hasher: inout Hasher) {
            var name = name
            name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    private struct State {
        var items: [ByteKey: Item] = [:]
        var bytes = 0
        var tick: UInt64 = 0
    }

    private let state = LockedValue(State())
    public let maxEntries: Int
    public let maxBytes: Int
    private let clock: any WallClock

    public init(maxEntries: Int = 100_000, maxBytes: Int = 256 << 20, clock: any WallClock = SystemWallClock()) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
        self.clock = clock
    }

    /// Live entries (expired ones still held count until touched).
    public var count: Int { state.withLock { $0.items.count } }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVKeyRules.validate(key)
        let now = clock.now()
        return state.withLock { state in
            let key = ByteKey(key)
            guard var item = state.items[key] else { return nil }
            if let expires = item.expires, expires <= now {
                state.bytes -= item.size
                state.items[key] = nil
                return nil
            }
            state.tick += 1
            item.lastUse = state.tick
            state.items[key] = item
            return item.entry
        }
    }

    public func put(_ key: String, _ value: [UInt8], expirationTTL: Duration?, metadata: String?) async throws {
        try KVKeyRules.validate(key)
        let expires = try KVKeyRules.expiry(expirationTTL, now: clock.now())
        let item = Item(entry: KVEntry(value: value, metadata: metadata), expires: expires, lastUse: 0)
        guard item.size <= maxBytes else {
            throw KVError(
                code: .invalidArgument, message: "value is larger than the namespace's \(maxBytes)-byte bound")
        }
        let key = ByteKey(key)
        state.withLock { state in
            if let old = state.items[key] { state.bytes -= old.size }
            state.tick += 1
            var stored = item
            stored.lastUse = state.tick
            state.items[key] = stored
            state.bytes += stored.size
            if state.items.count > maxEntries || state.bytes > maxBytes { evict(&state, keeping: key) }
        }
    }

    /// Drops least recently used entries down to 15/16 of both bounds, so the sort is paid once
    /// per many inserts rather than a full scan on every insert at capacity.
    private func evict(_ state: inout State, keeping key: ByteKey) {
        let entryTarget = maxEntries - maxEntries / 16
        let byteTarget = maxBytes - maxBytes / 16
        for (victim, item) in state.items.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard state.items.count > entryTarget || state.bytes > byteTarget else { break }
            if victim == key { continue }
            state.bytes -= item.size
            state.items[victim] = nil
        }
    }

    public func delete(_ key: String) async throws {
        try KVKeyRules.validate(key)
        state.withLock { state in
            if let old = state.items.removeValue(forKey: ByteKey(key)) { state.bytes -= old.size }
        }
    }

    public func list(prefix: String, limit: Int, cursor: String?) async throws -> KVListResult {
        try KVKeyRules.validateList(limit: limit)
        let after = try KVKeyRules.key(fromCursor: cursor)
        let now = clock.now()
        let matching: [(String, Item)] = state.withLock { state in
            state.items.filter { key, item in
                KVKeyRules.hasPrefix(key.name, prefix) && (item.expires.map { $0 > now } ?? true)
                    && (after.map { KVKeyRules.precedes($0, key.name) } ?? true)
            }.map { ($0.key.name, $0.value) }
        }.sorted { KVKeyRules.precedes($0.0, $1.0) }
        let page = matching.prefix(limit)
        let complete = matching.count <= limit
        return KVListResult(
            keys: page.map { KVListResult.Key(name: $0.0, expiration: $0.1.expires, metadata: $0.1.entry.metadata) },
            listComplete: complete, cursor: complete ? nil : page.last.map { KVKeyRules.cursor(after: $0.0) })
    }
}

extension MemoryKV: KVCounting {
    public func increment(_ key: String, by amounts: [(String, Int64)], expirationTTL: Duration?) async throws {
        try update(key, expirationTTL: expirationTTL) { CounterText.adding(amounts, to: $0) }
    }

    public func counters(_ key: String) async throws -> [String: Int64] { CounterText.decode(try await get(key)) }

    public func counterKeys(prefix: String) async throws -> [String] { try await listedKeys(prefix: prefix) }
}

extension MemoryKV: KVCappedLog {
    public func prepend(_ key: String, entries: [[UInt8]], cap: Int) async throws {
        try update(key, expirationTTL: nil) { CappedLogText.prepending(entries, to: $0, cap: cap) }
    }

    public func entries(_ key: String, offset: Int, limit: Int) async throws -> [[UInt8]] {
        CappedLogText.page(try await get(key), offset: offset, limit: limit)
    }
}

extension MemoryKV {
    /// Replaces `key`'s value (`nil` when absent or expired) with `change(value)` under the lock.
    func update(_ key: String, expirationTTL: Duration?, _ change: ([UInt8]?) -> [UInt8]) throws {
        try KVKeyRules.validate(key)
        let now = clock.now()
        let expires = try KVKeyRules.expiry(expirationTTL, now: now)
        state.withLock { state in
            let name = ByteKey(key)
            let current = state.items[name].flatMap { item in
                item.expires.map { $0 > now } ?? true ? item.entry.value : nil
            }
            if let old = state.items[name] { state.bytes -= old.size }
            state.tick += 1
            let item = Item(
                entry: KVEntry(value: change(current), metadata: nil), expires: expires, lastUse: state.tick)
            state.items[name] = item
            state.bytes += item.size
        }
    }
}
