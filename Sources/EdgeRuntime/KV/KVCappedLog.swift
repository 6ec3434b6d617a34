/// A namespace that keeps a capped log under a key, newest first — a fleet's recent events, which
/// many instances add to at once: Redis `LPUSH` + `LTRIM` in one script; a serialized
/// read-modify-write of one value in memory and on disk (lines, newest first).
public protocol KVCappedLog: KVNamespace {
    /// Adds `entries` (oldest first; none may hold a newline) at the head of the log under `key`
    /// and keeps the newest `cap`.
    func prepend(_ key: String, entries: [[UInt8]], cap: Int) async throws

    /// Up to `limit` entries after skipping the newest `offset`, newest first.
    func entries(_ key: String, offset: Int, limit: Int) async throws -> [[UInt8]]
}

/// How the stores without lists of their own keep a log in one value: entries as lines, newest first.
enum CappedLogText {
    static func decode(_ bytes: [UInt8]?) -> [[UInt8]] {
        guard let bytes else { return [] }
        return bytes.split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    static func prepending(_ entries: [[UInt8]], to bytes: [UInt8]?, cap: Int) -> [UInt8] {
        let kept = Array((entries.reversed() + decode(bytes)).prefix(max(0, cap)))
        return Array(kept.joined(separator: [UInt8(ascii: "\n")]))
    }

    static func page(_ bytes: [UInt8]?, offset: Int, limit: Int) -> [[UInt8]] {
        Array(decode(bytes).dropFirst(max(0, offset)).prefix(max(0, limit)))
    }
}
