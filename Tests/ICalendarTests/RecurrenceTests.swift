import Foundation
import StewardCore
import Testing
@testable import ICalendar

/// Most expectations are the worked examples of RFC 5545 §3.8.5.3 (DTSTART in America/New_York, 1997).
@Suite("RRULE expansion")
struct RecurrenceTests {
    private let wide = DateInterval(start: utc("1997-01-01T00:00:00Z"), end: utc("2001-01-01T00:00:00Z"))

    /// Local start times of a New York series.
    private func series(_ start: String, _ rule: String, extra: String = "", in window: DateInterval? = nil) throws -> [String] {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:series
        DTSTART;TZID=America/New_York:\(start)
        DURATION:PT1H
        RRULE:\(rule)
        \(extra)
        END:VEVENT
        """)
        return starts(try occurrences(text, in: window ?? wide, zone: newYork), newYork)
    }

    @Test("DAILY with COUNT")
    func dailyCount() throws {
        let result = try series("19970902T090000", "FREQ=DAILY;COUNT=10")
        #expect(result == (2...11).map { String(format: "1997-09-%02d 09:00", $0) })
    }

    @Test("DAILY with INTERVAL and BYMONTH (every other day in January only)")
    func dailyIntervalByMonth() throws {
        let result = try series("19980101T090000", "FREQ=DAILY;INTERVAL=2;BYMONTH=1;UNTIL=19990131T140000Z")
        #expect(result.count == 31) // 16 in 1998; 1998 has 365 days, so 1999 starts on the 2nd: 15 more
        #expect(result.prefix(3) == ["1998-01-01 09:00", "1998-01-03 09:00", "1998-01-05 09:00"])
        #expect(result.last == "1999-01-30 09:00") // odd count of days: day parity flips each year
        #expect(!result.contains { $0.hasPrefix("1998-02") })
    }

    @Test("WEEKLY with BYDAY and UNTIL (Tue/Thu for five weeks)")
    func weeklyByDayUntil() throws {
        let result = try series("19970902T090000", "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH")
        #expect(result == ["1997-09-02", "1997-09-04", "1997-09-09", "1997-09-11", "1997-09-16", "1997-09-18",
                           "1997-09-23", "1997-09-25", "1997-09-30", "1997-10-02"].map { $0 + " 09:00" })
    }

    @Test("WEEKLY every other week, Mon/Wed/Fri, COUNT")
    func weeklyInterval() throws {
        let result = try series("19970901T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=MO,WE,FR")
        #expect(result == ["1997-09-01", "1997-09-03", "1997-09-05", "1997-09-15", "1997-09-17", "1997-09-19",
                           "1997-09-29", "1997-10-01"].map { $0 + " 09:00" })
    }

    @Test("WKST changes which days share an INTERVAL=2 week")
    func weekStart() throws {
        let monday = try series("19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO")
        #expect(monday == ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"].map { $0 + " 09:00" })
        let sunday = try series("19970805T090000", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU")
        #expect(sunday == ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"].map { $0 + " 09:00" })
    }

    @Test("MONTHLY on the first Friday (BYDAY=1FR)")
    func monthlyFirstFriday() throws {
        let result = try series("19970905T090000", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR")
        #expect(result == ["1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05", "1998-01-02", "1998-02-06",
                           "1998-03-06", "1998-04-03", "1998-05-01", "1998-06-05"].map { $0 + " 09:00" })
    }

    @Test("MONTHLY on the last Friday and the second-to-last Monday (negative ordinals)")
    func monthlyNegativeOrdinals() throws {
        let lastFriday = try series("19970926T090000", "FREQ=MONTHLY;COUNT=4;BYDAY=-1FR")
        #expect(lastFriday == ["1997-09-26", "1997-10-31", "1997-11-28", "1997-12-26"].map { $0 + " 09:00" })
        let secondToLastMonday = try series("19970922T090000", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO")
        #expect(secondToLastMonday == ["1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19",
                                       "1998-02-16"].map { $0 + " 09:00" })
    }

    @Test("MONTHLY BYMONTHDAY: several days, and days counted from the end")
    func monthlyByMonthDay() throws {
        let both = try series("19970902T090000", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15")
        #expect(both == ["1997-09-02", "1997-09-15", "1997-10-02", "1997-10-15", "1997-11-02", "1997-11-15",
                         "1997-12-02", "1997-12-15", "1998-01-02", "1998-01-15"].map { $0 + " 09:00" })
        let thirdToLast = try series("19970928T090000", "FREQ=MONTHLY;COUNT=6;BYMONTHDAY=-3")
        #expect(thirdToLast == ["1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29",
                                "1998-02-26"].map { $0 + " 09:00" })
    }

    @Test("BYMONTHDAY=31 skips months without a 31st instead of looping or shifting")
    func monthlyThirtyFirst() throws {
        let window = DateInterval(start: utc("2026-01-01T00:00:00Z"), end: utc("2027-01-01T00:00:00Z"))
        let result = try series("20260131T090000", "FREQ=MONTHLY;BYMONTHDAY=31", in: window)
        #expect(result == ["01", "03", "05", "07", "08", "10", "12"].map { "2026-\($0)-31 09:00" })
        // The plain form (day of month from DTSTART) behaves the same.
        let plain = try series("20260131T090000", "FREQ=MONTHLY", in: window)
        #expect(plain == result)
    }

    @Test("A rule that can never match yields only DTSTART and terminates")
    func neverMatches() throws {
        let window = DateInterval(start: utc("2026-01-01T00:00:00Z"), end: utc("2400-01-01T00:00:00Z"))
        let result = try series("20260130T090000", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", in: window)
        #expect(result == ["2026-01-30 09:00"])
    }

    @Test("MONTHLY Friday the 13th (BYDAY limited by BYMONTHDAY) with DTSTART excluded by EXDATE")
    func fridayThe13th() throws {
        let result = try series("19970902T090000", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
                                extra: "EXDATE;TZID=America/New_York:19970902T090000")
        #expect(result == ["1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"].map { $0 + " 09:00" })
    }

    @Test("BYSETPOS=-1: the last weekday of the month")
    func lastWorkday() throws {
        let result = try series("19970930T090000", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=7")
        #expect(result == ["1997-09-30", "1997-10-31", "1997-11-28", "1997-12-31", "1998-01-30", "1998-02-27",
                           "1998-03-31"].map { $0 + " 09:00" })
    }

    @Test("YEARLY with BYMONTH, with BYMONTH+BYDAY ordinal, and with a year-wide ordinal")
    func yearly() throws {
        let juneJuly = try series("19970610T090000", "FREQ=YEARLY;COUNT=6;BYMONTH=6,7")
        #expect(juneJuly == ["1997-06-10", "1997-07-10", "1998-06-10", "1998-07-10", "1999-06-10", "1999-07-10"]
            .map { $0 + " 09:00" })
        let thanksgiving = try series("19971127T090000", "FREQ=YEARLY;COUNT=3;BYMONTH=11;BYDAY=4TH")
        #expect(thanksgiving == ["1997-11-27", "1998-11-26", "1999-11-25"].map { $0 + " 09:00" })
        let twentiethMonday = try series("19970519T090000", "FREQ=YEARLY;COUNT=3;BYDAY=20MO")
        #expect(twentiethMonday == ["1997-05-19", "1998-05-18", "1999-05-17"].map { $0 + " 09:00" })
    }

    @Test("YEARLY on 29 February only in leap years")
    func leapDay() throws {
        let window = DateInterval(start: utc("2024-01-01T00:00:00Z"), end: utc("2033-01-01T00:00:00Z"))
        let result = try series("20240229T090000", "FREQ=YEARLY", in: window)
        #expect(result == ["2024-02-29 09:00", "2028-02-29 09:00", "2032-02-29 09:00"])
    }

    @Test("COUNT and UNTIL boundaries are inclusive and exact")
    func boundaries() throws {
        let text = { (rule: String) in calendarText("""
            BEGIN:VEVENT
            UID:b
            DTSTART;TZID=Europe/Berlin:20261001T090000
            DTEND;TZID=Europe/Berlin:20261001T093000
            RRULE:\(rule)
            END:VEVENT
            """) }
        let october = window(berlin, from: (2026, 10, 1), to: (2026, 11, 1))
        // 5 Oct 09:00 CEST is 07:00Z: an UNTIL of exactly that instant includes it, a second earlier does not.
        #expect(try occurrences(text("FREQ=DAILY;UNTIL=20261005T070000Z"), in: october).count == 5)
        #expect(try occurrences(text("FREQ=DAILY;UNTIL=20261005T065959Z"), in: october).count == 4)
        #expect(try occurrences(text("FREQ=DAILY;COUNT=3"), in: october).count == 3)
        // COUNT counts from DTSTART, not from the window.
        let later = window(berlin, from: (2026, 10, 3), to: (2026, 11, 1))
        #expect(starts(try occurrences(text("FREQ=DAILY;COUNT=3"), in: later), berlin) == ["2026-10-03 09:00"])
        // An instance that started before the window but is still running is in it.
        let midMeeting = DateInterval(start: local(berlin, 2026, 10, 2, 9, 15), end: local(berlin, 2026, 10, 2, 9, 20))
        #expect(try occurrences(text("FREQ=DAILY"), in: midMeeting).map(\.id) == ["b#2026-10-02T07:00:00Z"])
    }

    @Test("UNTIL as a DATE for an all-day series includes that day")
    func untilDate() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:d
        DTSTART;VALUE=DATE:20261001
        RRULE:FREQ=DAILY;UNTIL=20261004
        END:VEVENT
        """)
        let result = try occurrences(text, in: window(berlin, from: (2026, 9, 1), to: (2026, 12, 1)), zone: berlin)
        #expect(result.map(\.id) == ["d#2026-10-01", "d#2026-10-02", "d#2026-10-03", "d#2026-10-04"])
        #expect(result[0].start == .date(LocalDate(year: 2026, month: 10, day: 1)))
        #expect(result[0].end == .date(LocalDate(year: 2026, month: 10, day: 2)))
    }

    @Test("A series started decades ago is expanded quickly and correctly in a far window")
    func farWindow() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:old
        DTSTART;TZID=Europe/Berlin:19700105T090000
        DTEND;TZID=Europe/Berlin:19700105T100000
        RRULE:FREQ=WEEKLY;BYDAY=MO,TH
        END:VEVENT
        """)
        let week = window(berlin, from: (2026, 11, 23), to: (2026, 11, 30))
        let result = try occurrences(text, in: week, zone: berlin)
        #expect(starts(result, berlin) == ["2026-11-23 09:00", "2026-11-26 09:00"])
    }

    @Test("Sub-daily rules are not guessed: only the first instance is shown")
    func unsupportedFrequency() throws {
        let text = calendarText("BEGIN:VEVENT\nUID:h\nDTSTART:20261001T090000Z\nRRULE:FREQ=HOURLY;COUNT=5\nEND:VEVENT")
        let result = try occurrences(text, in: window(utcZone, from: (2026, 10, 1), to: (2026, 10, 2)))
        #expect(result.count == 1)
    }

    @Test("RDATE adds instances")
    func rdate() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:r
        DTSTART:20261001T090000Z
        RRULE:FREQ=WEEKLY;COUNT=2
        RDATE:20261003T120000Z,20261004T120000Z
        END:VEVENT
        """)
        let result = try occurrences(text, in: window(utcZone, from: (2026, 10, 1), to: (2026, 11, 1)))
        #expect(starts(result, utcZone) == ["2026-10-01 09:00", "2026-10-03 12:00", "2026-10-04 12:00", "2026-10-08 09:00"])
    }

    @Test("An unbounded window is safe: COUNT still limits, a yearly series stops at the window's end")
    func unboundedWindow() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:counted
        DTSTART:20261001T090000Z
        RRULE:FREQ=DAILY;COUNT=3
        END:VEVENT
        BEGIN:VEVENT
        UID:yearly
        DTSTART;VALUE=DATE:20261224
        RRULE:FREQ=YEARLY
        END:VEVENT
        """)
        let everything = DateInterval(start: .distantPast, end: .distantFuture)
        let result = try occurrences(text, in: everything)
        #expect(result.filter { $0.id.hasPrefix("counted#") }.count == 3)
        let yearly = result.filter { $0.id.hasPrefix("yearly#") }
        #expect(yearly.first?.id == "yearly#2026-12-24")
        // One series yields at most `occurrenceLimitPerSeries` instances for one window, the earliest.
        #expect(yearly.last?.id == "yearly#3025-12-24")
        #expect(yearly.count == ICalendarDocument.occurrenceLimitPerSeries)
    }
}
