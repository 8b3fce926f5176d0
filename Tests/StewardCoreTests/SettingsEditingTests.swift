import Foundation
import Testing
@testable import StewardCore

@Suite struct SettingsEditingTests {
    private func applied(_ key: String, _ value: String, to settings: UserSettings = UserSettings(timeZone: "Europe/Berlin"))
        throws -> UserSettings {
        var changed = settings
        try changed.apply(key: key, value: value)
        return changed
    }

    /// The setting's summary line after applying `value`.
    private func line(_ key: String, _ value: String) throws -> String {
        let changed = try applied(key, value)
        return try #require(changed.summaryLines().first { $0.hasPrefix(key + " ") })
    }

    @Test func defaultSummary() {
        #expect(UserSettings(timeZone: "Europe/Berlin").summaryLines() == [
            "timezone Europe/Berlin", "hours 09:00-18:00", "workdays mon-fri", "buffer 15m", "quiet 22:00-07:00",
            "digest 08:00", "triage 10m", "clock 24h", "calendar (first account)", "vip (none)", "keyword (none)", "mute (none)",
            "noturgent (none)", "home last",
        ])
    }

    @Test(arguments: [
        ("timezone", "America/New_York", "timezone America/New_York"), ("timezone", "europe/berlin", "timezone Europe/Berlin"),
        ("timezone", " Asia/Kolkata ", "timezone Asia/Kolkata"),
        ("hours", "08:30-17:00", "hours 08:30-17:00"), ("hours", "9-18", "hours 09:00-18:00"),
        ("hours", "9am - 6pm", "hours 09:00-18:00"), ("hours", "10:00\u{2013}16:00", "hours 10:00-16:00"),
        ("hours", "09:00-24:00", "hours 09:00-24:00"),
        ("workdays", "mon-fri", "workdays mon-fri"), ("workdays", "mon,wed,fri", "workdays mon,wed,fri"),
        ("workdays", "sat-sun", "workdays sat-sun"), ("workdays", "sun-thu", "workdays sun-thu"),
        ("workdays", "Monday - Thursday", "workdays mon-thu"), ("workdays", "weekdays", "workdays mon-fri"),
        ("workdays", "mon-wed, fri", "workdays mon-wed,fri"), ("workdays", "every day", "workdays mon-sun"),
        ("buffer", "15m", "buffer 15m"), ("buffer", "0", "buffer 0m"), ("buffer", "0m", "buffer 0m"),
        ("buffer", "4h", "buffer 4h"), ("buffer", "1h30", "buffer 1h30m"), ("buffer", "5 minutes", "buffer 5m"),
        ("quiet", "22:00-07:00", "quiet 22:00-07:00"), ("quiet", "off", "quiet off"), ("quiet", "23:30-6:00", "quiet 23:30-06:00"),
        ("digest", "08:00", "digest 08:00"), ("digest", "7:30", "digest 07:30"), ("digest", "Off", "digest off"),
        ("triage", "1m", "triage 1m"), ("triage", "10m", "triage 10m"), ("triage", "2h", "triage 2h"),
        ("clock", "12h", "clock 12h"), ("clock", "24h", "clock 24h"),
        ("calendar", "google:1", "calendar google:1"), ("calendar", "(first account)", "calendar (first account)"),
        ("vip", "add Boss@Example.com", "vip add boss@example.com"),
        ("vip", "add a@x.com, b@y.com", "vip add a@x.com,b@y.com"),
        ("mute", "add News@Shop.example, @promo.example", "mute add news@shop.example,@promo.example"),
        ("noturgent", "add Team@Example.com", "noturgent add team@example.com"),
        ("keyword", "add Invoice", "keyword add invoice"), ("keyword", "add board meeting", "keyword add board meeting"),
    ])
    func accepts(_ key: String, _ value: String, _ expected: String) throws {
        #expect(try line(key, value) == expected, "\(key) \(value)")
    }

    @Test func keysAreCaseInsensitive() throws {
        #expect(try applied("Hours", "10:00-16:00").workingHours.text == "10:00-16:00")
        #expect(try applied("TZ", "UTC").timeZone == "UTC")
    }

    @Test func listsAddOnceAndRemove() throws {
        var settings = UserSettings(timeZone: "Europe/Berlin")
        try settings.apply(key: "vip", value: "add boss@example.com")
        try settings.apply(key: "vip", value: "add BOSS@example.com")
        try settings.apply(key: "vip", value: "add ceo@example.com")
        #expect(settings.vips == ["boss@example.com", "ceo@example.com"])
        try settings.apply(key: "vip", value: "remove Boss@Example.com")
        #expect(settings.vips == ["ceo@example.com"])
        try settings.apply(key: "keyword", value: "add urgent")
        try settings.apply(key: "keyword", value: "remove URGENT")
        #expect(settings.keywords.isEmpty)
    }

    @Test(arguments: [
        ("timezone", "Mars/Olympus", "timezone: expected an IANA zone name, e.g. timezone Europe/Berlin"),
        ("timezone", "", "timezone: expected an IANA zone name, e.g. timezone Europe/Berlin"),
        ("hours", "18:00-09:00", "hours: expected HH:MM-HH:MM with the start before the end, e.g. hours 09:00-18:00"),
        ("hours", "9", "hours: expected HH:MM-HH:MM with the start before the end, e.g. hours 09:00-18:00"),
        ("hours", "nine to five", "hours: expected HH:MM-HH:MM with the start before the end, e.g. hours 09:00-18:00"),
        ("hours", "25:00-26:00", "hours: expected HH:MM-HH:MM with the start before the end, e.g. hours 09:00-18:00"),
        ("workdays", "", "workdays: expected days such as mon-fri or mon,wed,fri, e.g. workdays mon-fri"),
        ("workdays", "funday", "workdays: expected days such as mon-fri or mon,wed,fri, e.g. workdays mon-fri"),
        ("workdays", "mon-funday", "workdays: expected days such as mon-fri or mon,wed,fri, e.g. workdays mon-fri"),
        ("buffer", "5h", "buffer: expected a duration from 0m to 4h, e.g. buffer 15m"),
        ("buffer", "-5m", "buffer: expected a duration from 0m to 4h, e.g. buffer 15m"),
        ("buffer", "soon", "buffer: expected a duration from 0m to 4h, e.g. buffer 15m"),
        ("quiet", "22:00-22:00", "quiet: expected HH:MM-HH:MM or off, e.g. quiet 22:00-07:00"),
        ("quiet", "sometimes", "quiet: expected HH:MM-HH:MM or off, e.g. quiet 22:00-07:00"),
        ("digest", "25:00", "digest: expected HH:MM or off, e.g. digest 08:00"),
        ("digest", "morning", "digest: expected HH:MM or off, e.g. digest 08:00"),
        ("triage", "0m", "triage: expected a duration of at least 1m, e.g. triage 10m"),
        ("triage", "30s", "triage: expected a duration of at least 1m, e.g. triage 10m"),
        ("clock", "13h", "clock: expected 24h or 12h, e.g. clock 24h"),
        ("calendar", "", "calendar: expected an account from /accounts, e.g. calendar google:1"),
        ("vip", "add", "vip: expected add|remove <address>, e.g. vip add boss@example.com"),
        ("mute", "remove a@x.com", "mute: a@x.com is not in the list; expected add|remove <address or @domain>, e.g. mute add news@shop.example"),
        ("noturgent", "add nobody", "noturgent: \"nobody\" isn't an email address or @domain; expected add|remove <address or @domain>, e.g. noturgent add team@example.com"),
        ("vip", "promote a@x.com", "vip: expected add|remove <address>, e.g. vip add boss@example.com"),
        ("vip", "add not-an-email",
         "vip: \"not-an-email\" isn't an email address; expected add|remove <address>, e.g. vip add boss@example.com"),
        ("vip", "remove nobody@x.com",
         "vip: nobody@x.com is not in the list; expected add|remove <address>, e.g. vip add boss@example.com"),
        ("keyword", "remove missing",
         "keyword: missing is not in the list; expected add|remove <word>, e.g. keyword add invoice"),
        ("colour", "blue", "Unknown setting \"colour\"; the keys are timezone, hours, workdays, buffer, quiet, "
            + "digest, triage, clock, calendar, vip, keyword, mute, noturgent, home."),
    ])
    func rejectsWithOneLineAndChangesNothing(_ key: String, _ value: String, _ message: String) {
        var settings = UserSettings(timeZone: "Europe/Berlin")
        settings.vips = ["boss@example.com"]
        let before = settings
        #expect(throws: SettingsError(message)) { try settings.apply(key: key, value: value) }
        #expect(settings == before)
        #expect(!message.contains("\n"))
    }

    @Test func aFailedListEditKeepsEarlierItemsOut() {
        // The second address is bad: the first must not be added either.
        var settings = UserSettings(timeZone: "Europe/Berlin")
        #expect(throws: SettingsError.self) { try settings.apply(key: "vip", value: "add a@x.com, nope") }
        #expect(settings.vips.isEmpty)
    }

    @Test func everySummaryLineReadsBackUnchanged() throws {
        var custom = UserSettings(timeZone: "America/New_York")
        custom.workingHours = DailyWindow(start: TimeOfDay(hour: 8, minute: 30), end: TimeOfDay(hour: 24))
        custom.workdays = [.sunday, .monday, .tuesday, .wednesday, .thursday]
        custom.bufferMinutes = 90
        custom.quietHours = nil
        custom.digestTime = nil
        custom.triageMinutes = 1
        custom.clock = .h12
        custom.defaultCalendarAccount = "caldav:2"
        custom.vips = ["a@x.com", "b@y.com"]
        custom.keywords = ["invoice", "board meeting"]
        for settings in [UserSettings(timeZone: "Europe/Berlin"), custom] {
            for line in settings.summaryLines() where !line.hasSuffix("(none)") {
                let (key, value) = (String(line.prefix { $0 != " " }), String(line.drop { $0 != " " }.dropFirst()))
                var copy = settings
                try copy.apply(key: key, value: value)  // `vip add …` of what is there is a no-op
                #expect(copy == settings, "\(line)")
            }
        }
    }
}
