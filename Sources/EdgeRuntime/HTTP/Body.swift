/// A request or response body: an async sequence of byte chunks, read once.
///
/// Bodies stream. A body made from bytes yields them as one chunk; a body made with
/// ``Body/makeStream(bufferLimit:)`` yields what its writer writes, and the writer waits
/// while the reader is behind, so a slow reader never makes the producer buffer without bound.
/// A body made with ``Body/init(writer:)`` is a closure its consumer runs: the server runs it on
/// the connection's own task and its writes go straight to the socket (Hummingbird's
/// `ResponseBody`), so a response produced chunk by chunk needs no task or channel of its own.
///
/// ```swift
/// let (body, writer) = Body.makeStream()
/// Task { try await writer.write(Array("hello".utf8)); writer.finish() }
/// let all = try await body.collect(upTo: 1 << 20)
///
/// let relayed = Body { output in
///     for try await chunk in upstream { try await output.write(chunk) }
/// }
/// ```
public struct Body: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = any Error

    enum Storage: Sendable {
        case bytes([UInt8])
        case channel(BodyReader)
        case sequence(@Sendable () -> AsyncIterator)
        case writer(@Sendable (BodyOutput) async throws -> Void)
    }

    let storage: Storage

    /// An empty body.
    public static let empty = Body(bytes: [])

    /// A body holding `bytes`, yielded as one chunk (none when empty).
    public init(bytes: [UInt8]) { storage = .bytes(bytes) }

    /// A body holding the UTF-8 bytes of `string`.
    public init(string: String) { storage = .bytes(Array(string.utf8)) }

    /// A body that yields the elements of any sendable async sequence of chunks.
    public init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == [UInt8] {
        storage = .sequence {
            var iterator = sequence.makeAsyncIterator()
            return AsyncIterator { try await iterator.next(isolation: #isolation) }
        }
    }

    init(channel: BodyChannel) { storage = .channel(BodyReader(channel: channel)) }

    /// A body written by `write` when its consumer runs it: the chunks passed to the output are
    /// the body, and returning ends it (throwing fails it).
    /// - Important: `write` calls the output from its own task only; it must not hand the output
    ///   to another task (the server's output writes to a socket confined to its loop).
    public init(writer write: @escaping @Sendable (BodyOutput) async throws -> Void) {
        storage = .writer(write)
    }

    /// A body fed by a writer, with at most `bufferLimit` bytes waiting between the two.
    public static func makeStream(bufferLimit: Int = 256 * 1024) -> (Body, BodyWriter) {
        let channel = BodyChannel(bufferLimit: bufferLimit)
        return (Body(channel: channel), BodyWriter(channel: channel))
    }

    /// The bytes, when the body was made from bytes: lets the server send them with no streaming.
    public var knownBytes: [UInt8]? {
        if case .bytes(let bytes) = storage { return bytes }
        return nil
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch storage {
        case .bytes(let bytes):
            var pending: [UInt8]? = bytes.isEmpty ? nil : bytes
            return AsyncIterator {
                defer { pending = nil }
                return pending
            }
        case .channel(let reader):
            return AsyncIterator(reader: reader)
        case .sequence(let make):
            return make()
        case .writer(let write):
            // Read as a sequence (in-process consumers, tests): the writer runs in a task of its
            // own, feeding a channel; the channel's reader going away stops it.
            let (body, writer) = Body.makeStream()
            Task {
                do {
                    try await write(BodyOutput { try await writer.write($0) })
                    writer.finish()
                } catch {
                    writer.finish(throwing: error)
                }
            }
            return body.makeAsyncIterator()
        }
    }

    /// Sends the body's chunks to `output`: runs a writer body's closure, reads any other.
    public func write(to output: BodyOutput) async throws {
        if case .writer(let write) = storage { return try await write(output) }
        for try await chunk in self where !chunk.isEmpty { try await output.write(chunk) }
    }

    /// Reads the body's chunks one by one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var nextChunk: () async throws -> [UInt8]?
        /// Keeps the reading side alive while iterating (see ``BodyReader``).
        private var reader: BodyReader?

        init(_ nextChunk: @escaping () async throws -> [UInt8]?) {
            self.nextChunk = nextChunk
        }

        init(reader: BodyReader) {
            self.reader = reader
            let channel = reader.channel
            self.nextChunk = { try await channel.next() }
        }

        public mutating func next() async throws -> [UInt8]? {
            try await nextChunk()
        }
    }
}

/// The producing side of a streamed ``Body``.
///
/// `write` waits while the reader is more than the buffer limit behind and throws
/// `CancellationError` once the reader has gone away (the client disconnected), so a
/// producer loop stops instead of producing into the void.
public struct BodyWriter: Sendable {
    let channel: BodyChannel

    /// Sends one chunk, waiting for room in the buffer.
    public func write(_ chunk: [UInt8]) async throws {
        try await channel.write(chunk)
    }

    /// Sends the UTF-8 bytes of `string`.
    public func write(_ string: String) async throws {
        try await channel.write(Array(string.utf8))
    }

    /// Offers a chunk without waiting: `false` (nothing taken) when the buffer is full.
    /// `onDemand` is then called once there is room again. For producers that cannot
    /// suspend, such as a C callback that pauses its transfer.
    public func tryWrite(_ chunk: [UInt8], onDemand: @escaping @Sendable () -> Void) throws -> Bool {
        try channel.tryWrite(chunk, onDemand: onDemand)
    }

    /// Ends the body; with an error, the reader's next read throws it.
    public func finish(throwing error: (any Error)? = nil) {
        channel.finish(throwing: error)
    }

    /// Whether the reader has gone away.
    public var isCancelled: Bool { channel.isCancelled }

    /// Registers a closure called once when the reader goes away (or immediately if it has).
    public func onCancel(_ action: @escaping @Sendable () -> Void) {
        channel.onCancel(action)
    }
}

/// The reading side of a streamed body. When the last copy of the ``Body`` and its iterators
/// are gone without reading to the end, the producer is told (as if the reader cancelled):
/// a response dropped unread must not keep its upstream transfer and connection open.
final class BodyReader: Sendable {
    let channel: BodyChannel
    init(channel: BodyChannel) { self.channel = channel }
    deinit { channel.readerGone() }
}
