import Foundation
import Testing
@testable import StewardCore

/// A parser at a fixed local "now", rendering results through `Calendar` (not the parser's own
/// arithmetic): a day span as `2026-11-23` or `2026-11-23..2026-11-29`, an instant as `2026-11-23 15:00`.
private struct Clock {
    let zone: TimeZone
    let now: Date
    let parser: TimeExpressionParser

    init(_ zone: String, _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) {
        self.zone = TimeZone(identifier: zone)!
        now = Calendar.gregorian(self.zone)
            .date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
        parser = TimeExpressionParser(context: ParseContext(now: now, timeZone: self.zone))
    }

    func callAsFunction(_ text: String) -> String? {
        parser.parse(text).map(show)
    }

    func instant(_ text: String) -> String? {
        parser.parseInstant(text).map { show(.instant($0)) }
    }

    func show(_ ref: TimeRef) -> String {
        switch ref {
        case .instant(let date):
            let parts = Calendar.gregorian(zone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
            return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!,
                          parts.minute!)
        case .days(let interval):
            let first = LocalDate(interval.start, in: zone)
            let last = LocalDate(interval.end.addingTimeInterval(-1), in: zone)
            // Whole local days exactly, as Foundation computes midnights.
            guard interval.start == first.startOfDay(in: zone),
                  interval.end == last.adding(days: 1).startOfDay(in: zone) else { return "not whole days: \(interval)" }
            return first == last ? "\(first)" : "\(first)..\(last)"
        }
    }
}

private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

@Suite struct TimeExpressionParserTests {
    /// Saturday 21 November 2026, 10:00 in Berlin.
    private let saturday = Clock("Europe/Berlin", 2026, 11, 21, 10)

    @Test(arguments: [
        ("today", "2026-11-21"), ("Tomorrow", "2026-11-22"), ("tmrw", "2026-11-22"), ("yesterday", "2026-11-20"),
        ("tonight", "2026-11-21"), ("the day after tomorrow", "2026-11-23"), ("in 3 days", "2026-11-24"),
        ("in a week", "2026-11-28"), ("in 2 weeks", "2026-12-05"),
    ])
    func relativeDays(_ text: String, _ expected: String) {
        #expect(saturday(text) == expected, "\(text)")
    }

    @Test(arguments: [
        // A bare weekday is the soonest such day, today counting.
        ("fri", "2026-11-27"), ("friday", "2026-11-27"), ("sat", "2026-11-21"), ("sunday", "2026-11-22"),
        ("monday", "2026-11-23"), ("this friday", "2026-11-27"), ("on Thursday", "2026-11-26"),
        // `next <weekday>` is that day in the following Monday–Sunday week.
        ("next monday", "2026-11-23"), ("next friday", "2026-11-27"), ("next saturday", "2026-11-28"),
        ("next sunday", "2026-11-29"),
        ("this weekend", "2026-11-21..2026-11-22"), ("weekend", "2026-11-21..2026-11-22"),
        ("the weekend", "2026-11-21..2026-11-22"), ("next weekend", "2026-11-28..2026-11-29"),
        ("this week", "2026-11-16..2026-11-22"), ("next week", "2026-11-23..2026-11-29"),
    ])
    func weekdaysAndWeeksOnASaturday(_ text: String, _ expected: String) {
        #expect(saturday(text) == expected, "\(text)")
    }

    @Test func weekConventionsMidweekAndOnSunday() {
        let wednesday = Clock("Europe/Berlin", 2026, 11, 18, 10)
        #expect(wednesday("friday") == "2026-11-20")
        #expect(wednesday("next friday") == "2026-11-27")
        #expect(wednesday("next monday") == "2026-11-23")
        #expect(wednesday("this weekend") == "2026-11-21..2026-11-22")
        #expect(wednesday("next weekend") == "2026-11-28..2026-11-29")
        #expect(wednesday("wednesday") == "2026-11-18")
        #expect(wednesday("next wednesday") == "2026-11-25")
        let sunday = Clock("Europe/Berlin", 2026, 11, 22, 10)
        #expect(sunday("this weekend") == "2026-11-21..2026-11-22")
        #expect(sunday("next weekend") == "2026-11-28..2026-11-29")
        #expect(sunday("next monday") == "2026-11-23")
        #expect(sunday("this week") == "2026-11-16..2026-11-22")
        #expect(sunday("next week") == "2026-11-23..2026-11-29")
    }

