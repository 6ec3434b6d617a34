import EdgeRuntime
import Testing

@Suite struct CRC32Tests {
    @Test func checkValueOfTheStandardTestString() {
        // The "check" value every CRC-32/ISO-HDLC implementation publishes.
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func continuingEqualsChecksummingTheWhole() {
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(whole) == 0x414F_A339)
        #expect(CRC32.checksum(whole[10...], continuing: CRC32.checksum(whole[..<10])) == 0x414F_A339)
    }
}
