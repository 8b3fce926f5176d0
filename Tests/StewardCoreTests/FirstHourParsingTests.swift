import Foundation
import Testing
@testable import StewardCore

/// What a newcomer types in the first minutes, and what a careful assistant makes of it.
@Suite struct FirstHourParsingTests {
    static let zone = TimeZone(identifier: "Europe/Berlin")!
    /// Saturday 21 November 2026, 10:00 in Berlin.
    static let now = at(2026, 11, 21, 10)

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        Calendar.gregorian(zone).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    func parse(_ kind: InboundEvent.Kind) -> Intent {
        IntentParser().parse(kind, context: ParseContext(now: Self.now, timeZone: Self.zone))
    }

    func usage(_ intent: Intent) -> String? {
        if case .usage(let message) = intent { message } else { nil }
    }

    @Test func morningAfternoonAndEveningLimitFreeToThoseHours() {
        let monday = { (hour: Int) in Self.at(2026, 11, 23, hour) }
        #expect(parse(.command(name: "free", arguments: "30m monday morning"))
                == .findFree(minutes: 30, within: DateInterval(start: monday(8), end: monday(12)), attendees: []))
        #expect(parse(.command(name: "free", arguments: "1h monday afternoon"))
                == .findFree(minutes: 60, within: DateInterval(start: monday(12), end: monday(17)), attendees: []))
        #expect(parse(.command(name: "free", arguments: "30m monday evening"))
                == .findFree(minutes: 30, within: DateInterval(start: monday(17), end: monday(21)), attendees: []))
        // A clock time still wins: "monday morning at 7" is an instant.
        #expect(parse(.command(name: "free", arguments: "30m monday morning at 7"))
                == .findFree(minutes: 30, within: DateInterval(start: monday(7), end: Self.at(2026, 11, 24, 0)), attendees: []))
    }

    @Test func amIFreeChecksTheWholePartOfTheDay() {
        #expect(parse(.message("am I free tomorrow afternoon?"))
                == .checkFree(start: Self.at(2026, 11, 22, 12), minutes: 300))
        #expect(parse(.message("am I free monday morning for 30 minutes"))
                == .findFree(minutes: 30, within: DateInterval(start: Self.at(2026, 11, 23, 8), end: Self.at(2026, 11, 23, 12)),
                             attendees: []))
    }

    @Test func aBookingWithADayButNoTimeAsksForTheTimeNamingTheDay() throws {
        let answer = try #require(usage(parse(.message("book meeting monday"))))
        #expect(answer.contains("What time on Mon 23 Nov (\"monday\") should \"meeting\" start?"))
        #expect(!answer.contains("didn't catch"))
        let command = try #require(usage(parse(.command(name: "book", arguments: "Offsite dec 24"))))
        #expect(command.contains("Thu 24 Dec"))
    }

    @Test func anAllDayBookingIsBookedForThatDateNotAnsweredWithDidntCatchThat() throws {
        // Was a plain refusal ("I can't book all-day events"); now it is the booking, on its date.
        let dec24 = LocalDate(year: 2026, month: 12, day: 24)
        for text in ["book an all-day Offsite on dec 24", "book Offsite all day on dec 24"] {
            #expect(parse(.message(text)) == .bookAllDay(title: "Offsite", days: dec24...dec24, attendees: [], notify: true),
                    "\(text)")
        }
    }

    @Test func greetingsAndThanksGetShortAnswers() {
        for hello in ["hi", "Hello!", "hey steward", "good morning"] { #expect(parse(.message(hello)) == .start, "\(hello)") }
        for thanks in ["thanks", "Thank you!", "thx"] {
            #expect(usage(parse(.message(thanks))) == "You're welcome.", "\(thanks)")
        }
        #expect(parse(.message("help")) == .help)
        // A question with a polite start is still the question.
        #expect(parse(.message("hi, what's on tomorrow")) != .start)
    }

    @Test func aMistypedCommandSuggestsTheNearestOne() throws {
        #expect(try #require(usage(parse(.command(name: "tody", arguments: "")))).contains("Did you mean /today?"))
        #expect(try #require(usage(parse(.command(name: "tdoay", arguments: "")))).contains("Did you mean /today?"))
        #expect(try #require(usage(parse(.command(name: "sttus", arguments: "")))).contains("Did you mean /status?"))
        #expect(usage(parse(.command(name: "frobnicate", arguments: ""))) == "Unknown command /frobnicate. Send /help to see what I can do.")
    }

    @Test func hoursNineToFiveMeansTheAfternoon() throws {
        var settings = UserSettings(timeZone: "Europe/Berlin")
        try settings.apply(key: "hours", value: "9-5")
        #expect(settings.workingHours == DailyWindow(start: TimeOfDay(hour: 9), end: TimeOfDay(hour: 17)))
        try settings.apply(key: "hours", value: "8:30-5:30")
        #expect(settings.workingHours == DailyWindow(start: TimeOfDay(hour: 8, minute: 30), end: TimeOfDay(hour: 17, minute: 30)))
        // Still refused when no reading makes sense.
        #expect(throws: SettingsError.self) { try settings.apply(key: "hours", value: "18-09:00") }
    }

    @Test func aSettingsKeyAloneShowsItsCurrentValue() throws {
        let settings = UserSettings(timeZone: "Europe/Berlin")
        let line = try #require(settings.currentLine(for: "timezone"))
        #expect(line.hasPrefix("timezone Europe/Berlin"))
        #expect(line.contains("e.g. timezone Europe/Berlin"))
        #expect(settings.currentLine(for: "tz")?.hasPrefix("timezone Europe/Berlin") == true)
        #expect(settings.currentLine(for: "bogus") == nil)
    }
}
