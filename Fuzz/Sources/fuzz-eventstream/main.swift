import AIProxy
import EdgeRuntime
import FuzzHarness

// Bedrock's AWS event-stream decoder (`BedrockAdapter().makeStreamDecoder()`) on arbitrary bytes.
//
// Random bytes almost never carry valid CRC-32s, so each input is also decoded with its
// checksums rewritten to match (frame by frame, as the lengths in the preludes lay them out);
// that copy reaches the header and payload parsing. How the repaired bytes are cut into reads
// must not change the outcome (the events when no read fails, or a failure), so one read is
// the reference for one-byte reads, which put a boundary everywhere.
enum Outcome: Equatable {
    case events([SSEEvent])
    case failed
}

func decode(_ bytes: [UInt8], pieceSize: Int) -> Outcome {
    var decoder = BedrockAdapter().makeStreamDecoder()
    var events: [SSEEvent] = []
    do {
        try bytes.forEachPiece(of: pieceSize) { events += try decoder.decode($0) }
        events += try decoder.finish()
        return .events(events)
    } catch {
        return .failed
    }
}

/// `bytes` with every prelude and message CRC-32 recomputed (a frame's prelude: total length,
/// headers length, CRC of those 8 bytes; its last 4 bytes: CRC of all before them).
func repairingChecksums(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    var start = 0
    func uint32(at i: Int) -> Int {
        Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
    }
    func store(_ value: UInt32, at i: Int) {
        for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * k)) }
    }
    while bytes.count - start >= 12 {
        store(CRC32.checksum(bytes[start..<start + 8]), at: start + 8)
        let total = uint32(at: start)
        guard total >= 16, total <= bytes.count - start else { break }
        store(CRC32.checksum(bytes[start..<start + total - 4]), at: start + total - 4)
        start += total
    }
    return bytes
}

FuzzDriver.run { bytes in
    _ = decode(bytes, pieceSize: max(bytes.count, 1))
    let repaired = repairingChecksums(bytes)
    let whole = decode(repaired, pieceSize: max(repaired.count, 1))
    let split = decode(repaired, pieceSize: 1)
    fuzzCheck(split == whole, "one-byte reads give \(split), one read \(whole)")
}
