/// A fuzz input read as one option byte followed by the payload.
///
/// Targets that have choices to make (chunk sizes, limits, which translator path) read them
/// from the first byte, so the fuzzer mutates choices and payload alike and every crashing
/// input replays exactly. Seeds are stored without the byte; `Fuzz/run.sh` prepends it.
public struct FuzzInput {
    /// The first byte; each target documents what its bits mean.
    public let options: UInt8
    public let payload: [UInt8]

    public init(_ bytes: [UInt8]) {
        options = bytes.first ?? 0
        payload = Array(bytes.dropFirst())
    }

    /// `count` bits of ``options`` starting at bit `from` (0 = least significant).
    public func bits(_ from: Int, count: Int) -> Int {
        Int(options >> UInt8(from)) & (1 << count - 1)
    }

    /// Whether bit `index` of ``options`` is set.
    public func flag(_ index: Int) -> Bool { bits(index, count: 1) == 1 }
}

extension Array where Element == UInt8 {
    /// Calls `body` with the bytes cut into pieces of `size` (the last may be shorter), as a
    /// socket might deliver them. One buffer is reused for every piece (`body` must not keep
    /// it), so one-byte pieces cost no allocation each.
    public func forEachPiece(of size: Int, _ body: ([UInt8]) throws -> Void) rethrows {
        precondition(size > 0, "a piece holds at least one byte")
        var piece: [UInt8] = []
        piece.reserveCapacity(size)
        for start in stride(from: 0, to: count, by: size) {
            piece.removeAll(keepingCapacity: true)
            piece.append(contentsOf: self[start..<Swift.min(start + size, count)])
            try body(piece)
        }
    }
}
