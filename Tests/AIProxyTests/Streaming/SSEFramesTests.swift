@testable import AIProxy
import Testing

@Suite struct SSEFramesTests {
    @Test func wholeEventsPassAsTheyCameAndAnUnfinishedOneWaits() {
        var frames = SSEFrames()
        let two = Array("data: {\"a\" : 1}\n\ndata:{\"b\":2}\r\n\r\n".utf8)
        #expect(frames.feed(two) == two, "whole events are passed on byte for byte")
        #expect(frames.feed(Array("data: {\"c\"".utf8)) == nil, "an unfinished event is held back")
        #expect(frames.feed(Array(":3}\n\ndata: [DO".utf8)) == Array("data: {\"c\":3}\n\n".utf8))
        #expect(frames.feed(Array("NE]\n\n".utf8)) == Array("data: [DONE]\n\n".utf8))
        #expect(frames.finish() == nil)
    }

    @Test(arguments: [
        "data: 1\n\ndata: 2\n\n",
        "data: 1\r\n\r\ndata: 2\r\n\r\n: keep-alive\n\n",
        "event: a\rdata: 1\r\rdata: 2\n\n",
    ])
    func everySplitForwardsTheSameBytes(wire: String) {
        let bytes = Array(wire.utf8)
        for split in 0...bytes.count {
            var frames = SSEFrames()
            var out: [UInt8] = []
            out += frames.feed(Array(bytes[..<split])) ?? []
            out += frames.feed(Array(bytes[split...])) ?? []
            out += frames.finish() ?? []
            // Only a CR/LF pair split across the two chunks may move its LF into the next frame.
            #expect(out == bytes, "split at \(split)")
        }
    }

    @Test func aTrailingEventWithoutItsBlankLineIsCompletedAtTheEnd() {
        var frames = SSEFrames()
        #expect(frames.feed(Array("data: 1\n\ndata: tail".utf8)) == Array("data: 1\n\n".utf8))
        #expect(frames.finish() == Array("data: tail\n\n".utf8))
        var blank = SSEFrames()
        _ = blank.feed(Array("data: 1\n\n\n".utf8))
        #expect(blank.finish() == nil, "nothing after the last event but an empty line")
    }

    @Test(arguments: [
        "data: 1\n\ndata: 2\n\n",
        "data: 1\r\n\r\ndata: 2\r\n\r\n: keep-alive\n\n",
        "event: a\rdata: 1\r\rdata: 2\n\n",
        "data: 1\n\n\n\ndata: 2\r\n\r\n\r\ndata: tail",
        "\r\n\r\n\n\r\r\ndata: x\r\n",
        "",
    ])
    func eventsInABatchAreWhatFeedingItByteByByteFinds(wire: String) {
        let bytes = Array(wire.utf8)
        var frames = SSEFrames()
        var expected: [[UInt8]] = []
        for byte in bytes {
            if let event = frames.feed([byte]) { expected.append(event) }
        }
        if let rest = frames.finish() { expected.append(rest) }
        let events = SSEFrames.events(in: bytes)
        #expect(Array(events.joined()) == Array(expected.joined()), "the same bytes")
        func parsed(_ frames: [[UInt8]]) -> [SSEEvent] {
            frames.flatMap { frame in
                var parser = SSEParser()
                return parser.feed(frame) + [parser.finish()].compactMap { $0 }
            }
        }
        #expect(parsed(events) == parsed(expected), "the same events")
        // One pass keeps a blank line's CRLF together: no event starts with the LF of the one before.
        #expect(!zip(events, events.dropFirst()).contains { $0.last == 0x0D && $1.first == 0x0A })
    }
}