    @Test(arguments: [
        ("3pm", "2026-11-21 15:00"), ("3:30pm", "2026-11-21 15:30"), ("3 pm", "2026-11-21 15:00"),
        ("3.30 p.m.", "2026-11-21 15:30"), ("15:00", "2026-11-21 15:00"), ("15h", "2026-11-21 15:00"),
        ("15h30", "2026-11-21 15:30"), ("noon", "2026-11-21 12:00"), ("midday", "2026-11-21 12:00"),
        ("midnight", "2026-11-22 00:00"), ("12pm", "2026-11-21 12:00"), ("12am", "2026-11-22 00:00"),
        // A bare time already past today is tomorrow; "now" itself is not past.
        ("9am", "2026-11-22 09:00"), ("10:00", "2026-11-21 10:00"), ("09:59", "2026-11-22 09:59"),
        // Hours 1–7 without am/pm are pm; 8–12 as written; a leading zero is a 24-hour reading.
        ("at 3", "2026-11-21 15:00"), ("at 7:30", "2026-11-21 19:30"), ("at 8", "2026-11-22 08:00"),
        ("at 12", "2026-11-21 12:00"), ("03:30", "2026-11-22 03:30"), ("at 3 oclock", "2026-11-21 15:00"),
        ("at 18", "2026-11-21 18:00"), ("in 2 hours", "2026-11-21 12:00"), ("in 30 minutes", "2026-11-21 10:30"),
        ("in an hour", "2026-11-21 11:00"), ("in 1h30", "2026-11-21 11:30"), ("now", "2026-11-21 10:00"),
    ])
    func times(_ text: String, _ expected: String) {
        #expect(saturday(text) == expected, "\(text)")
    }

    @Test(arguments: [
        ("friday at 3pm", "2026-11-27 15:00"), ("3pm friday", "2026-11-27 15:00"), ("FRIDAY, 3PM.", "2026-11-27 15:00"),
        ("tomorrow 12:30", "2026-11-22 12:30"), ("at 15:00 on dec 5", "2026-12-05 15:00"),
        ("dec 5 at 3pm", "2026-12-05 15:00"), ("next friday at 9", "2026-11-27 09:00"),
        ("tomorrow at noon", "2026-11-22 12:00"), ("in 3 days at 10am", "2026-11-24 10:00"),
        // A bare weekday with a time already past today is next week's; a named day otherwise stays.
        ("saturday 9am", "2026-11-28 09:00"), ("saturday 3pm", "2026-11-21 15:00"), ("today 9am", "2026-11-21 09:00"),
        ("friday midnight", "2026-11-28 00:00"), ("tonight at 9", "2026-11-21 21:00"),
        ("tomorrow night at 11", "2026-11-22 23:00"), ("this evening at 7", "2026-11-21 19:00"),
        ("tomorrow morning at 7", "2026-11-22 07:00"), ("friday afternoon at 3", "2026-11-27 15:00"),
        ("tonight at 12", "2026-11-22 00:00"), ("2026-12-05 09:00", "2026-12-05 09:00"),
    ])
    func dayAndTime(_ text: String, _ expected: String) {
        #expect(saturday(text) == expected, "\(text)")
    }

