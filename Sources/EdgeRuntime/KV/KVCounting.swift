/// A namespace that adds to named counters atomically — usage rollups that many instances add to
/// at once: Redis `HINCRBY` (one script per call), a read-modify-write serialized by the namespace
/// itself in memory and on disk. Workers KV has no such call (Cloudflare's answer is a Durable
/// Object); this runtime's stores offer it alongside the KV API.
public protocol KVCounting: KVNamespace {
    /// Adds `amounts` to the counters held under `key` (missing ones start at 0) and sets the
    /// key's expiry.
    func increment(_ key: String, by amounts: [(String, Int64)], expirationTTL: Duration?) async throws

    /// The counters under `key` (empty when there are none).
    func counters(_ key: String) async throws -> [String: Int64]

    /// The keys holding counters that start with `prefix`, sorted.
    func counterKeys(prefix: String) async throws -> [String]
}

/// How the stores without counters of their own keep them in a value: `name value` lines.
enum CounterText {
    static func decode(_ bytes: [UInt8]?) -> [String: Int64] {
        guard let bytes else { return [:] }
        var counters: [String: Int64] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int64(parts[1]) { counters[String(parts[0])] = value }
        }
        return counters
    }

    static func encode(_ counters: [String: Int64]) -> [UInt8] {
        Array(counters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined().utf8)
    }

    static func adding(_ amounts: [(String, Int64)], to bytes: [UInt8]?) -> [UInt8] {
        var counters = decode(bytes)
        for (name, amount) in amounts where !name.contains(" ") && !name.contains("\n") {
            counters[name, default: 0] += amount
        }
        return encode(counters)
    }
}

extension KVCounting {
    /// Local stores: the keys are the namespace's own keys under `prefix`.
    func listedKeys(prefix: String) async throws -> [String] {
        var keys: [String] = []
        var cursor: String?
        repeat {
            let page = try await list(prefix: prefix, limit: 1000, cursor: cursor)
            keys += page.keys.map(\.name)
            cursor = page.listComplete ? nil : page.cursor
        } while cursor != nil
        return keys
    }
}
