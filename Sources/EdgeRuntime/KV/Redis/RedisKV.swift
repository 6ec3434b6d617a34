/// A ``KVNamespace`` on Redis, so many instances share one store (DESIGN §7).
///
/// Each key is stored as `<prefix><key>` with `SET … PX`, its value a `KVRecord` (key, expiry,
/// metadata, value). Redis expires entries on its own; reads also check the recorded expiry
/// against the injected clock, so an entry is never served past its TTL. `list` walks
/// `SCAN MATCH <prefix>*`, sorts, and pages with the same opaque cursors as the other backends.
/// Commands go through a ``RedisClient`` (shared by the namespaces on one server): pipelined
/// hiredis async connections on the event loops, a deadline per command and a circuit breaker.
/// Reads may have a shorter deadline than writes: a cache read is never worth a long wait.
public final class RedisKV: KVNamespace, DependencyHealthReporting {
    public let client: RedisClient
    public let prefix: String
    /// Longest wait for a command other than a read.
    public let timeout: Duration
    /// Longest wait for a read (`get`).
    public let readTimeout: Duration
    private let clock: any WallClock

    /// - Parameters:
    ///   - prefix: namespaces sharing one Redis database keep apart by prefix (e.g. `aiproxy:CACHE:`).
    ///   - readTimeout: for `get`; `nil` means `timeout`.
    public init(
        client: RedisClient, prefix: String, timeout: Duration = .seconds(2), readTimeout: Duration? = nil,
        clock: any WallClock = SystemWallClock()
    ) {
        self.client = client
        self.prefix = prefix
        self.timeout = timeout
        self.readTimeout = readTimeout ?? timeout
        self.clock = clock
    }

    /// A namespace with a client of its own on `group`'s loops.
    public convenience init(
        url: RedisURL, group: EventLoopGroup, prefix: String, timeout: Duration = .seconds(2),
        clock: any WallClock = SystemWallClock()
    ) {
        self.init(
            client: RedisClient(url: url, group: group, clock: clock), prefix: prefix, timeout: timeout, clock: clock)
    }

    public var url: RedisURL { client.url }

    public var health: DependencyHealth { client.health }

    private func command(_ parts: [String], _ binary: [UInt8]? = nil, timeout: Duration? = nil) async throws
        -> RedisReply
    {
        var arguments = parts.map { Array($0.utf8) }
        if let binary { arguments.insert(binary, at: min(2, arguments.count)) }
        return try await client.run(arguments, timeout: timeout ?? self.timeout)
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVKeyRules.validate(key)
        guard case .bytes(let bytes) = try await command(["GET", prefix + key], timeout: readTimeout),
            let record = KVRecord(decoding: bytes),
            record.key == key
        else { return nil }
        if let expires = record.expires, expires <= clock.now() { return nil }
        return KVEntry(value: record.value, metadata: record.metadata)
    }

    public func put(_ key: String, _ value: [UInt8], expirationTTL: Duration?, metadata: String?) async throws {
        try KVKeyRules.validate(key)
        let expires = try KVKeyRules.expiry(expirationTTL, now: clock.now())
        let record = KVRecord(key: key, expires: expires, metadata: metadata, value: value)
        var parts = ["SET", prefix + key]
        if let expirationTTL {
            let (seconds, attoseconds) = expirationTTL.components
            parts += ["PX", String(max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)))]
        }
        _ = try await command(parts, record.encoded)
    }

    public func delete(_ key: String) async throws {
        try KVKeyRules.validate(key)
        _ = try await command(["DEL", prefix + key])
    }

    public func list(prefix keyPrefix: String, limit: Int, cursor: String?) async throws -> KVListResult {
        try KVKeyRules.validateList(limit: limit)
        let after = try KVKeyRules.key(fromCursor: cursor)
        let names = try await scanNames(prefix: keyPrefix, type: nil)
        let now = clock.now()
        let sorted = names.values.filter { name in after.map { KVKeyRules.precedes($0, name) } ?? true }
            .sorted { KVKeyRules.precedes($0, $1) }
        var keys: [KVListResult.Key] = []
        var index = 0
        // Fetch in small batches until the page is full: entries may have expired meanwhile.
        while keys.count < limit && index < sorted.count {
            let batch = Array(sorted[index..<min(sorted.count, index + limit - keys.count)])
            index += batch.count
            guard case .array(let values) = try await command(["MGET"] + batch.map { prefix + $0 }) else { continue }
            for (name, value) in zip(batch, values) {
                guard case .bytes(let bytes) = value, let record = KVRecord(decoding: bytes, headerOnly: true),
                    record.key == name,
                    record.expires.map({ $0 > now }) ?? true
                else { continue }
                keys.append(KVListResult.Key(name: name, expiration: record.expires, metadata: record.metadata))
            }
        }
        let complete = index >= sorted.count
        return KVListResult(
            keys: keys, listComplete: complete,
            cursor: complete ? nil : keys.last.map { KVKeyRules.cursor(after: $0.name) })
    }

    /// Escapes Redis glob characters so a prefix matches literally.
    static func globEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "*?[]\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