    @Test(arguments: [
        ("dec 5", "2026-12-05"), ("5 dec", "2026-12-05"), ("december 5th", "2026-12-05"),
        ("5th of December", "2026-12-05"), ("Dec. 5", "2026-12-05"), ("2026-12-05", "2026-12-05"),
        ("2026/12/05", "2026-12-05"), ("dec 5 2027", "2027-12-05"), ("5 december 2027", "2027-12-05"),
        // Without a year: the next occurrence, today counting.
        ("nov 21", "2026-11-21"), ("nov 20", "2027-11-20"), ("jan 3", "2027-01-03"), ("feb 29", "2028-02-29"),
        ("the 5th", "2026-12-05"), ("on the 21st", "2026-11-21"), ("the 30th", "2026-11-30"), ("the 31st", "2026-12-31"),
        ("2025-01-01", "2025-01-01"),
    ])
    func dates(_ text: String, _ expected: String) {
        #expect(saturday(text) == expected, "\(text)")
    }

    @Test(arguments: [
        "", "   ", "12/5", "5/12/2026", "12.5", "dec 5/6", "feb 30", "2026-02-30", "2026-13-01", "next", "this",
        "blah", "friday blah", "lunch friday", "friday tuesday", "3pm 4pm", "in 2 hours tomorrow",
        "next week at 3pm", "this weekend 3pm", "13pm", "25:00", "3:75", "at 3 at 4", "3", "5", "may",
        "in", "next month", "last friday", "12/5 at 3pm", "at", "0am",
    ])
    func rejects(_ text: String) {
        #expect(saturday(text) == nil, "\(text)")
    }

    @Test func partsOfTheDayAreWholeDaysUnlessAnInstantIsNeeded() {
        #expect(saturday("tonight") == "2026-11-21")
        #expect(saturday.instant("tonight") == "2026-11-21 20:00")
        #expect(saturday("tomorrow morning") == "2026-11-22")
        #expect(saturday.instant("tomorrow morning") == "2026-11-22 09:00")
        #expect(saturday.instant("friday afternoon") == "2026-11-27 14:00")
        #expect(saturday.instant("this evening") == "2026-11-21 18:00")
        #expect(saturday.instant("friday") == nil)
        #expect(saturday.instant("next week") == nil)
        #expect(saturday.instant("friday 3pm") == "2026-11-27 15:00")
        #expect(saturday.instant("in 2 hours") == "2026-11-21 12:00")
    }

    @Test func yearBoundary() {
        let newYearsEve = Clock("Europe/Berlin", 2026, 12, 31, 10)
        #expect(newYearsEve("tomorrow") == "2027-01-01")
        #expect(newYearsEve("jan 5") == "2027-01-05")
        #expect(newYearsEve("next week") == "2027-01-04..2027-01-10")
        #expect(newYearsEve("the 2nd") == "2027-01-02")
        #expect(newYearsEve("9am") == "2027-01-01 09:00")
    }

    @Test func newYorkAroundTheNovemberChange() {
        // Saturday 31 October 2026, noon EDT; clocks go back 02:00 → 01:00 on Sunday 1 November.
        let clock = Clock("America/New_York", 2026, 10, 31, 12)
        guard case .days(let sunday)? = clock.parser.parse("tomorrow") else { Issue.record(); return }
        #expect(sunday.duration == 25 * 3600)
        #expect(clock("tomorrow") == "2026-11-01")
        // 01:30 happens twice; the first (EDT) is meant.
        #expect(clock.parser.parse("tomorrow 1:30am") == .instant(utc("2026-11-01T05:30:00Z")))
        #expect(clock.parser.parse("tomorrow at noon") == .instant(utc("2026-11-01T17:00:00Z")))
        // Elapsed time, not wall-clock: 24 hours later the wall clock shows 11:00.
        #expect(clock("in 24 hours") == "2026-11-01 11:00")
        #expect(clock("this weekend") == "2026-10-31..2026-11-01")
        #expect(clock("next week") == "2026-11-02..2026-11-08")
    }

