/// The window a quota counts in at a moment: fixed windows aligned to UTC (every `size` from
/// 1970), or calendar months. The Redis script computes the same in Lua.
public struct QuotaWindow: Sendable, Equatable {
    /// Start and end, ms since 1970.
    public var start: Int64
    public var end: Int64

    /// The window holding `now` (ms) for a quota of window `size` (zero: calendar month).
    public init(now: Int64, size: Duration) {
        let length = size.milliseconds
        if length > 0 {
            start = now - now % length
            end = start + length
            return
        }
        let day: Int64 = 86_400_000
        let (year, month, _) = UTCDate.civil(days: now / day)
        start = Self.days(year: year, month: month) * day
        end = (month == 12 ? Self.days(year: year + 1, month: 1) : Self.days(year: year, month: month + 1)) * day
    }

    /// Days since 1970 of the first of `month` in `year` (days_from_civil).
    static func days(year: Int64, month: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
