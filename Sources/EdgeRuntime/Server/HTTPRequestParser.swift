/// An HTTP/1.1 request parser: bytes in, a complete request (head and whole body) out.
///
/// A value type with no I/O, so every malformed-input case is tested without sockets.
/// The server buffers request bodies up to the body limit (DESIGN §3: bodies are bounded
/// and small), so the parser hands out a request only once its body is complete.
/// Anything ambiguous is rejected rather than guessed: both `Content-Length` and
/// `Transfer-Encoding`, differing `Content-Length`s, obsolete line folding, bad chunk sizes.
struct HTTPRequestParser {
    struct Limits: Equatable {
        var maxHeaderBytes: Int
        var maxBodyBytes: Int
    }

    /// The parsed request line and header fields.
    struct Head: Equatable {
        var method: String
        var target: String
        var versionMinor: Int
        var headers: Headers
        var keepAlive: Bool
        var expectsContinue: Bool
        var bodyLength: BodyLength
    }

    enum BodyLength: Equatable {
        case none
        case fixed(Int)
        case chunked
    }

    /// Why a request was refused, with the status to answer.
    struct ParseError: Error, Equatable {
        var status: Int
        var message: String
    }

    enum Event: Equatable {
        /// The head is complete and its body is still to come (for `Expect: 100-continue`).
        case head(Head)
        /// A whole request; `consumed` bytes of the input belong to it.
        case request(Head, body: [UInt8])
        /// More bytes are needed.
        case needMore
    }

    private enum State {
        case head(HeadSearch)
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        /// `searched` bytes of the unfinished trailer line hold no LF (searched on an earlier read).
        case trailers(bytes: Int, searched: Int)
    }

    let limits: Limits
    private var state = State.head(HeadSearch())
    private var head: Head?
    private var body: [UInt8] = []

    init(limits: Limits) {
        self.limits = limits
    }

    /// Whether the parser is between requests (no byte of the next one consumed).
    var isIdle: Bool {
        if case .head = state { return head == nil }
        return false
    }

    /// Whether the head is complete and the body is being read.
    var isReadingBody: Bool { head != nil }

    /// Parses from `buffer[index...]`, advancing `index` past what it consumed.
    /// - Throws: ``ParseError`` with the status to answer; the connection must then close.
    mutating func parse(_ buffer: [UInt8], index: inout Int) throws(ParseError) -> Event {
        while true {
            switch state {
            case .head(var search):
                guard let end = Self.findHeadEnd(buffer, from: index, limit: limits.maxHeaderBytes, search: &search)
                else {
                    let available = buffer.count - index
                    // The bound `findHeadEnd` searches (the limit plus the CRLF CRLF that ends a
                    // head): with the bare limit here, a head of limit+1…limit+4 bytes was taken
                    // in one read but refused when split across reads (found by `Fuzz`'s fuzz-http).
                    if available > limits.maxHeaderBytes + 4 {
                        if Self.findLineEnd(buffer, from: index, to: index + limits.maxHeaderBytes) == nil {
                            throw ParseError(status: 414, message: "request line is longer than \(limits.maxHeaderBytes) bytes")
                        }
                        throw ParseError(status: 431, message: "request headers are larger than \(limits.maxHeaderBytes) bytes")
                    }
                    state = .head(search)
                    return .needMore
                }
                let parsed = try Self.parseHead(buffer[index..<end.headEnd])
                index = end.next
                head = parsed
                body = []
                switch parsed.bodyLength {
                case .none:
                    return finish()
                case .fixed(let length):
                    if length > limits.maxBodyBytes { throw Self.bodyTooLarge(limits.maxBodyBytes) }
                    if length == 0 { return finish() }
                    body.reserveCapacity(length)
                    state = .fixedBody(remaining: length)
                case .chunked:
                    state = .chunkSize
                }
                if parsed.expectsContinue { return .head(parsed) }

            case .fixedBody(let remaining):
                let take = min(remaining, buffer.count - index)
                if take == 0 { return .needMore }
                body.append(contentsOf: buffer[index..<(index + take)])
                index += take
                if take == remaining { return finish() }
                state = .fixedBody(remaining: remaining - take)
                return .needMore

            case .chunkSize:
                guard let lineEnd = Self.findLineEnd(buffer, from: index, to: min(buffer.count, index + 1024)) else {
                    if buffer.count - index >= 1024 { throw ParseError(status: 400, message: "chunk size line is too long") }
                    return .needMore
                }
                let size = try Self.parseChunkSize(buffer[index..<lineEnd.contentEnd])
                index = lineEnd.next
                if size == 0 {
                    state = .trailers(bytes: 0, searched: 0)
                } else {
                    if body.count + size > limits.maxBodyBytes { throw Self.bodyTooLarge(limits.maxBodyBytes) }
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - index)
                if take == 0 { return .needMore }
                body.append(contentsOf: buffer[index..<(index + take)])
                index += take
                if take < remaining {
                    state = .chunkData(remaining: remaining - take)
                    return .needMore
                }
                state = .chunkDataEnd

            case .chunkDataEnd:
                if buffer.count - index < 2 {
                    if buffer.count - index == 1 && buffer[index] != UInt8(ascii: "\r") {
                        throw ParseError(status: 400, message: "chunk data is not followed by CRLF")
                    }
                    return .needMore
                }
                guard buffer[index] == UInt8(ascii: "\r"), buffer[index + 1] == UInt8(ascii: "\n") else {
                    throw ParseError(status: 400, message: "chunk data is not followed by CRLF")
                }
                index += 2
                state = .chunkSize

            case .trailers(let bytes, let searched):
                // Trailer fields are read and dropped; they count against the header limit.
                guard let lineEnd = Self.findLineEnd(buffer, from: index, to: buffer.count, skipping: searched) else {
                    if bytes + buffer.count - index > limits.maxHeaderBytes {
                        throw ParseError(status: 431, message: "trailer fields are too large")
                    }
                    state = .trailers(bytes: bytes, searched: buffer.count - index)
                    return .needMore
                }
                let length = lineEnd.next - index
                let empty = lineEnd.contentEnd == index
                index = lineEnd.next
                if empty { return finish() }
                if bytes + length > limits.maxHeaderBytes {
                    throw ParseError(status: 431, message: "trailer fields are too large")
                }
                state = .trailers(bytes: bytes + length, searched: 0)
            }
        }
    }

    private mutating func finish() -> Event {
        let complete = Event.request(head!, body: body)
        head = nil
        body = []
        state = .head(HeadSearch())
        return complete
    }

    private static func bodyTooLarge(_ limit: Int) -> ParseError {
        ParseError(status: 413, message: "request body is larger than \(limit) bytes")
    }
}
