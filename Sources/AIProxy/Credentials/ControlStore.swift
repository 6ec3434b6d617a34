public import EdgeRuntime

/// Orgs' keys and endpoints on the `CONTROL` KV namespace.
///
/// Keys are stored under the hash of the token (`aiproxy/keys/v1:<hash>`); endpoints under
/// `aiproxy/endpoints/v1:<org>/<name>` with their secret sealed by AES-256-GCM under a key
/// derived from `AIPROXY_MASTER_KEY`, the KV key as additional data; orgs under
/// `aiproxy/orgs/v1:<org>` (``OrgRecord``, its shared-cache secret sealed the same way). No token
/// or secret is ever in a KV key or in plain text in a value.
public struct ControlStore: Sendable {
    static let keyPrefix = "aiproxy/keys/v1:"
    static let endpointPrefix = "aiproxy/endpoints/v1:"

    public let kv: any KVNamespace
    private let sealingKey: [UInt8]?
    private let clock: any WallClock

    /// - Parameter masterKey: `AIPROXY_MASTER_KEY`; without it endpoints can't be stored or read.
    public init(kv: any KVNamespace, masterKey: String?, clock: any WallClock = SystemWallClock()) throws {
        self.kv = kv
        self.clock = clock
        sealingKey = try masterKey.map {
            try HKDFSHA256.deriveKey(
                inputKeyMaterial: Array($0.utf8), salt: Array("aiproxy control store".utf8),
                info: Array("aiproxy endpoint secrets v1".utf8), outputByteCount: 32)
        }
    }

    // MARK: keys

    /// Issues a key for `orgs`, with `changes` (``KeyRecord/applying(_:now:)``: limits, expiry, …)
    /// applied; the token is returned once and never stored.
    public func createKey(name: String, orgs: [String], changes: JSONValue = [:]) async throws -> (
        token: String, record: KeyRecord
    ) {
        guard !orgs.isEmpty, orgs.allSatisfy(Self.isValidName) else {
            throw ProxyError.invalidRequest("org names must be 1-64 letters, digits, '-', '_' or '.'")
        }
        let token = ProxyKey.generate()
        let hash = ProxyKey.hash(token)
        let now = clock.now()
        let record = try KeyRecord(id: ProxyKey.id(forHash: hash), name: name, orgs: orgs, createdAt: now).applying(
            changes, now: now)
        try await kv.put(Self.keyPrefix + hash, record.json.serialized)
        return (token, record)
    }

    /// The record with this id, or `nil`.
    public func key(id: String) async throws -> KeyRecord? {
        try await storedKey(id: id)?.1
    }

    /// Applies `changes` to the key with this id and stores it; `nil` when there is none. Takes
    /// effect on each instance when its credential cache lets the old record go (≤ 60 s).
    public func updateKey(id: String, changes: JSONValue) async throws -> KeyRecord? {
        guard let (storageKey, record) = try await storedKey(id: id) else { return nil }
        let updated = try record.applying(changes, now: clock.now())
        try await kv.put(storageKey, updated.json.serialized)
        return updated
    }

    /// A new secret for the key with this id, which keeps its id, limits and history; the old
    /// secret stops working (on each instance once its credential cache lets it go).
    public func rotateKey(id: String) async throws -> (token: String, record: KeyRecord)? {
        guard let (storageKey, record) = try await storedKey(id: id) else { return nil }
        let token = ProxyKey.generate()
        try await kv.put(Self.keyPrefix + ProxyKey.hash(token), record.json.serialized)
        try await kv.delete(storageKey)
        return (token, record)
    }

    private func storedKey(id: String) async throws -> (String, KeyRecord)? {
        for (storageKey, bytes) in try await allValues(prefix: Self.keyPrefix) {
            if let record = (try? JSONValue(parsing: bytes)).flatMap(KeyRecord.init(json:)), record.id == id {
                return (storageKey, record)
            }
        }
        return nil
    }

    /// The record of a presented token, or `nil` when it was never issued or was revoked.
    public func key(forToken token: String) async throws -> KeyRecord? {
        guard let bytes = try await kv.get(Self.keyPrefix + ProxyKey.hash(token)) else { return nil }
        return (try? JSONValue(parsing: bytes)).flatMap(KeyRecord.init(json:))
    }

    public func listKeys() async throws -> [KeyRecord] {
        try await allValues(prefix: Self.keyPrefix).compactMap { _, bytes in
            (try? JSONValue(parsing: bytes)).flatMap(KeyRecord.init(json:))
        }.sorted { $0.createdAt < $1.createdAt }
    }

