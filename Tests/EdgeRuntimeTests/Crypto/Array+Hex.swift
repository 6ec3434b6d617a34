// Test vectors are published as hex; these turn them into bytes and back.
extension [UInt8] {
    /// Bytes from a hex string; spaces are ignored so long vectors can be grouped as in the source.
    init(hex: String) {
        let digits = hex.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
        precondition(digits.count % 2 == 0, "test vector has an odd number of hex digits")
        self = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// Lower-case hex, for readable `#expect` failures.
    var hex: String {
        map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
