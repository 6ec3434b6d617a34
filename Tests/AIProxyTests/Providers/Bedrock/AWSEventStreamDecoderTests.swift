import MockUpstream
import Testing

@testable import AIProxy

@Suite struct AWSEventStreamDecoderTests {
    /// aws-c-event-stream's three valid messages (empty, payload only, a string header and a
    /// payload), written out in hex in the fixture.
    static func awsVectors() throws -> [UInt8] {
        let hex = try Fixture.text("bedrock", "aws-c-event-stream.multi.hex").filter(\.isHexDigit).map { UInt8(String($0), radix: 16)! }
        return stride(from: 0, to: hex.count, by: 2).map { hex[$0] << 4 | hex[$0 + 1] }
    }

    @Test func decodesAWSPublishedMessagesFedInEveryFragmentSize() throws {
        let bytes = try Self.awsVectors()
        #expect(bytes.count == 0x10 + 0x1D + 0x3D)
        for size in 1...bytes.count {
            var decoder = AWSEventStreamDecoder()
            var events: [SSEEvent] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += try decoder.decode(Array(bytes[start..<min(start + size, bytes.count)]))
            }
            #expect(try decoder.finish().isEmpty)
            #expect(events.map(\.text) == ["", "{'foo':'bar'}", "{'foo':'bar'}"], "fragment size \(size)")
        }
    }

    @Test func aFlippedBitFailsTheChecksum() throws {
        var bytes = try Self.awsVectors()
        bytes[9] ^= 1  // the prelude checksum, as aws-c-event-stream's corrupted-CRC case
        var decoder = AWSEventStreamDecoder()
        #expect(throws: AWSEventStreamDecoder.FramingError.self) { try decoder.decode(bytes) }
        var payloadFlip = try Self.awsVectors()
        payloadFlip[0x10 + 14] ^= 0x20
        var other = AWSEventStreamDecoder()
        #expect(throws: AWSEventStreamDecoder.FramingError.self) { try other.decode(payloadFlip) }
    }

    @Test func aStreamEndingInsideAMessageFails() throws {
        var decoder = AWSEventStreamDecoder()
        #expect(try decoder.decode(Array(try Self.awsVectors().prefix(20))).count == 1)
        #expect(throws: AWSEventStreamDecoder.FramingError.self) { try decoder.finish() }
    }

    @Test func eventAndExceptionMessagesAreNamedByTheirTypeHeaders() throws {
        var decoder = AWSEventStreamDecoder()
        let bytes =
            AWSEventStreamEncoder.event("contentBlockDelta", ["contentBlockIndex": 0, "delta": ["text": "Hi"]])
            + AWSEventStreamEncoder.exception("throttlingException", message: "Too many requests")
        let events = try decoder.decode(bytes)
        #expect(events.map(\.event) == ["contentBlockDelta", "throttlingException"])
        #expect(try JSONValue(parsing: events[0].data)["delta"]?["text"] == "Hi")
        #expect(try JSONValue(parsing: events[1].data)["message"] == "Too many requests")
    }
}
