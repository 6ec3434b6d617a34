/// An incremental Server-Sent Events parser: feed byte chunks as they arrive, get whole events.
///
/// Lines end with LF, CRLF or CR; `:` lines are comments; an event is dispatched at a blank line.
/// A value type with no I/O, one per stream.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event: String?
    private var data: [String] = []
    private var id: String?
    private var hasFields = false

    public init() {}

    /// Parses `chunk`, returning the events it completed.
    public mutating func feed(_ chunk: [UInt8]) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in chunk {
            if byte == 0x0A && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = processLine() { events.append(event) }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: an event without its closing blank line is dispatched if it has data.
    public mutating func finish() -> SSEEvent? {
        if !line.isEmpty {
            _ = processLine()
            line.removeAll()
        }
        return hasFields && !data.isEmpty ? dispatch() : nil
    }

    private mutating func processLine() -> SSEEvent? {
        if line.isEmpty { return hasFields ? dispatch() : nil }
        if line[0] == UInt8(ascii: ":") { return nil }
        let name: String
        var value: ArraySlice<UInt8> = []
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = String(decoding: line[..<colon], as: UTF8.self)
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            name = String(decoding: line, as: UTF8.self)
        }
        let text = String(decoding: value, as: UTF8.self)
        switch name {
        case "event": event = text
        case "data": data.append(text)
        case "id": id = text
        default: return nil  // `retry` and unknown fields are ignored
        }
        hasFields = true
        return nil
    }

    private mutating func dispatch() -> SSEEvent {
        let complete = SSEEvent(event: event, data: data.joined(separator: "\n"), id: id)
        event = nil
        data = []
        id = nil
        hasFields = false
        return complete
    }
}
