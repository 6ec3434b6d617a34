public import EdgeRuntime

/// The response cache on a KV namespace: AES-256-GCM values, additional data = the storage key.
///
/// Absence is not an error: a missing, expired, corrupt, tampered or moved entry, or a KV
/// failure, is a miss (`nil`). Writes are one `put`, so no partial entry is ever visible.
public struct EncryptedCache: Sendable {
    public let kv: any KVNamespace
    public let clock: any WallClock
    public let logger: Logger

    public init(kv: any KVNamespace, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "cache")) {
        self.kv = kv
        self.clock = clock
        self.logger = logger
    }

    /// The fresh entry for `key`, or `nil`.
    public func lookup(_ key: CacheKey, maxAge: Int? = nil) async -> CacheEntry? {
        let stored: [UInt8]?
        do {
            stored = try await kv.get(key.storageKey)
        } catch {
            // A store failing fast (circuit open) was logged once, when it opened.
            if (error as? KVError)?.code != .unavailable { logger.warning("cache read failed, treating as a miss: \(error)") }
            return nil
        }
        guard let stored,
            let box = try? AESGCM.SealedBox(combined: stored),
            let plaintext = try? AESGCM.open(box, key: key.encryptionKey, authenticating: Array(key.storageKey.utf8)),
            let entry = CacheEntry(serialized: plaintext),
            entry.isFresh(at: clock.now(), maxAge: maxAge)
        else { return nil }
        return entry
    }

    /// Encrypts and stores `entry`; failures are logged, never thrown (a cache write is best effort).
    public func store(_ entry: CacheEntry, under key: CacheKey) async {
        do {
            let box = try AESGCM.seal(entry.serialized, key: key.encryptionKey, authenticating: Array(key.storageKey.utf8))
            try await kv.put(key.storageKey, box.combined, expirationTTL: .seconds(entry.ttl))
        } catch {
            if (error as? KVError)?.code != .unavailable { logger.warning("cache write failed: \(error)") }
        }
    }
}
