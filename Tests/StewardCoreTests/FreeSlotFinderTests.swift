import Foundation
import Testing
@testable import StewardCore

/// A wall-clock instant in `zone`.
private func at(_ zone: String, _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
    Calendar.gregorian(TimeZone(identifier: zone)!)
        .date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

private func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
}

private func timed(_ id: String, _ start: Date, _ end: Date, zone: String? = nil, calendar: String = "primary",
                   blocks: Bool = true) -> CalendarEvent {
    CalendarEvent(id: id, title: id, start: .dateTime(start, timeZone: zone), end: .dateTime(end, timeZone: zone),
                  calendarID: calendar, blocksTime: blocks)
}

private func allDay(_ id: String, _ first: LocalDate, through last: LocalDate) -> CalendarEvent {
    CalendarEvent(id: id, title: id, start: .date(first), end: .date(last.adding(days: 1)))
}

private func settings(_ zone: String = "Europe/Berlin", buffer: Int = 0, hours: (Int, Int) = (9, 18),
                      workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]) -> UserSettings {
    var settings = UserSettings(timeZone: zone)
    settings.bufferMinutes = buffer
    settings.workingHours = DailyWindow(start: TimeOfDay(hour: hours.0), end: TimeOfDay(hour: hours.1))
    settings.workdays = workdays
    return settings
}

/// Runs the finder and renders the slots as `HH:MM-HH:MM` in `zone` (with the date when `dated`).
private func find(_ window: DateInterval, minutes: Int = 30, own: [CalendarEvent] = [], others: [DateInterval] = [],
                  settings: UserSettings, now: Date? = nil, limit: Int = 5, dated: Bool = false) -> [String] {
    let request = FreeSlotRequest(window: window, minutes: minutes, ownEvents: own, othersBusy: others,
                                  settings: settings, now: now ?? window.start, limit: limit)
    let calendar = Calendar.gregorian(settings.zone)
    func show(_ date: Date, dated: Bool = false) -> String {
        let p = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        let time = String(format: "%02d:%02d", p.hour!, p.minute!)
        return dated ? String(format: "%02d-%02d ", p.month!, p.day!) + time : time
    }
    return FreeSlotFinder.find(request).map { "\(show($0.start, dated: dated))-\(show($0.end))" }
}

private let berlin = "Europe/Berlin"
/// Monday 23 November 2026, the whole local day in Berlin.
private let monday = LocalDate(year: 2026, month: 11, day: 23).interval(in: TimeZone(identifier: berlin)!)

@Suite struct FreeSlotFinderTests {
    @Test func anEmptyDayIsOneSlotOfWorkingHours() {
        #expect(find(monday, settings: settings()) == ["09:00-18:00"])
    }

    @Test func overlappingEventsFromSeveralCalendarsMerge() {
        let own = [
            timed("a", at(berlin, 2026, 11, 23, 10), at(berlin, 2026, 11, 23, 11), calendar: "work"),
            timed("b", at(berlin, 2026, 11, 23, 11, 30), at(berlin, 2026, 11, 23, 11, 45), calendar: "home"),
            timed("c", at(berlin, 2026, 11, 23, 10, 30), at(berlin, 2026, 11, 23, 12), calendar: "team"),
            timed("d", at(berlin, 2026, 11, 23, 14), at(berlin, 2026, 11, 23, 15), calendar: "work"),
            timed("e", at(berlin, 2026, 11, 23, 15), at(berlin, 2026, 11, 23, 15, 20), calendar: "home"),
        ]
        #expect(find(monday, own: own, settings: settings()) == ["09:00-10:00", "12:00-14:00", "15:30-18:00"])
    }

