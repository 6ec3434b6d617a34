/// Where a writer body's chunks go (see ``Body/init(writer:)``): the connection's socket when the
/// server runs it, a channel when the body is read as a sequence.
public struct BodyOutput: Sendable {
    private let writeChunk: @Sendable ([UInt8]) async throws -> Void

    /// An output that hands each chunk to `write`.
    public init(_ write: @escaping @Sendable ([UInt8]) async throws -> Void) {
        writeChunk = write
    }

    /// Sends one chunk; waits while the consumer is behind.
    /// - Throws: `CancellationError` once the consumer has gone away (the client disconnected).
    public func write(_ chunk: [UInt8]) async throws {
        try await writeChunk(chunk)
    }
}
