import EdgeRuntime

/// One leader's reply, shared with the identical calls that arrived while it was in flight: its
/// head (or the error it failed with), then its body's chunks as the leader's client gets them,
/// kept so a late joiner gets the chunks so far and then the rest live.
final class SharedReply: Sendable {
    /// What a follower answers with first.
    enum Head: Sendable {
        case reply(status: Int, headers: Headers)
        case failure(any Error)
    }

    /// What a follower reads next.
    enum Next: Sendable {
        case chunk([UInt8])
        case end
        case failed(any Error)
    }

    private struct State {
        var head: Head?
        var headWaiters: [CheckedContinuation<Head, Never>] = []
        var chunks: [[UInt8]] = []
        var bytes = 0
        /// `nil` while the body runs; then `.some(nil)` for a clean end, or the error.
        var ended: (any Error)??
        var chunkWaiters: [CheckedContinuation<Void, Never>] = []
        var followers = 0
        var joinable = true
    }

    private let state = LockedValue(State())
    /// Past this many body bytes no new follower joins (those in already get everything).
    static let maxSharedBytes = CallOutcome.maxBodyBytes

    /// Adds a follower, unless the reply has grown past what is shared or has ended.
    func join() -> Bool {
        state.withLock { current in
            guard current.joinable else { return false }
            current.followers += 1
            return true
        }
    }

    var hasFollowers: Bool { state.withLock { $0.followers > 0 } }

    /// The whole body, when it has already ended cleanly (a follower can answer with a length).
    var wholeBody: [UInt8]? {
        state.withLock { current in
            guard case .some(nil) = current.ended else { return nil }
            return current.chunks.count == 1 ? current.chunks[0] : current.chunks.flatMap { $0 }
        }
    }

    /// No one joins from now on (the reply is over, or it is about to leave the registry).
    func close() { state.withLock { $0.joinable = false } }

    func publish(_ head: Head) {
        let waiters = state.withLock { current in
            current.head = head
            defer { current.headWaiters = [] }
            return current.headWaiters
        }
        for waiter in waiters { waiter.resume(returning: head) }
        if case .failure(let error) = head { end(error) }
    }

    func append(_ chunk: [UInt8]) {
        let waiters = state.withLock { current in
            current.chunks.append(chunk)
            current.bytes += chunk.count
            if current.bytes > Self.maxSharedBytes { current.joinable = false }
            defer { current.chunkWaiters = [] }
            return current.chunkWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The body is over: cleanly (`nil`) or with `error`.
    func end(_ error: (any Error)?) {
        let waiters = state.withLock { current -> [CheckedContinuation<Void, Never>] in
            guard current.ended == nil else { return [] }
            current.ended = .some(error)
            current.joinable = false
            defer { current.chunkWaiters = [] }
            return current.chunkWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The leader's head, once it has one.
    func head() async -> Head {
        if let head = state.withLock({ $0.head }) { return head }
        return await withCheckedContinuation { continuation in
            let now = state.withLock { current -> Head? in
                if let head = current.head { return head }
                current.headWaiters.append(continuation)
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// The chunk at `index`, waiting for it; or how the body ended.
    func next(_ index: Int) async -> Next {
        while true {
            let found = state.withLock { current -> Next? in
                if index < current.chunks.count { return .chunk(current.chunks[index]) }
                switch current.ended {
                case .some(nil): return .end
                case .some(let error?): return .failed(error)
                case nil: return nil
                }
            }
            if let found { return found }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { current in
                    guard index >= current.chunks.count, current.ended == nil else { return true }
                    current.chunkWaiters.append(continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }
}
