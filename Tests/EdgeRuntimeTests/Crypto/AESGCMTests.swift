import EdgeRuntime
import Testing

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B, test cases 13–16
// (the 256-bit-key cases with 96-bit IVs).
@Suite struct AESGCMTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let iv: String
        let plaintext: String
        let aad: String
        let ciphertext: String
        let tag: String
        var testDescription: String { name }
    }

    static let specKey = "feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308"
    static let specPlaintext =
        "d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b39"
    static let specCiphertext =
        "522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662"

    static let vectors: [Vector] = [
        Vector(
            name: "test case 13", key: String(repeating: "00", count: 32), iv: String(repeating: "00", count: 12),
            plaintext: "", aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        Vector(
            name: "test case 14", key: String(repeating: "00", count: 32), iv: String(repeating: "00", count: 12),
            plaintext: String(repeating: "00", count: 16), aad: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        Vector(
            name: "test case 15", key: specKey, iv: "cafebabefacedbaddecaf888",
            plaintext: specPlaintext + "1aafd255", aad: "", ciphertext: specCiphertext + "898015ad",
            tag: "b094dac5d93471bdec1a502270e3cc6c"),
        Vector(
            name: "test case 16 (with AAD)", key: specKey, iv: "cafebabefacedbaddecaf888",
            plaintext: specPlaintext, aad: "feedfacedeadbeeffeedfacedeadbeef abaddad2",
            ciphertext: specCiphertext, tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test(arguments: vectors) func sealMatchesSpec(_ vector: Vector) throws {
        let box = try AESGCM.seal(
            [UInt8](hex: vector.plaintext), key: [UInt8](hex: vector.key), nonce: [UInt8](hex: vector.iv),
            authenticating: [UInt8](hex: vector.aad))
        #expect(box.nonce.hex == [UInt8](hex: vector.iv).hex)
        #expect(box.ciphertext.hex == [UInt8](hex: vector.ciphertext).hex)
        #expect(box.tag.hex == vector.tag)
    }

    @Test(arguments: vectors) func openMatchesSpec(_ vector: Vector) throws {
        let box = try AESGCM.SealedBox(
            nonce: [UInt8](hex: vector.iv), ciphertext: [UInt8](hex: vector.ciphertext), tag: [UInt8](hex: vector.tag))
        let plaintext = try AESGCM.open(box, key: [UInt8](hex: vector.key), authenticating: [UInt8](hex: vector.aad))
        #expect(plaintext.hex == [UInt8](hex: vector.plaintext).hex)
    }

    @Test func roundTripThroughCombinedWithRandomNonce() throws {
        let key = SecureRandom.bytes(count: AESGCM.keyByteCount)
        let message = Array("the cached completion".utf8)
        let aad = Array("cache:v1:abc".utf8)
        let first = try AESGCM.seal(message, key: key, authenticating: aad)
        let second = try AESGCM.seal(message, key: key, authenticating: aad)
        #expect(first.nonce.count == 12 && first.tag.count == 16)
        #expect(first.nonce != second.nonce, "a nil nonce draws a fresh random one")
        #expect(first.combined.count == 12 + message.count + 16)
        let reopened = try AESGCM.SealedBox(combined: first.combined)
        #expect(reopened == first)
        #expect(try AESGCM.open(reopened, key: key, authenticating: aad) == message)
    }

    @Test func tamperingIsAnAuthenticationFailure() throws {
        let key = SecureRandom.bytes(count: 32)
        let aad = Array("aad".utf8)
        let box = try AESGCM.seal(Array("secret value".utf8), key: key, authenticating: aad)
        var combined = box.combined

        func expectAuthenticationFailure(_ bytes: [UInt8], key: [UInt8], aad: [UInt8]) {
            #expect {
                try AESGCM.open(AESGCM.SealedBox(combined: bytes), key: key, authenticating: aad)
            } throws: { ($0 as? OpenSSLError)?.code == .authenticationFailure }
        }
        combined[12] ^= 0x01  // first ciphertext byte
        expectAuthenticationFailure(combined, key: key, aad: aad)
        combined = box.combined
        combined[combined.count - 1] ^= 0x80  // last tag byte
        expectAuthenticationFailure(combined, key: key, aad: aad)
        combined = box.combined
        combined[0] ^= 0x01  // nonce
        expectAuthenticationFailure(combined, key: key, aad: aad)
        expectAuthenticationFailure(box.combined, key: key, aad: Array("aae".utf8))
        expectAuthenticationFailure(box.combined, key: key, aad: [])
        var otherKey = key
        otherKey[0] ^= 0x01
        expectAuthenticationFailure(box.combined, key: otherKey, aad: aad)
    }

    @Test func wrongSizesThrow() throws {
        #expect { try AESGCM.seal([1], key: [UInt8](repeating: 0, count: 16)) } throws: {
            ($0 as? OpenSSLError)?.code == .invalidKeySize
        }
        #expect { try AESGCM.seal([1], key: [UInt8](repeating: 0, count: 32), nonce: [1, 2, 3]) } throws: {
            ($0 as? OpenSSLError)?.code == .invalidNonceSize
        }
        let box = try AESGCM.seal([1], key: [UInt8](repeating: 0, count: 32))
        #expect { try AESGCM.open(box, key: []) } throws: { ($0 as? OpenSSLError)?.code == .invalidKeySize }
        #expect { try AESGCM.SealedBox(combined: [UInt8](repeating: 0, count: 27)) } throws: {
            ($0 as? OpenSSLError)?.code == .invalidArgument
        }
        #expect { try AESGCM.SealedBox(nonce: box.nonce, ciphertext: [], tag: [1]) } throws: {
            ($0 as? OpenSSLError)?.code == .invalidArgument
        }
    }
}
