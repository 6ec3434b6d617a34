import Testing

@testable import EdgeRuntime

/// Replays every input kept in `Tests/Fixtures/fuzz-regressions/<target>/` through the code its
/// fuzz target drives, checking the same properties (`Fuzz/Sources/fuzz-<target>/main.swift`).
/// An input's first byte holds the target's options where the target has any (`FuzzInput`).
@Suite struct FuzzRegressionTests {
    typealias Parser = HTTPRequestParser

    struct HTTPOutcome: Equatable {
        var events: [Parser.Event] = []
        var error: Parser.ParseError?
    }

    /// Parses `bytes` arriving in reads of `readSize`, as `HTTPConnection` does.
    static func parse(_ bytes: [UInt8], readSize: Int, limits: Parser.Limits) -> HTTPOutcome {
        var parser = Parser(limits: limits)
        var outcome = HTTPOutcome()
        var buffer: [UInt8] = []
        var index = 0
        for start in stride(from: 0, to: bytes.count, by: readSize) {
            buffer += bytes[start..<min(start + readSize, bytes.count)]
            do {
                while true {
                    let event = try parser.parse(buffer, index: &index)
                    if event == .needMore { break }
                    outcome.events.append(event)
                }
            } catch {
                outcome.error = error
                return outcome
            }
            if index == buffer.count {
                buffer.removeAll()
                index = 0
            }
        }
        return outcome
    }

    /// Options: bits 0-1 header limit, bits 2-3 body limit, bits 4-7 read size minus one.
    @Test(arguments: FuzzRegression.names("http"))
    func httpRequestParserGivesTheSameOutcomeInOneReadOrMany(_ name: String) throws {
        let bytes = try FuzzRegression.bytes("http", name)
        let options = Int(bytes.first ?? 0)
        let payload = Array(bytes.dropFirst())
        let limits = Parser.Limits(
            maxHeaderBytes: [64, 512, 4096, 65536][options & 3], maxBodyBytes: [0, 16, 1024, 1 << 20][options >> 2 & 3])
        let whole = Self.parse(payload, readSize: max(payload.count, 1), limits: limits)
        #expect(Self.parse(payload, readSize: (options >> 4) + 1, limits: limits) == whole)
    }

    @Test(arguments: FuzzRegression.names("toml"))
    func tomlParserReturnsATableOrAConfigError(_ name: String) throws {
        let text = String(decoding: try FuzzRegression.bytes("toml", name), as: UTF8.self)
        if let table = try? TOMLParser.parse(text, file: name) { _ = try? WranglerConfig(table: table, file: name) }
    }

    @Test(arguments: FuzzRegression.names("devvars"))
    func devVarsErrorsNameALineOfTheFile(_ name: String) throws {
        let text = String(decoding: try FuzzRegression.bytes("devvars", name), as: UTF8.self)
        do {
            _ = try DevVars.parse(text, file: name)
        } catch {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.line.map { (1...lines).contains($0) } == true)
        }
    }
}
