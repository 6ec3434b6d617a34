public import EdgeRuntime

/// Resolved credentials kept in memory for a short while (`CREDENTIALS_CACHE_SECONDS`, 60).
///
/// Entries hold the decoded ``Credentials``, so a cached call costs one hash and one dictionary
/// lookup — no decryption or JSON per request (the endpoint secrets are in this process's memory
/// either way, while a call uses them; at rest in KV they stay sealed). Entries are found by a
/// SHA-256 of the token and org, never by the token itself. Bounded: the least recently used
/// entry goes first. A revoked key keeps working on an instance that cached it until its entry
/// expires. An expired entry is kept `staleIfError` seconds longer, served only when the control
/// store can't be read (stale-if-error), so a store outage doesn't turn into 401s or 503s for
/// keys this instance knows.
public final class CredentialCache: Sendable {
    private struct Slot {
        var credentials: Credentials
        var expires: Double
        var lastUse: UInt64
    }

    /// A slot's SHA-256 as four words: hashed and compared as such, where a `[UInt8]` key is
    /// hashed one byte at a time (~3k instructions a lookup, two lookups a call).
    private struct SlotKey: Hashable {
        let w0, w1, w2, w3: UInt64

        init(digest: [UInt8]) {
            precondition(digest.count == 32, "a SHA-256")
            (w0, w1, w2, w3) = digest.withUnsafeBytes { raw in
                (
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                )
            }
        }
    }

    private struct State {
        var slots: [SlotKey: Slot] = [:]
        var tick: UInt64 = 0
    }

    private let state = LockedValue(State())
    public let ttl: Double
    /// How long past `ttl` an entry may still answer while the store is unreachable.
    public let staleIfError: Double
    public let capacity: Int
    private let clock: any WallClock

    public init(
        ttl: Double = 60, staleIfError: Double = 600, capacity: Int = 10_000, clock: any WallClock = SystemWallClock()
    ) {
        self.ttl = ttl
        self.staleIfError = max(0, staleIfError)
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    public var count: Int { state.withLock { $0.slots.count } }

    /// The entry for `token` and `org` if it is younger than `ttl` — or, with `stale`, younger
    /// than `ttl + staleIfError` (for when the store can't answer).
    public func get(token: String, org: String?, stale: Bool = false) -> Credentials? {
        let slotKey = Self.slotKey(token: token, org: org)
        let now = clock.now()
        return state.withLock { state in
            guard var slot = state.slots[slotKey] else { return nil }
            guard slot.expires + staleIfError > now else {
                state.slots[slotKey] = nil
                return nil
            }
            guard slot.expires > now || stale else { return nil }
            state.tick += 1
            slot.lastUse = state.tick
            state.slots[slotKey] = slot
            return slot.credentials
        }
    }

    public func put(_ credentials: Credentials, token: String, org: String?) {
        let slotKey = Self.slotKey(token: token, org: org)
        let expires = clock.now() + ttl
        state.withLock { state in
            state.tick += 1
            state.slots[slotKey] = Slot(credentials: credentials, expires: expires, lastUse: state.tick)
            if state.slots.count > capacity {
                // Drop the least recently used sixteenth at once: one sort per many inserts.
                let excess = state.slots.count - (capacity - capacity / 16)
                for (slot, _) in state.slots.sorted(by: { $0.value.lastUse < $1.value.lastUse }).prefix(excess) {
                    state.slots[slot] = nil
                }
            }
        }
    }

    /// SHA-256 of `aiproxy creds slot v1:<token>\n<org>`, its input written as bytes.
    private static func slotKey(token: String, org: String?) -> SlotKey {
        var input: [UInt8] = []
        input.reserveCapacity(slotPrefix.count + token.utf8.count + 1 + (org?.utf8.count ?? 0))
        input.append(contentsOf: slotPrefix)
        input.append(contentsOf: token.utf8)
        input.append(UInt8(ascii: "\n"))
        if let org { input.append(contentsOf: org.utf8) }
        return SlotKey(digest: SHA256.hash(input))
    }

    private static let slotPrefix = Array("aiproxy creds slot v1:".utf8)
}
