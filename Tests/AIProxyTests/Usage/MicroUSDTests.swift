import Foundation
import Testing

@testable import AIProxy

@Suite struct MicroUSDTests {
    @Test func usdIsWrittenExactlyWithoutTrailingZeros() {
        #expect(MicroUSD.json(1_500_000) == .number("1.5"))
        #expect(MicroUSD.json(123) == .number("0.000123"))
        #expect(MicroUSD.json(1_200) == .number("0.0012"))
        #expect(MicroUSD.json(0) == .number("0.0"))
        #expect(MicroUSD.json(-2_000_001) == .number("-2.000001"))
        #expect(MicroUSD.json(7_000_000) == .number("7.0"))
    }

    /// Against `printf`'s six decimals with the trailing zeros cut.
    @Test func agreesWithPrintf() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let micro =
                Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator)
                / [1, 10, 1000, 1_000_000].randomElement(using: &generator)!
            let magnitude = micro.magnitude
            var fraction = String(format: "%06llu", magnitude % 1_000_000)
            while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
            let expected = (micro < 0 ? "-" : "") + "\(magnitude / 1_000_000)." + fraction
            #expect(MicroUSD.json(micro) == .number(expected), "\(micro)")
        }
    }
}