    /// Revokes the key with this id (or this token); `false` when there is none.
    public func revokeKey(_ idOrToken: String) async throws -> Bool {
        if ProxyKey.isProxyKey(idOrToken) {
            let storageKey = Self.keyPrefix + ProxyKey.hash(idOrToken)
            guard try await kv.get(storageKey) != nil else { return false }
            try await kv.delete(storageKey)
            return true
        }
        for (storageKey, bytes) in try await allValues(prefix: Self.keyPrefix) {
            if (try? JSONValue(parsing: bytes)).flatMap(KeyRecord.init(json:))?.id == idOrToken {
                try await kv.delete(storageKey)
                return true
            }
        }
        return false
    }

    // MARK: endpoints

    public func addEndpoint(_ endpoint: Endpoint, org: String) async throws {
        guard Self.isValidName(org), Self.isValidName(endpoint.name) else {
            throw ProxyError.invalidRequest("org and endpoint names must be 1-64 letters, digits, '-', '_' or '.'")
        }
        let storageKey = Self.endpointPrefix + org + "/" + endpoint.name
        let json = endpoint.json(includingSecret: false).setting(
            "secret_sealed", to: .string(try seal(Array(endpoint.secret.utf8), context: storageKey)))
        try await kv.put(storageKey, json.serialized)
    }

    /// The org's endpoints with their secrets opened; an entry that fails to open is skipped.
    public func endpoints(org: String) async throws -> [Endpoint] {
        // Without the master key no secret opens: say so rather than find no endpoints.
        _ = try requireSealingKey()
        return try await allValues(prefix: Self.endpointPrefix + org + "/").compactMap { storageKey, bytes in
            guard let json = try? JSONValue(parsing: bytes), var endpoint = Endpoint(json: json),
                let sealedText = json["secret_sealed"]?.stringValue, let secret = open(sealedText, context: storageKey)
            else { return nil }
            endpoint.secret = String(decoding: secret, as: UTF8.self)
            return endpoint
        }.sorted { $0.name < $1.name }
    }

    /// The org's endpoints without secrets, for listing (needs no master key).
    public func listEndpoints(org: String) async throws -> [Endpoint] {
        try await allValues(prefix: Self.endpointPrefix + org + "/").compactMap { _, bytes in
            (try? JSONValue(parsing: bytes)).flatMap(Endpoint.init(json:))
        }.sorted { $0.name < $1.name }
    }

    public func removeEndpoint(org: String, name: String) async throws -> Bool {
        let storageKey = Self.endpointPrefix + org + "/" + name
        guard try await kv.get(storageKey) != nil else { return false }
        try await kv.delete(storageKey)
        return true
    }

    // MARK: helpers

    private func requireSealingKey() throws -> [UInt8] {
        guard let sealingKey else {
            throw ProxyError.invalidRequest(
                "AIPROXY_MASTER_KEY is not set: endpoint and org cache secrets can't be sealed or opened")
        }
        return sealingKey
    }

    /// `plaintext` sealed with AES-256-GCM under the master key's sealing key, `context` (the KV
    /// key it is stored under, and what it is) as additional data, as base64url text.
    /// - Throws: ``ProxyError/invalidRequest(_:)`` without `AIPROXY_MASTER_KEY`.
    /// - Note: never inlined: inlined into an async caller, the release compiler (Swift 6.x)
    ///   crashes splitting the caller's coroutine.
    @inline(never)
    func seal(_ plaintext: [UInt8], context: String) throws -> String {
        let sealed = try AESGCM.seal(plaintext, key: try requireSealingKey(), authenticating: Array(context.utf8))
        return Base64URL.encode(sealed.combined)
    }

    /// What ``seal(_:context:)`` made of it, or `nil` when it can't be opened (no master key or
    /// another one, another context, corrupt).
    func open(_ sealedText: String, context: String) -> [UInt8]? {
        guard let sealingKey, let sealed = Base64URL.decode(sealedText),
            let box = try? AESGCM.SealedBox(combined: sealed)
        else { return nil }
        return try? AESGCM.open(box, key: sealingKey, authenticating: Array(context.utf8))
    }

    private func allValues(prefix: String) async throws -> [(String, [UInt8])] {
        var results: [(String, [UInt8])] = []
        var cursor: String?
        repeat {
            let page = try await kv.list(prefix: prefix, limit: 1000, cursor: cursor)
            for key in page.keys {
                if let value = try await kv.get(key.name) { results.append((key.name, value)) }
            }
            cursor = page.listComplete ? nil : page.cursor
        } while cursor != nil
        return results
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }
}
