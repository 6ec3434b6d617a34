import AIProxy
import Testing

@Suite struct SSEParserTests {
    @Test func parsesOpenAIStyleEventsSplitAcrossChunks() {
        var parser = SSEParser()
        let wire = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n"
        var events: [SSEEvent] = []
        // Feed one byte at a time: chunk boundaries must not matter.
        for byte in wire.utf8 { events += parser.feed([byte]) }
        #expect(events.map(\.text) == [#"{"a":1}"#, #"{"b":2}"#, "[DONE]"])
        #expect(events.last?.isDone == true)
    }

    @Test func namedEventsCommentsMultilineDataAndLineEndings() {
        var parser = SSEParser()
        let wire = ": ping\r\nevent: message_start\r\ndata: line1\r\ndata: line2\r\nid: 7\r\n\r\nevent: ping\rdata:{}\r\r"
        let events = parser.feed(Array(wire.utf8))
        #expect(events == [SSEEvent(event: "message_start", data: "line1\nline2", id: "7"), SSEEvent(event: "ping", data: "{}")])
    }

    @Test func finishDispatchesATrailingEventWithoutBlankLine() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish() == SSEEvent(data: "tail"))
    }

    @Test func encodedEventRoundTrips() {
        let event = SSEEvent(event: "content_block_delta", data: "{\"x\":1}\nsecond")
        var parser = SSEParser()
        #expect(parser.feed(event.encoded) == [event])
        #expect(String(decoding: SSEEvent.done.encoded, as: UTF8.self) == "data: [DONE]\n\n")
    }

    @Test(arguments: [
        "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n",
        ": comment\ndata: x\ndata: y\nid: 9\n\ndata: [DONE]\n\n",
        "data:no-space\r\n\r\ndata: café ☕\n\n",
    ])
    func everySplitOfTheWireGivesTheSameEvents(wire: String) {
        let bytes = Array(wire.utf8)
        var whole = SSEParser()
        let expected = whole.feed(bytes)
        #expect(!expected.isEmpty)
        for split in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(Array(bytes[..<split])) + parser.feed(Array(bytes[split...]))
            #expect(events == expected, "split at \(split)")
        }
    }
}
