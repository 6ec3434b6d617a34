
/// The bounded single-producer, single-consumer buffer behind a streamed ``Body``.
///
/// Producer waits (or is told "full") past `bufferLimit` bytes; the consumer waits when empty.
/// Cancelling (reader gone) fails the producer's pending and future writes.
final class BodyChannel: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        var writer: CheckedContinuation<Void, any Error>?
        var onDemand: (@Sendable () -> Void)?
        var onCancel: [@Sendable () -> Void] = []

        mutating func popChunk() -> [UInt8]? {
            guard head < chunks.count else { return nil }
            let chunk = chunks[head]
            chunks[head] = []
            head += 1
            if head == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                head = 0
            }
            bufferedBytes -= chunk.count
            return chunk
        }
    }

    private let state = LockedValue(State())
    let bufferLimit: Int

    init(bufferLimit: Int) {
        self.bufferLimit = max(1, bufferLimit)
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    // MARK: producer

    func write(_ chunk: [UInt8]) async throws {
        if chunk.isEmpty { return }
        // Fast path: room in the buffer (or a waiting reader) means no suspension, so no hop
        // through the executor per chunk.
        enum Quick { case done, wake(CheckedContinuation<[UInt8]?, any Error>), slow }
        let quick: Quick = state.withLock { state in
            guard !state.cancelled, !state.finished, state.writer == nil else { return .slow }
            if let reader = state.reader {
                state.reader = nil
                return .wake(reader)
            }
            guard state.bufferedBytes + chunk.count < bufferLimit else { return .slow }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
            return .done
        }
        switch quick {
        case .done: return
        case .wake(let reader):
            reader.resume(returning: chunk)
            return
        case .slow: break
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action: () -> Void = state.withLock { state in
                    if state.cancelled { return { continuation.resume(throwing: CancellationError()) } }
                    if state.finished {
                        return { continuation.resume(throwing: BodyError(code: .writeAfterFinish, message: "write after finish")) }
                    }
                    if let reader = state.reader {
                        state.reader = nil
                        return { reader.resume(returning: chunk); continuation.resume() }
                    }
                    state.chunks.append(chunk)
                    state.bufferedBytes += chunk.count
                    if state.bufferedBytes < bufferLimit { return { continuation.resume() } }
                    state.writer = continuation
                    return {}
                }
                action()
            }
        } onCancel: {
            cancel()
        }
    }

    func tryWrite(_ chunk: [UInt8], onDemand: @escaping @Sendable () -> Void) throws -> Bool {
        if chunk.isEmpty { return true }
        let (accepted, reader): (Bool, CheckedContinuation<[UInt8]?, any Error>?) = try state.withLock { state in
            if state.cancelled { throw CancellationError() }
            if let reader = state.reader {
                state.reader = nil
                return (true, reader)
            }
            if state.bufferedBytes >= bufferLimit {
                state.onDemand = onDemand
                return (false, nil)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
            return (true, nil)
        }
        reader?.resume(returning: chunk)
        return accepted
    }

    func finish(throwing error: (any Error)?) {
        let reader: CheckedContinuation<[UInt8]?, any Error>? = state.withLock { state in
            if state.finished { return nil }
            state.finished = true
            state.failure = error
            defer { state.reader = nil }
            return state.reader
        }
        if let reader {
            if let error { reader.resume(throwing: error) } else { reader.resume(returning: nil) }
        }
    }

    // MARK: consumer

    /// What a read finds without waiting: a chunk (and producers to wake), or the end.
    private enum Outcome {
        case chunk([UInt8], wake: [() -> Void])
        case end((any Error)?)
    }

    /// Takes a chunk or the end if there is one; `nil` means the reader must wait.
    private func take(_ state: inout State) -> Outcome? {
        if let chunk = state.popChunk() {
            return .chunk(chunk, wake: state.bufferedBytes < bufferLimit ? Self.producersToWake(&state) : [])
        }
        if state.cancelled { return .end(CancellationError()) }
        if state.finished {
            defer { state.failure = nil }
            return .end(state.failure)
        }
        return nil
    }

    /// A producer parked on a full buffer (a writer or a paused transfer) may go on.
    private static func producersToWake(_ state: inout State) -> [() -> Void] {
        var wake: [() -> Void] = []
        if let writer = state.writer {
            state.writer = nil
            wake.append { writer.resume() }
        }
        if let demand = state.onDemand {
            state.onDemand = nil
            wake.append(demand)
        }
        return wake
    }

    private static func deliver(_ outcome: Outcome) throws -> [UInt8]? {
        switch outcome {
        case .chunk(let chunk, let wake):
            for action in wake { action() }
            return chunk
        case .end(let failure):
            if let failure { throw failure }
            return nil
        }
    }

    func next() async throws -> [UInt8]? {
        // Fast path: a buffered chunk or the end is returned without suspending, so without a
        // hop through the executor.
        if let outcome = state.withLock({ take(&$0) }) { return try Self.deliver(outcome) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let action: () -> Void = state.withLock { state in
                    if let outcome = take(&state) {
                        return { continuation.resume(with: Result { try Self.deliver(outcome) }) }
                    }
                    state.reader = continuation
                    // The buffer is empty now, so a producer parked on "full" may go on.
                    let wake = Self.producersToWake(&state)
                    return { for action in wake { action() } }
                }
                action()
            }
        } onCancel: {
            cancel()
        }
    }

    /// Every reference to the reading side is gone: unless the body was read to its end, that
    /// is the reader going away.
    func readerGone() {
        let drained = state.withLock { $0.cancelled || ($0.finished && $0.head == $0.chunks.count) }
        if !drained { cancel() }
    }

    /// The reader has gone away: fail the producer and any pending read, drop the buffer.
    func cancel() {
        let (reader, writer, callbacks): (CheckedContinuation<[UInt8]?, any Error>?, CheckedContinuation<Void, any Error>?, [@Sendable () -> Void]) =
            state.withLock { state in
                if state.cancelled { return (nil, nil, []) }
                state.cancelled = true
                state.chunks.removeAll()
                state.head = 0
                state.bufferedBytes = 0
                defer {
                    state.reader = nil
                    state.writer = nil
                    state.onDemand = nil
                    state.onCancel = []
                }
                var callbacks = state.onCancel
                if let demand = state.onDemand { callbacks.append(demand) }
                return (state.reader, state.writer, callbacks)
            }
        reader?.resume(throwing: CancellationError())
        writer?.resume(throwing: CancellationError())
        for callback in callbacks { callback() }
    }

    func onCancel(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            if state.cancelled { return true }
            state.onCancel.append(action)
            return false
        }
        if runNow { action() }
    }
}
