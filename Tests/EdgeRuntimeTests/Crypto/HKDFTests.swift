import EdgeRuntime
import Testing

// RFC 5869 Appendix A.1–A.3 (the SHA-256 cases).
@Suite struct HKDFTests {
    @Test func rfc5869TestCase1() throws {
        let okm = try HKDFSHA256.deriveKey(
            inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22),
            salt: [UInt8](hex: "000102030405060708090a0b0c"),
            info: [UInt8](hex: "f0f1f2f3f4f5f6f7f8f9"),
            outputByteCount: 42)
        #expect(okm.hex == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func rfc5869TestCase2LongInputs() throws {
        let okm = try HKDFSHA256.deriveKey(
            inputKeyMaterial: Array(0x00...0x4f),
            salt: Array(0x60...0xaf),
            info: Array(0xb0...0xff),
            outputByteCount: 82)
        #expect(
            okm.hex == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87")
    }

    @Test func rfc5869TestCase3EmptySaltAndInfo() throws {
        let okm = try HKDFSHA256.deriveKey(
            inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], outputByteCount: 42)
        #expect(okm.hex == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func outputLengthOutOfRangeThrows() {
        for length in [0, -1, 255 * 32 + 1] {
            #expect {
                try HKDFSHA256.deriveKey(inputKeyMaterial: [1, 2, 3], outputByteCount: length)
            } throws: { ($0 as? OpenSSLError)?.code == .invalidArgument }
        }
        #expect((try? HKDFSHA256.deriveKey(inputKeyMaterial: [1], outputByteCount: 255 * 32))?.count == 8160)
    }

    @Test func everyExpandBlockUpToTheLongestOutputMatchesAnIndependentImplementation() throws {
        // 255 blocks, the last counter RFC 5869 allows; the values are from a Python HKDF written
        // over `hmac.new(..., hashlib.sha256)` (first and last 16 bytes, and the SHA-256 of all).
        let material = Array("input key material".utf8)
        let salt = Array("salt".utf8)
        let info = Array("cache-v1".utf8)
        let okm = try HKDFSHA256.deriveKey(inputKeyMaterial: material, salt: salt, info: info, outputByteCount: 8160)
        #expect(Array(okm.prefix(16)).hex == "1dfd4778bbfed5525295b8b830bf1b16")
        #expect(Array(okm.suffix(16)).hex == "2a88d320c14425ca5b67f96defc3c586")
        #expect(SHA256.hash(okm).hex == "15381316a9d09b478e6b26090cba9aa55336e34bf606505685356deeded8d765")
        // A length that ends inside a block is the longer output's prefix.
        let short = try HKDFSHA256.deriveKey(inputKeyMaterial: material, salt: salt, info: info, outputByteCount: 33)
        #expect(short.hex == "1dfd4778bbfed5525295b8b830bf1b1620af2f4a6eaf2c13bf9989ee3bad31a567")
    }
}
