import Foundation
import StewardCore
import Testing
@testable import ICalendar

/// Moving and cancelling events in a local .ics file: the file changes, UIDs stay, everything else stays
/// byte for byte, and the next read shows the change at once.
@Suite("ICS file changes")
struct ICSFileChangeTests {
    /// A file as another program writes it: LF line ends, an alarm, an unknown property, a folded line.
    static let text = calendarText("""
        BEGIN:VEVENT
        UID:review-1@example.com
        DTSTAMP:20261101T090000Z
        DTSTART;TZID=Europe/Berlin:20261124T140000
        DURATION:PT1H
        SUMMARY:Design review
        X-OTHER-APP:keep me
        ATTENDEE;CN=Bob:mailto:bob@example.com
        DESCRIPTION:A long description that another program folded over two physical li
         nes, which must survive untouched
        BEGIN:VALARM
        TRIGGER:-PT15M
        ACTION:DISPLAY
        DESCRIPTION:Reminder
        END:VALARM
        END:VEVENT
        BEGIN:VEVENT
        UID:standup@example.com
        DTSTAMP:20261101T090000Z
        DTSTART;TZID=Europe/Berlin:20261123T090000
        DTEND;TZID=Europe/Berlin:20261123T091500
        RRULE:FREQ=DAILY;COUNT=5
        SUMMARY:Standup
        END:VEVENT
        BEGIN:VEVENT
        UID:standup@example.com
        RECURRENCE-ID;TZID=Europe/Berlin:20261125T090000
        DTSTAMP:20261101T090000Z
        DTSTART;TZID=Europe/Berlin:20261125T100000
        DTEND;TZID=Europe/Berlin:20261125T101500
        SUMMARY:Standup (late)
        END:VEVENT
        BEGIN:VEVENT
        UID:dentist@example.com
        DTSTAMP:20261101T090000Z
        DTSTART;TZID=Europe/Berlin:20261127T150000
        DTEND;TZID=Europe/Berlin:20261127T154500
        SUMMARY:Dentist
        END:VEVENT
        """)

