public import EdgeRuntime
import Synchronization

/// Resolved credentials kept in memory for a short while (`CREDENTIALS_CACHE_SECONDS`, 60).
///
/// Entries are found by a hash of the token and org, and sealed with AES-256-GCM under a key
/// derived from the token, so the cache holds no secret that can be read without the token.
/// Bounded: the least recently used entry goes first. A revoked key keeps working on an
/// instance that cached it until its entry expires. An expired entry is kept `staleIfError`
/// seconds longer, served only when the control store can't be read (stale-if-error), so a
/// store outage doesn't turn into 401s or 503s for keys this instance knows.
public final class CredentialCache: Sendable {
    private struct Slot {
        var sealed: [UInt8]
        var expires: Double
        var lastUse: UInt64
    }

    private struct State {
        var slots: [String: Slot] = [:]
        var tick: UInt64 = 0
    }

    private let state = Mutex(State())
    public let ttl: Double
    /// How long past `ttl` an entry may still answer while the store is unreachable.
    public let staleIfError: Double
    public let capacity: Int
    private let clock: any WallClock

    public init(ttl: Double = 60, staleIfError: Double = 600, capacity: Int = 10_000, clock: any WallClock = SystemWallClock()) {
        self.ttl = ttl
        self.staleIfError = max(0, staleIfError)
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    public var count: Int { state.withLock { $0.slots.count } }

    /// The entry for `token` and `org` if it is younger than `ttl` — or, with `stale`, younger
    /// than `ttl + staleIfError` (for when the store can't answer).
    public func get(token: String, org: String?, stale: Bool = false) -> Credentials? {
        let (slotKey, aesKey) = Self.keys(token: token, org: org)
        let now = clock.now()
        let sealed: [UInt8]? = state.withLock { state in
            guard var slot = state.slots[slotKey] else { return nil }
            guard slot.expires + staleIfError > now else {
                state.slots[slotKey] = nil
                return nil
            }
            guard slot.expires > now || stale else { return nil }
            state.tick += 1
            slot.lastUse = state.tick
            state.slots[slotKey] = slot
            return slot.sealed
        }
        guard let sealed, let box = try? AESGCM.SealedBox(combined: sealed),
            let plaintext = try? AESGCM.open(box, key: aesKey, authenticating: Array(slotKey.utf8)),
            let json = try? JSONValue(parsing: plaintext)
        else { return nil }
        return Self.credentials(from: json)
    }

    public func put(_ credentials: Credentials, token: String, org: String?) {
        let (slotKey, aesKey) = Self.keys(token: token, org: org)
        guard let box = try? AESGCM.seal(Self.json(credentials).serialized, key: aesKey, authenticating: Array(slotKey.utf8)) else { return }
        let expires = clock.now() + ttl
        state.withLock { state in
            state.tick += 1
            state.slots[slotKey] = Slot(sealed: box.combined, expires: expires, lastUse: state.tick)
            if state.slots.count > capacity {
                // Drop the least recently used sixteenth at once: one sort per many inserts.
                let excess = state.slots.count - (capacity - capacity / 16)
                for (slot, _) in state.slots.sorted(by: { $0.value.lastUse < $1.value.lastUse }).prefix(excess) {
                    state.slots[slot] = nil
                }
            }
        }
    }

    private static func keys(token: String, org: String?) -> (String, [UInt8]) {
        let material = Array("\(token)\n\(org ?? "")".utf8)
        let slotKey = Base64URL.encode(SHA256.hash(Array("aiproxy creds slot v1:".utf8) + material))
        let aesKey = SHA256.hash(Array("aiproxy creds key v1:".utf8) + material)
        return (slotKey, aesKey)
    }

    private static func json(_ credentials: Credentials) -> JSONValue {
        [
            "org": credentials.org.map(JSONValue.string) ?? .null,
            "proxy": .bool(credentials.isProxyKey),
            "endpoints": .array(credentials.endpoints.map { $0.json(includingSecret: true) }),
        ]
    }

    private static func credentials(from json: JSONValue) -> Credentials? {
        guard let endpoints = json["endpoints"]?.arrayValue else { return nil }
        let decoded = endpoints.compactMap(Endpoint.init(json:))
        return Credentials(org: json["org"]?.stringValue, endpoints: decoded, isProxyKey: json["proxy"]?.boolValue ?? false)
    }
}
