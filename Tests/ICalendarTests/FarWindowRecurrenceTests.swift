import Foundation
import StewardCore
import Testing
@testable import ICalendar

/// A series read in a window long after its DTSTART (a model asking about the year 2126, or about 8,000
/// years at once): only the window's instances come back, COUNT still counts from DTSTART, and one series
/// never yields more than `ICalendarDocument.occurrenceLimitPerSeries` instances for one window.
@Suite("RRULE expansion far from DTSTART")
struct FarWindowRecurrenceTests {
    private func daily(_ rule: String, start: String = "20260101T090000Z") -> String {
        calendarText("""
        BEGIN:VEVENT
        UID:standup
        DTSTART:\(start)
        DURATION:PT30M
        SUMMARY:Stand-up
        RRULE:\(rule)
        END:VEVENT
        """)
    }

    /// 2126-01-01 to 2136-01-01: 3,652 days, a century after DTSTART.
    private let century = DateInterval(start: utc("2126-01-01T00:00:00Z"), end: utc("2136-01-01T00:00:00Z"))

    private func checkCapped(_ events: [CalendarEvent]) {
        #expect(events.count == ICalendarDocument.occurrenceLimitPerSeries)
        #expect(events.first?.start.dateValue == utc("2126-01-01T09:00:00Z"))
        #expect(events.allSatisfy { ($0.start.dateValue ?? .distantPast) >= century.start })
        #expect(events.allSatisfy { ($0.start.dateValue ?? .distantFuture) < century.end })
        // The earliest instances of the window, one a day, in order.
        #expect(events.last?.start.dateValue == utc("2126-01-01T09:00:00Z").addingTimeInterval(999 * 86_400))
    }

    @Test("A daily series with a huge COUNT, read a century on, yields the window's first 1,000 instances")
    func dailyCountCentury() throws {
        checkCapped(try occurrences(daily("FREQ=DAILY;COUNT=1000000"), in: century))
    }

    @Test("A daily series with UNTIL, read a century on, yields the window's first 1,000 instances")
    func dailyUntilCentury() throws {
        checkCapped(try occurrences(daily("FREQ=DAILY;UNTIL=23261231T000000Z"), in: century))
    }

    @Test("A daily series without end, read over 8,000 years, yields 1,000 instances")
    func dailyOpenEightThousandYears() throws {
        let span = DateInterval(start: utc("2026-12-07T00:00:00Z"), end: utc("9999-12-31T00:00:00Z"))
        let events = try occurrences(daily("FREQ=DAILY"), in: span)
        #expect(events.count == ICalendarDocument.occurrenceLimitPerSeries)
        #expect(events.first?.start.dateValue == utc("2026-12-07T09:00:00Z"))
    }

    @Test("COUNT still counts from DTSTART when the window starts a century later")
    func countEndsInsideFarWindow() throws {
        // 2026-01-01 + 36,524 days = 2126-01-01, so COUNT=36,600 leaves 76 instances in 2126.
        let year = DateInterval(start: utc("2126-01-01T00:00:00Z"), end: utc("2127-01-01T00:00:00Z"))
        let events = try occurrences(daily("FREQ=DAILY;COUNT=36600"), in: year)
        #expect(events.count == 76)
        #expect(events.first?.start.dateValue == utc("2126-01-01T09:00:00Z"))
        #expect(events.last?.start.dateValue == utc("2126-03-17T09:00:00Z"))
        #expect(try occurrences(daily("FREQ=DAILY;COUNT=36524"), in: year).isEmpty)
        #expect(try occurrences(daily("FREQ=DAILY;COUNT=36525"), in: year).count == 1)
    }

    /// Rules whose COUNT runs out inside a late window: the instances there must be exactly those of an
    /// expansion from DTSTART (the window from DTSTART stays under the per-series limit).
    @Test("A late window with COUNT agrees with an expansion from DTSTART", arguments: [
        "FREQ=DAILY;INTERVAL=3;COUNT=400",
        "FREQ=WEEKLY;COUNT=150",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=80",
        "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=290",
        "FREQ=MONTHLY;COUNT=40",
        "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=25",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=40",
        "FREQ=YEARLY;COUNT=5",
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=700",
    ])
    func lateWindowMatchesFullExpansion(rule: String) throws {
        let text = daily(rule, start: "20260105T090000Z")
        let late = DateInterval(start: utc("2028-06-01T00:00:00Z"), end: utc("2030-12-01T00:00:00Z"))
        let everything = DateInterval(start: utc("2026-01-01T00:00:00Z"), end: late.end)
        let expected = try occurrences(text, in: everything).filter { late.contains($0.start.dateValue!) }
        #expect(expected.count < ICalendarDocument.occurrenceLimitPerSeries)
        #expect(try occurrences(text, in: late).map(\.id) == expected.map(\.id))
    }

    @Test("A monthly series on the 30th with COUNT skips February also when read years later")
    func monthlyThirtiethCount() throws {
        let text = daily("FREQ=MONTHLY;COUNT=30", start: "20260130T090000Z")
        let late = DateInterval(start: utc("2028-01-01T00:00:00Z"), end: utc("2029-01-01T00:00:00Z"))
        // 2026: 11 (no Feb), 2027: 11, then 8 in 2028: Jan, Mar, Apr, May, Jun, Jul, Aug, Sep.
        let found = try occurrences(text, in: late).compactMap(\.start.dateValue)
        #expect(found.count == 8)
        #expect(found.last == utc("2028-09-30T09:00:00Z"))
    }
}