    private func makeFile() throws -> (ICSFileProvider, URL) {
        let file = try temporaryDirectory().appendingPathComponent("home.ics")
        try Data(Self.text.utf8).write(to: file)
        return (ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin), file)
    }

    private var week: DateInterval { window(berlin, from: (2026, 11, 21), to: (2026, 11, 30)) }

    @Test("Moving a single event rewrites its times, keeps its UID and the rest of the file, and reads back at once")
    func moveSingle() async throws {
        let (provider, file) = try makeFile()
        // Served once from a parse, so the cache must be replaced by the write, not merely invalidated.
        let before = try await provider.events(in: week)
        #expect(before.contains { $0.id == "review-1@example.com" && wallClock($0.start.instant(in: berlin), berlin) == "2026-11-24 14:00" })
        #expect(provider.canChangeEvents && !provider.canNotifyAttendees)

        let moved = try await provider.moveEvent(id: "review-1@example.com", calendarID: "default",
                                                 start: local(berlin, 2026, 11, 26, 10), end: local(berlin, 2026, 11, 26, 11),
                                                 timeZone: "Europe/Berlin", notifyAttendees: false)
        #expect(moved.id == "review-1@example.com")
        #expect(moved.start == .dateTime(local(berlin, 2026, 11, 26, 10), timeZone: "Europe/Berlin"))

        let after = try await provider.events(in: week).filter { $0.id == "review-1@example.com" }
        #expect(after.map { wallClock($0.start.instant(in: berlin), berlin) } == ["2026-11-26 10:00"])
        #expect(after.map { wallClock($0.end.instant(in: berlin), berlin) } == ["2026-11-26 11:00"])

        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.contains("DTSTART;TZID=Europe/Berlin:20261126T100000\nDTEND;TZID=Europe/Berlin:20261126T110000\nSEQUENCE:1\n"))
        #expect(!written.contains("DURATION:PT1H") && !written.contains("20261124T140000"))
        #expect(written.contains("X-OTHER-APP:keep me\n"))
        #expect(written.contains("DESCRIPTION:A long description that another program folded over two physical li\n nes,"))
        #expect(written.contains("BEGIN:VALARM\nTRIGGER:-PT15M\nACTION:DISPLAY\nDESCRIPTION:Reminder\nEND:VALARM\nEND:VEVENT\n"))
        #expect(!written.contains("\r\n"), "the file keeps its own line ends")
        // Everything after the moved event is untouched.
        let tail = try #require(Self.text.range(of: "BEGIN:VEVENT\nUID:standup@example.com"))
        #expect(written.hasSuffix(String(Self.text[tail.lowerBound...])))
        #expect(written.components(separatedBy: "UID:review-1@example.com").count == 2)
    }

    @Test("Cancelling a single event removes its block and nothing else")
    func cancelSingle() async throws {
        let (provider, file) = try makeFile()
        _ = try await provider.events(in: week)
        try await provider.cancelEvent(id: "dentist@example.com", calendarID: "default", notifyAttendees: false)
        #expect(try await provider.events(in: week).allSatisfy { $0.title != "Dentist" })
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(!written.contains("dentist@example.com"))
        let removed = try #require(Self.text.range(of: "BEGIN:VEVENT\nUID:dentist@example.com"))
        #expect(written == String(Self.text[..<removed.lowerBound]) + "END:VCALENDAR\n")
        // Cancelling what is already gone is the outcome asked for.
        try await provider.cancelEvent(id: "dentist@example.com", calendarID: "default", notifyAttendees: false)
    }

    @Test("Cancelling one occurrence of a series excludes just that one, override included")
    func cancelOccurrence() async throws {
        let (provider, file) = try makeFile()
        let standups = try await provider.events(in: week).filter { $0.title.hasPrefix("Standup") }
        #expect(standups.count == 5)
        let third = try #require(standups.first { $0.title == "Standup (late)" })
        let second = standups[1]
        try await provider.cancelEvent(id: second.id, calendarID: "default", notifyAttendees: false)
        try await provider.cancelEvent(id: third.id, calendarID: "default", notifyAttendees: false)
        let left = try await provider.events(in: week).filter { $0.title.hasPrefix("Standup") }
        #expect(left.map { wallClock($0.start.instant(in: berlin), berlin) }
                == ["2026-11-23 09:00", "2026-11-26 09:00", "2026-11-27 09:00"])
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.contains("EXDATE:20261124T080000Z\nEXDATE:20261125T080000Z\nEND:VEVENT"))
        #expect(!written.contains("Standup (late)"))
        #expect(written.components(separatedBy: "UID:standup@example.com").count == 2)
    }

    @Test("Moving one occurrence of a series is refused in one line and changes nothing")
    func moveOccurrenceRefused() async throws {
        let (provider, file) = try makeFile()
        let occurrence = try #require(try await provider.events(in: week).first { $0.title == "Standup" })
        let refusal = try #require(provider.moveRefusal(for: occurrence))
        #expect(refusal.contains("one occurrence of a repeating event in home.ics"))
        await #expect(throws: CalendarError.self) {
            _ = try await provider.moveEvent(id: occurrence.id, calendarID: "default", start: local(berlin, 2026, 11, 28, 9),
                                             end: local(berlin, 2026, 11, 28, 9, 15), timeZone: "Europe/Berlin",
                                             notifyAttendees: false)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.text)
    }

    @Test("A file Steward wrote (CR LF, folded lines, its own VTIMEZONE) is moved and cancelled the same way")
    func stewardsOwnFile() async throws {
        let file = try temporaryDirectory().appendingPathComponent("mine.ics")
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)
        for (uid, title, day) in [("a@steward.local", "Retro with a title long enough to be folded over two lines", 23),
                                  ("b@steward.local", "Gym", 24)] {
            _ = try await provider.createEvent(EventDraft(uid: uid, title: title, start: local(berlin, 2026, 11, day, 12),
                                                          end: local(berlin, 2026, 11, day, 13), timeZone: "Europe/Berlin",
                                                          attendees: ["bob@example.com"]), calendarID: nil)
        }
        _ = try await provider.moveEvent(id: "a@steward.local", calendarID: "default", start: local(berlin, 2026, 11, 25, 9),
                                         end: local(berlin, 2026, 11, 25, 10), timeZone: "Europe/Berlin", notifyAttendees: false)
        try await provider.cancelEvent(id: "b@steward.local", calendarID: "default", notifyAttendees: false)
        let left = try await provider.events(in: week)
        #expect(left.map(\.id) == ["a@steward.local"])
        #expect(left.map { wallClock($0.start.instant(in: berlin), berlin) } == ["2026-11-25 09:00"])
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(!written.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "still CR LF throughout")
        #expect(written.components(separatedBy: "BEGIN:VTIMEZONE").count == 2, "the zone is defined once")
        #expect(written.contains("SUMMARY:Retro with a title long enough to be folded over two lines"
            .prefix(60)))
    }

    @Test("A published feed is read-only and says so")
    func urlFeedIsReadOnly() async throws {
        let feed = ICSURLProvider(accountID: "ics:2", url: URL(string: "https://example.com/team.ics")!,
                                  http: NoHTTP(), defaultTimeZone: berlin, cacheFile: nil)
        #expect(!feed.canCreateEvents && !feed.canChangeEvents && !feed.canNotifyAttendees)
        #expect(try await feed.calendars().map(\.isWritable) == [false])
    }
}

private struct NoHTTP: HTTPFetching {
    func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data) {
        throw CalendarError("offline")
    }
}
