public import EdgeRuntime

/// A cached response: status, headers and body (for a stream, its SSE transcript), when it was
/// stored and for how long. Serialised as a JSON head line followed by the raw body bytes.
public struct CacheEntry: Sendable, Equatable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Unix seconds.
    public var cachedAt: Double
    /// Seconds.
    public var ttl: Int

    public init(status: Int, headers: [(String, String)], body: [UInt8], cachedAt: Double, ttl: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.cachedAt = cachedAt
        self.ttl = ttl
    }

    public static func == (a: CacheEntry, b: CacheEntry) -> Bool {
        a.status == b.status && a.body == b.body && a.cachedAt == b.cachedAt && a.ttl == b.ttl
            && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
    }

    /// Whether the entry may still be served at `now`, and is no older than `maxAge` seconds.
    public func isFresh(at now: Double, maxAge: Int?) -> Bool {
        let age = now - cachedAt
        guard age >= 0, age < Double(ttl) else { return false }
        if let maxAge, age > Double(maxAge) { return false }
        return true
    }

    var serialized: [UInt8] {
        let head: JSONValue = [
            "status": .number(status),
            "headers": .array(headers.map { [.string($0.0), .string($0.1)] }),
            "cached_at": .number(cachedAt),
            "ttl": .number(ttl),
        ]
        return head.serialized + [0x0A] + body
    }

    init?(serialized bytes: [UInt8]) {
        guard let newline = bytes.firstIndex(of: 0x0A),
            let head = try? JSONValue(parsing: Array(bytes[..<newline])),
            let status = head["status"]?.intValue,
            let cachedAt = head["cached_at"]?.doubleValue,
            let ttl = head["ttl"]?.intValue,
            let headerList = head["headers"]?.arrayValue
        else { return nil }
        var headers: [(String, String)] = []
        for pair in headerList {
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue else { return nil }
            headers.append((name, value))
        }
        self.init(status: status, headers: headers, body: Array(bytes[(newline + 1)...]), cachedAt: cachedAt, ttl: ttl)
    }
}
