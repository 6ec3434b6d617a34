/// A Lua script Redis runs atomically, by `EVALSHA`: loaded once per ``RedisClient`` and loaded
/// again when Redis has forgotten it (`NOSCRIPT`, after a restart or `SCRIPT FLUSH`).
struct RedisScript: Sendable {
    let name: String
    let source: String
}

extension RedisClient {
    /// Runs `script` with `keys` and `arguments`.
    func evaluate(_ script: RedisScript, keys: [[UInt8]], arguments: [[UInt8]], timeout: Duration) async throws(KVError)
        -> RedisReply
    {
        let tail = [Array(String(keys.count).utf8)] + keys + arguments
        do {
            return try await run(
                [Array("EVALSHA".utf8), try await sha(of: script, reload: false)] + tail, timeout: timeout)
        } catch  where error.message.contains("NOSCRIPT") {
            return try await run(
                [Array("EVALSHA".utf8), try await sha(of: script, reload: true)] + tail, timeout: timeout)
        }
    }

    private func sha(of script: RedisScript, reload: Bool) async throws(KVError) -> [UInt8] {
        if !reload, let sha = loadedScripts.withLock({ $0[script.name] }) { return sha }
        guard
            case .bytes(let sha) = try await run(
                [Array("SCRIPT".utf8), Array("LOAD".utf8), Array(script.source.utf8)], timeout: .seconds(2))
        else { throw KVError(code: .backend, message: "redis: SCRIPT LOAD answered nonsense") }
        loadedScripts.withLock { $0[script.name] = sha }
        return sha
    }
}