    @Test func berlinSpringForward() {
        // Saturday 28 March 2026, noon CET; on Sunday 29 March 02:00 jumps to 03:00.
        let clock = Clock("Europe/Berlin", 2026, 3, 28, 12)
        guard case .days(let sunday)? = clock.parser.parse("sunday") else { Issue.record(); return }
        #expect(sunday.duration == 23 * 3600)
        #expect(clock("sunday") == "2026-03-29")
        // 02:30 does not exist: the next valid instant is 03:00 CEST (01:00 UTC).
        #expect(clock.parser.parse("tomorrow 2:30am") == .instant(utc("2026-03-29T01:00:00Z")))
        #expect(clock.parser.parse("tomorrow 02:00") == .instant(utc("2026-03-29T01:00:00Z")))
        #expect(clock.parser.parse("tomorrow 1:59am") == .instant(utc("2026-03-29T00:59:00Z")))
        #expect(clock.parser.parse("tomorrow 3am") == .instant(utc("2026-03-29T01:00:00Z")))
        #expect(clock("tomorrow 9am") == "2026-03-29 09:00")
        #expect(clock("next week") == "2026-03-30..2026-04-05")
    }

    @Test func sydney() {
        // Saturday 21 November 2026, 10:00 AEDT (+11).
        let clock = Clock("Australia/Sydney", 2026, 11, 21, 10)
        #expect(clock.parser.parse("tomorrow 9am") == .instant(utc("2026-11-21T22:00:00Z")))
        #expect(clock("friday") == "2026-11-27")
        // Spring forward on Sunday 4 October 2026: 02:00 → 03:00.
        let october = Clock("Australia/Sydney", 2026, 10, 3, 12)
        #expect(october.parser.parse("tomorrow 2:30am") == .instant(utc("2026-10-03T16:00:00Z")))
        guard case .days(let sunday)? = october.parser.parse("tomorrow") else { Issue.record(); return }
        #expect(sunday.duration == 23 * 3600)
    }

    @Test func kolkataHalfHourOffset() {
        // 23:50 IST (+05:30) is 18:20 UTC: "today" is still the local day.
        let clock = Clock("Asia/Kolkata", 2026, 11, 21, 23, 50)
        guard case .days(let today)? = clock.parser.parse("today") else { Issue.record(); return }
        #expect(today.start == utc("2026-11-20T18:30:00Z"))
        #expect(today.end == utc("2026-11-21T18:30:00Z"))
        #expect(clock("in 30 minutes") == "2026-11-22 00:20")
        #expect(clock("11pm") == "2026-11-22 23:00")
        #expect(clock("midnight") == "2026-11-22 00:00")
        #expect(clock("tomorrow") == "2026-11-22")
    }

    @Test func skippedMidnightStartsTheDayAtTheChange() {
        // Chile moves 00:00 → 01:00 on Sunday 6 September 2026; the day starts when Foundation says it does.
        let clock = Clock("America/Santiago", 2026, 9, 5, 12)
        #expect(clock("tomorrow") == "2026-09-06")
        #expect(clock("today") == "2026-09-05")
    }

    @Test(arguments: [
        ("09:00", 540), ("9:00", 540), ("9", 540), ("9am", 540), ("9 pm", 1260), ("3", 180), ("3pm", 900),
        ("15h", 900), ("15:30", 930), ("noon", 720), ("midnight", 0), ("12am", 0), ("12pm", 720), ("23:59", 1439),
    ])
    func timeOfDay(_ text: String, _ minutes: Int) {
        #expect(TimeExpressionParser.parseTimeOfDay(text) == TimeOfDay(minutes: minutes), "\(text)")
    }

    @Test(arguments: ["", "25:00", "9:5", "13pm", "9 oclock pm", "tomorrow", "9:00 10:00", "-1"])
    func timeOfDayRejects(_ text: String) {
        #expect(TimeExpressionParser.parseTimeOfDay(text) == nil, "\(text)")
    }
}
