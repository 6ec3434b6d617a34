/// An incremental Server-Sent Events parser: feed byte chunks as they arrive, get whole events.
///
/// Lines end with LF, CRLF or CR; `:` lines are comments; an event is dispatched at a blank line.
/// Lines are found with a scan and copied as slices, never byte by byte, and field values stay
/// bytes. A value type with no I/O, one per stream.
public struct SSEParser: Sendable {
    /// The start of a line that is still incomplete (its bytes so far).
    private var partial: [UInt8] = []
    private var lastWasCR = false
    private var event: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var id: String?
    private var hasFields = false

    public init() {}

    /// Parses `chunk`, returning the events it completed.
    public mutating func feed(_ chunk: [UInt8]) -> [SSEEvent] {
        var events: [SSEEvent] = []
        var index = chunk.startIndex
        // A CR ended the last chunk: an LF starting this one belongs to it.
        if lastWasCR, index < chunk.endIndex, chunk[index] == 0x0A { index += 1 }
        lastWasCR = false
        while index < chunk.endIndex {
            guard let end = chunk[index...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else {
                partial.append(contentsOf: chunk[index...])
                break
            }
            if partial.isEmpty {
                if let event = processLine(chunk[index..<end]) { events.append(event) }
            } else {
                partial.append(contentsOf: chunk[index..<end])
                let line = partial
                partial.removeAll(keepingCapacity: true)
                if let event = processLine(line[...]) { events.append(event) }
            }
            index = end + 1
            if chunk[end] == 0x0D {
                if index < chunk.endIndex {
                    if chunk[index] == 0x0A { index += 1 }
                } else {
                    lastWasCR = true
                }
            }
        }
        return events
    }

    /// Ends the stream: an event without its closing blank line is dispatched if it has data.
    public mutating func finish() -> SSEEvent? {
        if !partial.isEmpty {
            let line = partial
            partial.removeAll()
            _ = processLine(line[...])
        }
        return hasFields && hasData ? dispatch() : nil
    }

    private mutating func processLine(_ line: ArraySlice<UInt8>) -> SSEEvent? {
        guard let first = line.first else { return hasFields ? dispatch() : nil }
        if first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = line[..<(colon ?? line.endIndex)]
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        if name.elementsEqual("data".utf8) {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            event = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            id = String(decoding: value, as: UTF8.self)
        } else {
            return nil  // `retry` and unknown fields are ignored
        }
        hasFields = true
        return nil
    }

    private mutating func dispatch() -> SSEEvent {
        let complete = SSEEvent(event: event, data: data, id: id)
        event = nil
        data = []
        hasData = false
        id = nil
        hasFields = false
        return complete
    }
}
