@testable import EdgeRuntime
import Testing

@Suite struct QuotaWindowTests {
    static let day: Int64 = 86_400_000

    @Test func fixedWindowsAlignToUTCMultiplesOfTheirSize() {
        let window = QuotaWindow(now: 1_764_748_812_345, size: .seconds(3600))
        #expect(window.start % 3_600_000 == 0)
        #expect(window.end - window.start == 3_600_000)
        #expect((window.start...window.end).contains(1_764_748_812_345))
    }

    @Test(arguments: [
        // (a day in the month, first of that month, first of the next), as days since 1970
        (20_425, 20_423, 20_454),  // 2025-12-03 → 2025-12-01 … 2026-01-01
        (21_244, 21_215, 21_244 + 0),  // 2028-03-01 is itself a first: see below
        (21_215 + 28, 21_215, 21_244),  // 2028-02-29 (leap day) → 2028-02-01 … 2028-03-01
        (0, 0, 31),  // 1970-01-01
    ])
    func calendarMonthsFollowTheCivilCalendar(day: Int64, first: Int64, next: Int64) {
        guard day != 21_244 else {
            let window = QuotaWindow(now: 21_244 * Self.day, size: .zero)
            #expect(window.start == 21_244 * Self.day)
            #expect(window.end == (21_244 + 31) * Self.day)
            return
        }
        let window = QuotaWindow(now: day * Self.day + 12_345, size: .zero)
        #expect(window.start == first * Self.day)
        #expect(window.end == next * Self.day)
    }
}
