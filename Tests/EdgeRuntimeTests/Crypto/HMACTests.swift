import EdgeRuntime
import Testing

// RFC 4231 §4, HMAC-SHA-256 results (test case 5 is a truncated MAC and is left out).
@Suite struct HMACTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let mac: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "4.2 test case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(
            name: "4.3 test case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(
            name: "4.4 test case 3", key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(
            name: "4.5 test case 4", key: [UInt8](hex: "0102030405060708090a0b0c0d0e0f10111213141516171819"),
            data: [UInt8](repeating: 0xcd, count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(
            name: "4.7 test case 6", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(
            name: "4.8 test case 7", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: vectors) func rfc4231(_ vector: Vector) {
        #expect(HMACSHA256.authenticationCode(for: vector.data, key: vector.key).hex == vector.mac)
    }

    @Test func emptyKeyAndMessageWork() {
        // No RFC vector; the value is what Python's `hmac.new(b"", b"", hashlib.sha256)` gives. HMAC pads
        // short keys with zeros, so an empty key and a single zero byte key must agree.
        let empty = HMACSHA256.authenticationCode(for: [], key: [])
        #expect(empty.hex == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(empty == HMACSHA256.authenticationCode(for: [], key: [0]))
        #expect(empty != HMACSHA256.authenticationCode(for: [], key: [1]))
    }

    @Test func keysAroundTheBlockSizeAreUsedAsGivenOrHashed() {
        // A key of up to 64 bytes is zero-padded, a longer one hashed first (RFC 2104 §2); the
        // values are Python's `hmac.new(bytes(range(n)), message, hashlib.sha256)`.
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let expected = [
            63: "3bb4734dab751ec9f48eb9daecd3e5efa13c9a2ee18bf8220546f552c076380d",
            64: "4903b1fc9f41bc1abe3ff7119c4e523b91288b11c03dab1e975816150df38144",
            65: "8e94e45cd66c660f34f8600065afcf80fe2ef70df6c16b95101753a6e1aab94a",
        ]
        for (length, mac) in expected {
            let key = (0..<length).map { UInt8($0) }
            #expect(HMACSHA256.authenticationCode(for: message, key: key).hex == mac, "key of \(length) bytes")
        }
    }
}