    @Test func theBufferWidensOwnEventsButNotOthersBusyTime() {
        let own = [timed("a", at(berlin, 2026, 11, 23, 10), at(berlin, 2026, 11, 23, 11))]
        let others = [DateInterval(start: at(berlin, 2026, 11, 23, 13), end: at(berlin, 2026, 11, 23, 14))]
        #expect(find(monday, own: own, others: others, settings: settings(buffer: 15))
                == ["09:00-09:45", "11:15-13:00", "14:00-18:00"])
    }

    @Test func aSlotMustBeLongEnough() {
        let own = [timed("a", at(berlin, 2026, 11, 23, 9, 45), at(berlin, 2026, 11, 23, 17, 30))]
        #expect(find(monday, minutes: 45, own: own, settings: settings()) == ["09:00-09:45"])
        #expect(find(monday, minutes: 46, own: own, settings: settings()) == [])
    }

    @Test func weekendsAndOtherDaysOffAreSkipped() {
        let window = DateInterval(start: at(berlin, 2026, 11, 27, 17), end: at(berlin, 2026, 11, 30, 12))
        #expect(find(window, settings: settings(), dated: true) == ["11-27 17:00-18:00", "11-30 09:00-12:00"])
        let fourDays = settings(workdays: [.monday, .tuesday, .wednesday, .thursday])
        #expect(find(window, settings: fourDays, dated: true) == ["11-30 09:00-12:00"])
    }

    @Test func anAllDayEventBlocksItsLocalDatesNotUTCMidnights() {
        // Los Angeles is UTC-8: a Tuesday all-day event read as UTC would start on Monday at 16:00.
        let zone = "America/Los_Angeles"
        let window = DateInterval(start: at(zone, 2026, 11, 23, 0), end: at(zone, 2026, 11, 27, 0))
        let own = [allDay("offsite", LocalDate(year: 2026, month: 11, day: 24),
                          through: LocalDate(year: 2026, month: 11, day: 25))]
        #expect(find(window, own: own, settings: settings(zone), dated: true)
                == ["11-23 09:00-18:00", "11-26 09:00-18:00"])
    }

    @Test func anAllDayEventThatDoesNotBlockTimeIsIgnored() {
        var birthday = allDay("birthday", LocalDate(year: 2026, month: 11, day: 23),
                              through: LocalDate(year: 2026, month: 11, day: 23))
        birthday.blocksTime = false
        let reminder = timed("reminder", at(berlin, 2026, 11, 23, 12), at(berlin, 2026, 11, 23, 12))
        let tentative = timed("free", at(berlin, 2026, 11, 23, 13), at(berlin, 2026, 11, 23, 14), blocks: false)
        #expect(find(monday, own: [birthday, reminder, tentative], settings: settings(buffer: 15)) == ["09:00-18:00"])
    }

    @Test func anEventWrittenInTokyoIsJustAnInstant() {
        // 18:00 in Tokyo (UTC+9) is 10:00 in Berlin (UTC+1) in November.
        let own = [timed("call", at("Asia/Tokyo", 2026, 11, 23, 18), at("Asia/Tokyo", 2026, 11, 23, 19),
                         zone: "Asia/Tokyo")]
        #expect(find(monday, own: own, settings: settings()) == ["09:00-10:00", "11:00-18:00"])
    }

    @Test func workingHoursAreLocalOnTheDaysDSTStartsAndEnds() {
        let everyDay = Set(Weekday.allCases)
        let spring = LocalDate(year: 2026, month: 3, day: 29).interval(in: TimeZone(identifier: berlin)!)
        let springSlots = FreeSlotFinder.find(FreeSlotRequest(
            window: spring, minutes: 30, ownEvents: [], othersBusy: [], settings: settings(workdays: everyDay),
            now: spring.start))
        #expect(springSlots == [DateInterval(start: utc("2026-03-29T07:00:00Z"), end: utc("2026-03-29T16:00:00Z"))])
        // 01:00–04:00 local across the 02:00 → 03:00 jump is two real hours.
        #expect(find(spring, minutes: 120, settings: settings(hours: (1, 4), workdays: everyDay)) == ["01:00-04:00"])
        #expect(find(spring, minutes: 121, settings: settings(hours: (1, 4), workdays: everyDay)) == [])

        let autumn = LocalDate(year: 2026, month: 10, day: 25).interval(in: TimeZone(identifier: berlin)!)
        let autumnSlots = FreeSlotFinder.find(FreeSlotRequest(
            window: autumn, minutes: 30, ownEvents: [], othersBusy: [], settings: settings(workdays: everyDay),
            now: autumn.start))
        #expect(autumnSlots == [DateInterval(start: utc("2026-10-25T08:00:00Z"), end: utc("2026-10-25T17:00:00Z"))])
        // 01:00–04:00 local across the 03:00 → 02:00 fall-back is four real hours.
        #expect(find(autumn, minutes: 240, settings: settings(hours: (1, 4), workdays: everyDay)) == ["01:00-04:00"])

        let york = "America/New_York"
        let fallBack = LocalDate(year: 2026, month: 11, day: 1).interval(in: TimeZone(identifier: york)!)
        let busy = [timed("brunch", utc("2026-11-01T15:00:00Z"), utc("2026-11-01T16:00:00Z"))]
        let yorkSlots = FreeSlotFinder.find(FreeSlotRequest(
            window: fallBack, minutes: 30, ownEvents: busy, othersBusy: [],
            settings: settings(york, workdays: everyDay), now: fallBack.start))
        #expect(yorkSlots == [
            DateInterval(start: utc("2026-11-01T14:00:00Z"), end: utc("2026-11-01T15:00:00Z")),
            DateInterval(start: utc("2026-11-01T16:00:00Z"), end: utc("2026-11-01T23:00:00Z")),
        ])
    }

    @Test func whenDSTSkipsMidnightTheDayAndItsHoursBeginAtOne() {
        // Havana, 8 Mar 2026: 00:00 CST jumps to 01:00 CDT, so the local day begins at 05:00 UTC.
        let havana = "America/Havana"
        let day = LocalDate(year: 2026, month: 3, day: 8).interval(in: TimeZone(identifier: havana)!)
        #expect(day.start == utc("2026-03-08T05:00:00Z"))
        let slots = FreeSlotFinder.find(FreeSlotRequest(
            window: DateInterval(start: day.start.addingTimeInterval(-86_400), end: day.end), minutes: 30,
            ownEvents: [], othersBusy: [], settings: settings(havana, hours: (0, 6), workdays: [.sunday]),
            now: .distantPast))
        #expect(slots == [DateInterval(start: utc("2026-03-08T05:00:00Z"), end: utc("2026-03-08T10:00:00Z"))])
    }

    @Test func nothingStartsBeforeNowAndStartsRoundUpToAQuarterHour() {
        #expect(find(monday, settings: settings(), now: at(berlin, 2026, 11, 23, 10, 7)) == ["10:15-18:00"])
        #expect(find(monday, settings: settings(), now: at(berlin, 2026, 11, 23, 10, 15)) == ["10:15-18:00"])
        let late = at(berlin, 2026, 11, 23, 10, 0).addingTimeInterval(1)
        #expect(find(monday, settings: settings(), now: late) == ["10:15-18:00"])
        #expect(find(monday, settings: settings(), now: at(berlin, 2026, 11, 23, 17, 40)) == [])
        #expect(find(monday, settings: settings(), now: at(berlin, 2026, 11, 24, 8)) == [])
    }

    @Test func theSlotEndsWhereTheFreeTimeEndsNotOnAQuarterHour() {
        let own = [
            timed("a", at(berlin, 2026, 11, 23, 9), at(berlin, 2026, 11, 23, 10, 50)),
            timed("b", at(berlin, 2026, 11, 23, 12, 10), at(berlin, 2026, 11, 23, 18)),
        ]
        #expect(find(monday, own: own, settings: settings()) == ["11:00-12:10"])
    }

    @Test func quarterHoursAreLocalInHalfAndThreeQuarterHourZones() {
        for zone in ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide"] {
            let day = LocalDate(year: 2026, month: 11, day: 23).interval(in: TimeZone(identifier: zone)!)
            let own = [timed("a", at(zone, 2026, 11, 23, 9), at(zone, 2026, 11, 23, 10, 50))]
            #expect(find(day, own: own, settings: settings(zone)) == ["11:00-18:00"], "\(zone)")
            #expect(find(day, settings: settings(zone), now: at(zone, 2026, 11, 23, 13, 1)) == ["13:15-18:00"])
        }
    }

    @Test func theWindowBoundsTheSlotsAndEarlierEventsStillBlock() {
        let window = DateInterval(start: at(berlin, 2026, 11, 23, 10, 5), end: at(berlin, 2026, 11, 23, 16, 20))
        let own = [timed("long", at(berlin, 2026, 11, 20, 9), at(berlin, 2026, 11, 23, 11))]
        #expect(find(window, own: own, settings: settings()) == ["11:00-16:20"])
    }

    @Test func theLimitKeepsTheEarliestSlots() {
        let week = DateInterval(start: monday.start, duration: 7 * 86_400)
        #expect(find(week, settings: settings(), limit: 2, dated: true) == ["11-23 09:00-18:00", "11-24 09:00-18:00"])
        #expect(find(week, settings: settings(), limit: 0) == [])
        #expect(find(week, settings: settings(), limit: 100).count == 5)
    }

    @Test func unusableWorkingHoursGiveNoSlots() {
        #expect(find(monday, settings: settings(hours: (22, 7))) == [])
        #expect(find(monday, settings: settings(workdays: [])) == [])
        #expect(find(DateInterval(start: monday.start, duration: 0), settings: settings()) == [])
    }

    @Test func civilDayNumbersRoundTrip() {
        #expect(CivilDays.number(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDays.weekday(CivilDays.number(year: 2026, month: 11, day: 23)) == Weekday.monday.rawValue)
        var date = LocalDate(year: 1999, month: 12, day: 25)
        for _ in 0..<1_000 {
            let number = CivilDays.number(year: date.year, month: date.month, day: date.day)
            let back = CivilDays.date(number)
            #expect(LocalDate(year: back.year, month: back.month, day: back.day) == date)
            #expect(CivilDays.weekday(number) == date.weekday.rawValue)
            date = date.adding(days: 37)
        }
    }
}
