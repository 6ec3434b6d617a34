/// A key-value namespace, shaped like Workers KV.
///
/// Keys are any non-empty strings (up to 512 UTF-8 bytes); values are bytes. An expired entry is
/// never returned. Absence is not an error: `get` returns `nil`.
///
/// ```swift
/// let kv = try env.kv("CACHE")
/// try await kv.put("greeting", Array("hi".utf8), expirationTTL: .seconds(60))
/// let value = try await kv.get("greeting")   // [104, 105]
/// ```
public protocol KVNamespace: Sendable {
    /// The value and metadata stored under `key`, or `nil` when absent or expired.
    func getWithMetadata(_ key: String) async throws -> KVEntry?

    /// Stores `value` under `key`, replacing what was there; it expires after `expirationTTL`.
    func put(_ key: String, _ value: [UInt8], expirationTTL: Duration?, metadata: String?) async throws

    /// Removes `key`; removing an absent key succeeds.
    func delete(_ key: String) async throws

    /// Keys starting with `prefix`, in lexicographic (UTF-8 byte) order, at most `limit` per page.
    /// Pass the returned `cursor` back to get the next page.
    func list(prefix: String, limit: Int, cursor: String?) async throws -> KVListResult
}

/// A stored value and its metadata.
public struct KVEntry: Sendable, Equatable {
    public var value: [UInt8]
    public var metadata: String?
    public init(value: [UInt8], metadata: String? = nil) {
        self.value = value
        self.metadata = metadata
    }
}

/// One page of ``KVNamespace/list(prefix:limit:cursor:)``.
public struct KVListResult: Sendable, Equatable {
    public struct Key: Sendable, Equatable {
        public var name: String
        /// Unix time in seconds at which the key expires, if it does.
        public var expiration: Double?
        public var metadata: String?
        public init(name: String, expiration: Double? = nil, metadata: String? = nil) {
            self.name = name
            self.expiration = expiration
            self.metadata = metadata
        }
    }
    public var keys: [Key]
    /// `true` when this is the last page.
    public var listComplete: Bool
    /// Where the next page starts; `nil` on the last page.
    public var cursor: String?
    public init(keys: [Key], listComplete: Bool, cursor: String?) {
        self.keys = keys
        self.listComplete = listComplete
        self.cursor = cursor
    }
}

extension KVNamespace {
    /// The value stored under `key`, or `nil`.
    public func get(_ key: String) async throws -> [UInt8]? {
        try await getWithMetadata(key)?.value
    }

    /// Stores `value` with no metadata.
    public func put(_ key: String, _ value: [UInt8], expirationTTL: Duration? = nil) async throws {
        try await put(key, value, expirationTTL: expirationTTL, metadata: nil)
    }

    /// First page of keys with `prefix`, up to 1000 (the Workers default).
    public func list(prefix: String = "", limit: Int = 1000) async throws -> KVListResult {
        try await list(prefix: prefix, limit: limit, cursor: nil)
    }
}
