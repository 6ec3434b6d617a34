import EdgeRuntime
import Testing

@Suite struct SecureRandomTests {
    @Test func returnsTheRequestedLength() {
        for count in [0, 1, 12, 32, 1000] {
            #expect(SecureRandom.bytes(count: count).count == count)
        }
    }

    @Test func doesNotRepeat() {
        // 2^-256 chance of a false failure per pair.
        let draws = (0..<64).map { _ in SecureRandom.bytes(count: 32) }
        #expect(Set(draws).count == draws.count)
        #expect(draws.allSatisfy { $0 != [UInt8](repeating: 0, count: 32) })
    }
}
