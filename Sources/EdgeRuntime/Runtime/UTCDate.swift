/// A Unix time's UTC calendar date and time of day, by integer arithmetic (Howard Hinnant's
/// `civil_from_days`): no locale, no ICU, no allocation but the text — cheap enough for a
/// per-request log line (Foundation's ISO8601DateFormatter built an ICU formatter per call).
public struct UTCDate: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// The date of `seconds` since 1970 (fractions dropped, toward the past).
    public init(unixSeconds seconds: Double) {
        let whole = Int64(seconds.rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let (year, month, day) = Self.civil(days: days)
        let inDay = Int(whole - days * 86_400)
        self.year = Int(year)
        self.month = Int(month)
        self.day = Int(day)
        hour = inDay / 3600
        minute = inDay / 60 % 60
        second = inDay % 60
    }

    /// `2026-12-03T14:05:09Z` (RFC 3339, seconds).
    public var iso8601: String { text(withTime: true) }

    /// `2026-12-03`.
    public var dayText: String { text(withTime: false) }

    /// The date, and the time when `withTime`, written digit by digit into one string: every
    /// call's log line has a timestamp and its rollup a day, and a dozen string concatenations
    /// cost ~6,000 instructions each time.
    private func text(withTime: Bool) -> String {
        guard (0...9999).contains(year) else {
            // Not four digits (no real clock gives this): the year as `String` writes it.
            let yearText = String(year)
            let date =
                String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-"
                + Self.two(month) + "-" + Self.two(day)
            return withTime ? date + "T" + Self.two(hour) + ":" + Self.two(minute) + ":" + Self.two(second) + "Z" : date
        }
        return String(unsafeUninitializedCapacity: withTime ? 20 : 10) { text in
            var index = 0
            func put(_ value: Int, digits: Int, then separator: Unicode.Scalar?) {
                var value = value
                for position in stride(from: index + digits - 1, through: index, by: -1) {
                    text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += digits
                if let separator {
                    text[index] = UInt8(ascii: separator)
                    index += 1
                }
            }
            put(year, digits: 4, then: "-")
            put(month, digits: 2, then: "-")
            guard withTime else {
                put(day, digits: 2, then: nil)
                return index
            }
            put(day, digits: 2, then: "T")
            put(hour, digits: 2, then: ":")
            put(minute, digits: 2, then: ":")
            put(second, digits: 2, then: "Z")
            return index
        }
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }

    /// Year, month and day of a day count since 1970.
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
