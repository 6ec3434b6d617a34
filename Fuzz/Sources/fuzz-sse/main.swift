import AIProxy
import FuzzHarness

// `SSEParser` on arbitrary bytes. Where the network cuts a stream must not change its events,
// so the events of the whole input fed at once are the reference for the same bytes fed one
// at a time, which puts a piece boundary everywhere (a CR ending one piece and an LF starting
// the next is the risk). Each event must also come back unchanged from its own encoding.
func events(_ bytes: [UInt8], pieceSize: Int) -> [SSEEvent] {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    bytes.forEachPiece(of: pieceSize) { events += parser.feed($0) }
    if let last = parser.finish() { events.append(last) }
    return events
}

FuzzDriver.run { bytes in
    let whole = events(bytes, pieceSize: max(bytes.count, 1))
    let split = events(bytes, pieceSize: 1)
    fuzzCheck(split == whole, "one byte at a time gives \(split), the whole input \(whole)")
    for event in whole {
        var reparser = SSEParser()
        let roundTrip = reparser.feed(event.encoded)
        // `encoded` always writes the data lines, so an event with empty data survives too.
        fuzzCheck(roundTrip == [event], "\(event) encodes to bytes that parse as \(roundTrip)")
    }
}
