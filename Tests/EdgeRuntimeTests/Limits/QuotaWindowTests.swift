import Foundation
import Testing

@testable import EdgeRuntime

@Suite struct QuotaWindowTests {
    static let day: Int64 = 86_400_000

    @Test func fixedWindowsAlignToUTCMultiplesOfTheirSize() {
        let window = QuotaWindow(now: 1_764_748_812_345, size: .seconds(3600))
        #expect(window.start % 3_600_000 == 0)
        #expect(window.end - window.start == 3_600_000)
        #expect((window.start..<window.end).contains(1_764_748_812_345))
    }

    /// Every 7th day from 1970 to 2100 (leap days and year ends among them) against Foundation's
    /// Gregorian calendar in UTC: the window is the month holding that day.
    @Test func calendarMonthsMatchFoundationsGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: Int64(0), to: 47_482, by: 7) {
            let now = day * Self.day + 43_200_123
            let window = QuotaWindow(now: now, size: .zero)
            let date = Date(timeIntervalSince1970: Double(now) / 1000)
            let interval = calendar.dateInterval(of: .month, for: date)!
            #expect(window.start == Int64(interval.start.timeIntervalSince1970 * 1000), "day \(day)")
            #expect(window.end == Int64(interval.end.timeIntervalSince1970 * 1000), "day \(day)")
        }
    }

    @Test func theFirstAndLastMillisecondOfAMonthAreInIt() {
        let march2028: Int64 = 21_244 * Self.day  // 2028-03-01, after a leap February
        #expect(QuotaWindow(now: march2028, size: .zero).start == march2028)
        #expect(QuotaWindow(now: march2028 - 1, size: .zero).end == march2028)
        #expect(QuotaWindow(now: march2028 - 1, size: .zero).start == march2028 - 29 * Self.day)
    }
}
