import Testing

@testable import EdgeRuntime

/// The one-value log of the memory and file stores, against a plain array of entries.
@Suite struct CappedLogTextTests {
    @Test func agreesWithAnArrayOfEntries() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes: [UInt8]? = nil
            var model: [String] = []  // newest first
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                let entries = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                    String(
                        repeating: ["a", "bc", "d"].randomElement(using: &generator)!,
                        count: Int.random(in: 1...3, using: &generator))
                }
                let cap = Int.random(in: 1...8, using: &generator)
                bytes = CappedLogText.prepending(entries.map { Array($0.utf8) }, to: bytes, cap: cap)
                model = Array((entries.reversed() + model).prefix(cap))
                let offset = Int.random(in: 0...9, using: &generator)
                let limit = Int.random(in: 0...9, using: &generator)
                let page = CappedLogText.page(bytes, offset: offset, limit: limit).map {
                    String(decoding: $0, as: UTF8.self)
                }
                #expect(
                    page == Array(model.dropFirst(offset).prefix(limit)), "\(model) offset \(offset) limit \(limit)")
            }
        }
    }

    @Test func emptyLinesAreNotEntries() {
        let bytes = Array("\nnew\n\nold\n".utf8)
        #expect(CappedLogText.page(bytes, offset: 0, limit: 10) == [Array("new".utf8), Array("old".utf8)])
        #expect(CappedLogText.page(nil, offset: 0, limit: 10).isEmpty)
        #expect(CappedLogText.page(bytes, offset: 0, limit: Int.max).count == 2)
        #expect(CappedLogText.page(bytes, offset: 5, limit: Int.max).isEmpty)
    }
}
