import Glibc

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

/// How the stores without lists of their own keep a log in one value: entries as lines, newest
/// first. Only the lines a call needs are looked at, found with libc's `memchr`: a full log is
/// 10,000 lines, and splitting it into one array per line on every flush was most of a file
/// store's work.
enum CappedLogText {
    /// The first `limit` entries after skipping `offset`, newest first.
    static func page(_ bytes: [UInt8]?, offset: Int, limit: Int) -> [[UInt8]] {
        guard let bytes, limit > 0 else { return [] }
        let (offset, limit) = (max(0, offset), min(limit, Int.max - max(0, offset)))
        return lines(in: bytes, upTo: offset + limit).dropFirst(offset).map { Array(bytes[$0]) }
    }

    /// `entries` (oldest first) put at the head of the log in `bytes`, keeping the newest `cap`.
    static func prepending(_ entries: [[UInt8]], to bytes: [UInt8]?, cap: Int) -> [UInt8] {
        // Room for the old log up front: growing into it would copy the new lines and then
        // the whole log (megabytes) once more, onto freshly faulted pages.
        var log: [UInt8] = []
        log.reserveCapacity(entries.reduce(entries.count) { $0 + $1.count } + (bytes?.count ?? 0))
        for (index, entry) in entries.reversed().enumerated() {
            if index > 0 { log.append(UInt8(ascii: "\n")) }
            log.append(contentsOf: entry)
        }
        if let bytes, !bytes.isEmpty {
            log.append(UInt8(ascii: "\n"))
            log.append(contentsOf: bytes)
        }
        guard cap > 0 else { return [] }
        let kept = lines(in: log, upTo: cap)
        if kept.count == cap, let end = kept.last?.upperBound { log.removeSubrange(end...) }
        return log
    }

    /// The ranges of the first `count` non-empty lines of `bytes`.
    private static func lines(in bytes: [UInt8], upTo count: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var start = 0
            while start < raw.count, ranges.count < count {
                let end = memchr(base + start, 0x0A, raw.count - start).map { UnsafeRawPointer($0) - base } ?? raw.count
                if end > start { ranges.append(start..<end) }
                start = end + 1
            }
        }
        return ranges
    }
}
