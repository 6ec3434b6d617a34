/// Splits a Server-Sent Events byte stream at event boundaries without parsing its fields, for
/// relaying a stream that is already in the client's format: whole events at a time, byte for
/// byte ("scan, don't rebuild"). Holding back an unfinished event means a failure can still be
/// reported as one clean event after the last whole one.
///
/// An event ends at a blank line; lines end with LF, CRLF or CR. A value type with no I/O, one
/// per stream.
struct SSEFrames: Sendable {
    /// Bytes after the last boundary: the start of an unfinished event.
    private var pending: [UInt8] = []
    /// Whether the current line has any byte yet (a terminator on an empty line ends an event).
    private var lineHasBytes = false
    /// The last byte was a CR: an LF right after it ends the same line.
    private var lastWasCR = false
    /// Whether the unfinished event has a non-empty line (anything worth sending at the end).
    private var eventHasLines = false

    /// The whole events `chunk` completes (with any held back before them), or `nil`.
    mutating func feed(_ chunk: [UInt8]) -> [UInt8]? {
        var boundary: Int?  // index in `chunk` just after the last blank line
        scan(chunk) { end, _ in boundary = end }
        guard let boundary else {
            pending.append(contentsOf: chunk)
            return nil
        }
        var out: [UInt8]
        if pending.isEmpty && boundary == chunk.endIndex {
            out = chunk  // the common case: whole events, passed on as they came
        } else {
            out = pending
            out.append(contentsOf: chunk[..<boundary])
        }
        pending = Array(chunk[boundary...])
        return out
    }

    /// Walks `chunk`, calling `boundary` with the index just after each blank line. The LF of a
    /// blank line's CRLF moves the boundary just reported one byte on: it is reported again, one
    /// further, with `moved` set.
    @inline(__always)
    private mutating func scan(_ chunk: [UInt8], _ boundary: (_ end: Int, _ moved: Bool) -> Void) {
        var last: Int?
        for index in chunk.indices {
            let byte = chunk[index]
            if byte == 0x0A && lastWasCR {
                lastWasCR = false
                if last == index {
                    last = index + 1
                    boundary(index + 1, true)
                }
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if !lineHasBytes {
                    last = index + 1
                    boundary(index + 1, false)
                    eventHasLines = false
                }
                lineHasBytes = false
            } else {
                lineHasBytes = true
                eventHasLines = true
            }
        }
    }

    /// The whole events in `batch` (what ``feed(_:)`` returned), one slice of bytes each: for the
    /// rare batch that must be looked into event by event. One pass, one array per event.
    static func events(in batch: [UInt8]) -> [[UInt8]] {
        var frames = SSEFrames()
        var ends: [Int] = []
        frames.scan(batch) { end, moved in
            if moved { ends[ends.count - 1] = end } else { ends.append(end) }
        }
        var events: [[UInt8]] = []
        events.reserveCapacity(ends.count + 1)
        var start = 0
        for end in ends where end > start {
            events.append(Array(batch[start..<end]))
            start = end
        }
        frames.pending = Array(batch[start...])
        if let rest = frames.finish() { events.append(rest) }
        return events
    }

    /// At the end of the stream: an unfinished event that has a line, completed with a blank line.
    mutating func finish() -> [UInt8]? {
        defer { pending = [] }
        guard eventHasLines, !pending.isEmpty else { return nil }
        var out = pending
        if lineHasBytes { out.append(0x0A) }
        out.append(0x0A)
        return out
    }
}
