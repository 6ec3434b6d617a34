import FuzzHarness

@testable import EdgeRuntime

// `HTTPRequestParser` as `HTTPConnection` drives it: bytes arrive in pieces, the buffer grows,
// pipelined requests parse in turn and the first error ends the connection. What the parser
// makes of a byte stream (its requests, then the error or "needs more") must not depend on
// where the reads cut it, so the input parsed as a single read is the reference.
//
// Options byte: bits 0-1 header limit (64, 512, 4096, 65536 bytes), bits 2-3 body limit
// (0, 16, 1024, 1 MiB), bits 4-7 read size minus one (1…16 bytes).
typealias Parser = HTTPRequestParser

struct Outcome: Equatable {
    var events: [Parser.Event] = []
    /// The error that ended the connection, or `nil` when the parser waits for more.
    var error: Parser.ParseError?
}

/// Feeds `reads` one after another, parsing after each as the connection does.
func parse(_ bytes: [UInt8], readSize: Int, limits: Parser.Limits) -> Outcome {
    var parser = Parser(limits: limits)
    var outcome = Outcome()
    var buffer: [UInt8] = []
    var index = 0
    var ended = false
    bytes.forEachPiece(of: readSize) { read in
        if ended { return }
        buffer += read
        do throws(Parser.ParseError) {
            while true {
                let event = try parser.parse(buffer, index: &index)
                fuzzCheck(index <= buffer.count, "index \(index) is past the buffer's \(buffer.count) bytes")
                if event == .needMore { break }
                if case .request(let head, let body) = event { check(head, body, limits: limits) }
                outcome.events.append(event)
            }
        } catch {
            outcome.error = error
            ended = true
            return
        }
        if index == buffer.count {  // the connection's compaction
            buffer.removeAll()
            index = 0
        }
    }
    return outcome
}

func check(_ head: Parser.Head, _ body: [UInt8], limits: Parser.Limits) {
    fuzzCheck(!head.method.isEmpty && !head.target.isEmpty, "request with an empty method or target")
    fuzzCheck(
        body.count <= limits.maxBodyBytes, "a \(body.count)-byte body passed the \(limits.maxBodyBytes)-byte limit")
    switch head.bodyLength {
    case .none: fuzzCheck(body.isEmpty, "a request without a body length has a body")
    case .fixed(let length): fuzzCheck(body.count == length, "Content-Length \(length) but \(body.count) body bytes")
    case .chunked: break
    }
}

FuzzDriver.run { bytes in
    let input = FuzzInput(bytes)
    let limits = Parser.Limits(
        maxHeaderBytes: [64, 512, 4096, 65536][input.bits(0, count: 2)],
        maxBodyBytes: [0, 16, 1024, 1 << 20][input.bits(2, count: 2)])
    let whole = parse(input.payload, readSize: max(input.payload.count, 1), limits: limits)
    let inPieces = parse(input.payload, readSize: input.bits(4, count: 4) + 1, limits: limits)
    fuzzCheck(
        whole == inPieces, "reads of \(input.bits(4, count: 4) + 1) bytes give \(inPieces), one read gives \(whole)")
}
