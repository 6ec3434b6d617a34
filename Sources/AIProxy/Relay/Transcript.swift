/// The bytes a client got, kept for the finish hooks (the cache) up to
/// ``CallOutcome/maxBodyBytes``; past that, nothing is kept: such a reply is not stored.
struct Transcript: Sendable {
    private(set) var bytes: [UInt8]?

    /// `keeping: false` keeps nothing (no hook asked for the bytes).
    init(keeping: Bool) {
        bytes = keeping ? [] : nil
    }

    mutating func append(_ chunk: [UInt8]) {
        guard bytes != nil else { return }
        bytes!.append(contentsOf: chunk)
        if bytes!.count > CallOutcome.maxBodyBytes { bytes = nil }
    }
}
