import Foundation
import Testing

@testable import EdgeRuntime

@Suite struct UTCDateTests {
    /// The same text as Foundation's ISO 8601 formatter, from 1900 to 2400: leap years, century
    /// rules, month and day boundaries, and times before 1970.
    @Test func matchesFoundationsFormatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        var seconds: [Double] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_400, -2_208_988_800, 1_764_771_909.75]
        for _ in 0..<2000 { seconds.append(Double(Int64.random(in: -2_208_988_800...13_569_465_600, using: &generator))) }
        for value in seconds {
            let expected = formatter.string(from: Date(timeIntervalSince1970: value.rounded(.down)))
            #expect(UTCDate(unixSeconds: value).iso8601 == expected, "\(value)")
            #expect(UTCDate(unixSeconds: value).dayText == String(expected.prefix(10)), "\(value)")
        }
    }
}