extension RedisKV: KVCounting {
    /// `HINCRBY` for each counter and `PEXPIRE`, in one script (one round trip, atomic).
    public func increment(_ key: String, by amounts: [(String, Int64)], expirationTTL: Duration?) async throws {
        try KVKeyRules.validate(key)
        var arguments = [String(expirationTTL.map { max(1, $0.milliseconds) } ?? 0)]
        for (name, amount) in amounts { arguments += [name, String(amount)] }
        _ = try await client.evaluate(
            Self.increment, keys: [Array((prefix + key).utf8)], arguments: arguments.map { Array($0.utf8) },
            timeout: timeout)
    }

    /// KEYS: the hash. ARGV: its expiry in ms (0: none), then counter names and amounts.
    static let increment = RedisScript(
        name: "kv-increment",
        source: """
            for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
            if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return 1
            """)

    public func counters(_ key: String) async throws -> [String: Int64] {
        try KVKeyRules.validate(key)
        guard case .array(let reply) = try await command(["HGETALL", prefix + key], timeout: readTimeout) else {
            throw KVError(code: .backend, message: "redis: unexpected HGETALL reply")
        }
        var counters: [String: Int64] = [:]
        var index = 0
        while index + 1 < reply.count {
            if case .bytes(let name) = reply[index], case .bytes(let value) = reply[index + 1],
                let number = Int64(String(decoding: value, as: UTF8.self))
            {
                counters[String(decoding: name, as: UTF8.self)] = number
            }
            index += 2
        }
        return counters
    }

    public func counterKeys(prefix keyPrefix: String) async throws -> [String] {
        try await scanNames(prefix: keyPrefix, type: "hash").values.sorted()
    }
}

extension RedisKV: KVCappedLog {
    /// `LPUSH` of every entry and `LTRIM` to the cap, in one script.
    public func prepend(_ key: String, entries: [[UInt8]], cap: Int) async throws {
        try KVKeyRules.validate(key)
        guard !entries.isEmpty else { return }
        _ = try await client.evaluate(
            Self.prepend, keys: [Array((prefix + key).utf8)], arguments: [Array(String(max(1, cap)).utf8)] + entries,
            timeout: timeout)
    }

    /// KEYS: the list. ARGV: the cap, then the entries, oldest first.
    static let prepend = RedisScript(
        name: "kv-prepend",
        source: """
            for i = 2, #ARGV do redis.call('LPUSH', KEYS[1], ARGV[i]) end
            redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[1]) - 1)
            return 1
            """)

    public func entries(_ key: String, offset: Int, limit: Int) async throws -> [[UInt8]] {
        try KVKeyRules.validate(key)
        guard limit > 0 else { return [] }
        guard
            case .array(let items) = try await command(
                ["LRANGE", prefix + key, String(max(0, offset)), String(max(0, offset) + limit - 1)],
                timeout: readTimeout)
        else { throw KVError(code: .backend, message: "redis: unexpected LRANGE reply") }
        return items.compactMap { if case .bytes(let bytes) = $0 { return bytes } else { return nil } }
    }
}

extension RedisKV {
    /// The names (without the namespace prefix) of the keys starting with `keyPrefix`, of a Redis
    /// `type` if given, by `SCAN`. Deduplicated by bytes (SCAN may repeat keys): a Set<String>
    /// would merge NFC and NFD spellings of one name, which are different keys.
    func scanNames(prefix keyPrefix: String, type: String?) async throws -> [[UInt8]: String] {
        let pattern = Self.globEscaped(prefix + keyPrefix) + "*"
        var names: [[UInt8]: String] = [:]
        var scanCursor = "0"
        repeat {
            let filter = type.map { ["TYPE", $0] } ?? []
            guard
                case .array(let reply) = try await command(
                    ["SCAN", scanCursor, "MATCH", pattern] + filter + ["COUNT", "1000"]),
                reply.count == 2, case .bytes(let nextCursor) = reply[0], case .array(let keys) = reply[1]
            else { throw KVError(code: .backend, message: "redis: unexpected SCAN reply") }
            for case .bytes(let name) in keys {
                let bytes = Array(name.dropFirst(prefix.utf8.count))
                names[bytes] = String(decoding: bytes, as: UTF8.self)
            }
            scanCursor = String(decoding: nextCursor, as: UTF8.self)
        } while scanCursor != "0"
        return names
    }
}
