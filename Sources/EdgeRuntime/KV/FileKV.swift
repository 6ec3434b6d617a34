import Dispatch
import FoundationEssentials
import Glibc

/// A ``KVNamespace`` on disk: one file per key under a directory (`kv-data/…` for local dev).
///
/// File names are base64url(SHA-256(key)) in 256 shard folders, so any key maps to a safe,
/// fixed-length name; the key itself is stored inside the file (see `KVRecord`). Writes go to
/// a temporary file in the same folder, are fsynced, then renamed over the target: readers see
/// the old value or the new one, never a torn one, even if the process dies mid-write.
/// Expired entries are never returned; reads delete them and ``sweepExpired()`` removes the rest.
/// Blocking file I/O runs on the namespace's own dispatch queue, never on the cooperative pool.
public final class FileKV: KVNamespace {
    public let directory: String
    private let clock: any WallClock
    private let queue = DispatchQueue(label: "file-kv", attributes: .concurrent)

    /// Opens (and creates if needed) the namespace in `directory`.
    /// - Throws: ``KVError`` `.backend` when the directory can't be created.
    public init(directory: String, clock: any WallClock = SystemWallClock()) throws {
        self.directory = directory
        self.clock = clock
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw KVError(code: .backend, message: "cannot create KV directory \(directory)", underlying: error)
        }
    }

    public func getWithMetadata(_ key: String) async throws -> KVEntry? {
        try KVKeyRules.validate(key)
        let path = self.path(for: key)
        let now = clock.now()
        return try await onQueue {
            guard let record = try Self.read(path), record.key == key else { return nil }
            if let expires = record.expires, expires <= now {
                unlink(path)
                return nil
            }
            return KVEntry(value: record.value, metadata: record.metadata)
        }
    }

    public func put(_ key: String, _ value: [UInt8], expirationTTL: Duration?, metadata: String?) async throws {
        try KVKeyRules.validate(key)
        let record = KVRecord(
            key: key, expires: try KVKeyRules.expiry(expirationTTL, now: clock.now()), metadata: metadata, value: value)
        let path = self.path(for: key)
        try await onQueue { try Self.writeAtomically(record.encoded, to: path) }
    }

    public func delete(_ key: String) async throws {
        try KVKeyRules.validate(key)
        let path = self.path(for: key)
        try await onQueue {
            if unlink(path) != 0 && errno != ENOENT {
                throw KVError(code: .backend, message: "cannot delete \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    public func list(prefix: String, limit: Int, cursor: String?) async throws -> KVListResult {
        try KVKeyRules.validateList(limit: limit)
        let after = try KVKeyRules.key(fromCursor: cursor)
        let now = clock.now()
        let records = try await onQueue { self.allRecordPaths().map(\.1) }
        let matching = records.filter { record in
            KVKeyRules.hasPrefix(record.key, prefix) && (record.expires.map { $0 > now } ?? true)
                && (after.map { KVKeyRules.precedes($0, record.key) } ?? true)
        }.sorted { KVKeyRules.precedes($0.key, $1.key) }
        let page = matching.prefix(limit)
        let complete = matching.count <= limit
        return KVListResult(
            keys: page.map { KVListResult.Key(name: $0.key, expiration: $0.expires, metadata: $0.metadata) },
            listComplete: complete, cursor: complete ? nil : page.last.map { KVKeyRules.cursor(after: $0.key) })
    }

    /// Deletes every expired entry (and stale temporary files); returns how many entries went.
    @discardableResult
    public func sweepExpired() async throws -> Int {
        let now = clock.now()
        return try await onQueue {
            var removed = 0
            for (path, record) in self.allRecordPaths() {
                if let expires = record.expires, expires <= now {
                    unlink(path)
                    removed += 1
                }
            }
            return removed
        }
    }

    // MARK: files

    /// `<dir>/<first two chars>/<base64url(SHA-256(key))>`.
    func path(for key: String) -> String {
        let name = Base64URL.encode(SHA256.hash(Array(key.utf8)))
        return directory + "/" + name.prefix(2) + "/" + name
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func read(_ path: String) throws -> KVRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return KVRecord(decoding: Array(data))
    }

    private static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let folder = String(path[..<path.lastIndex(of: "/")!])
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw KVError(code: .backend, message: "cannot create \(folder): \(String(cString: strerror(errno)))")
        }
        // Temporary names start with '.', which listing skips.
        let temporary = folder + "/.tmp-" + Base64URL.encode(SecureRandom.bytes(count: 9))
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw KVError(code: .backend, message: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let failure: String? = bytes.withUnsafeBytes { raw in
            if let failure = FileDescriptor.writeAll(fd, raw) { return failure }
            // Durable before it becomes visible: a power cut leaves the old value, not an empty file.
            return fsync(fd) == 0 ? nil : String(cString: strerror(errno))
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw KVError(code: .backend, message: "cannot write \(temporary): \(failure)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw KVError(code: .backend, message: "cannot rename into \(path): \(reason)")
        }
    }

    private func allRecordPaths() -> [(String, KVRecord)] {
        var results: [(String, KVRecord)] = []
        let fileManager = FileManager.default
        guard let shards = try? fileManager.contentsOfDirectory(atPath: directory) else { return [] }
        for shard in shards where !shard.hasPrefix(".") {
            let folder = directory + "/" + shard
            guard let names = try? fileManager.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                let path = folder + "/" + name
                if name.hasPrefix(".tmp-") {
                    // A temp file older than a minute belongs to a write that died: clean it up.
                    if let attributes = try? fileManager.attributesOfItem(atPath: path),
                        let modified = attributes[.modificationDate] as? Date, modified.timeIntervalSinceNow < -60
                    {
                        unlink(path)
                    }
                    continue
                }
                guard !name.hasPrefix("."), let data = fileManager.contents(atPath: path),
                    let record = KVRecord(decoding: Array(data), headerOnly: true),
                    self.path(for: record.key) == path
                else { continue }
                results.append((path, record))
            }
        }
        return results
    }
}

extension FileKV: KVCounting {
    public func increment(_ key: String, by amounts: [(String, Int64)], expirationTTL: Duration?) async throws {
        try await update(key, expirationTTL: expirationTTL) { CounterText.adding(amounts, to: $0) }
    }

    public func counters(_ key: String) async throws -> [String: Int64] { CounterText.decode(try await get(key)) }

    public func counterKeys(prefix: String) async throws -> [String] { try await listedKeys(prefix: prefix) }
}

extension FileKV: KVCappedLog {
    public func prepend(_ key: String, entries: [[UInt8]], cap: Int) async throws {
        try await update(key, expirationTTL: nil) { CappedLogText.prepending(entries, to: $0, cap: cap) }
    }

    public func entries(_ key: String, offset: Int, limit: Int) async throws -> [[UInt8]] {
        CappedLogText.page(try await get(key), offset: offset, limit: limit)
    }
}

extension FileKV {
    /// Replaces `key`'s value (`nil` when absent or expired) with `change(value)`, as a barrier on
    /// the namespace's queue: atomic among this process's writers (a file namespace has one
    /// process writing it).
    func update(_ key: String, expirationTTL: Duration?, _ change: @escaping @Sendable ([UInt8]?) -> [UInt8])
        async throws
    {
        try KVKeyRules.validate(key)
        let now = clock.now()
        let expires = try KVKeyRules.expiry(expirationTTL, now: now)
        let path = self.path(for: key)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async(flags: .barrier) {
                continuation.resume(
                    with: Result {
                        let old = try Self.read(path).flatMap { record in
                            record.key == key && (record.expires.map { $0 > now } ?? true) ? record.value : nil
                        }
                        try Self.writeAtomically(
                            KVRecord(key: key, expires: expires, metadata: nil, value: change(old)).encoded, to: path)
                    })
            }
        }
    }
}
