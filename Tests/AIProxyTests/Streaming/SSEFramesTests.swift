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
}
