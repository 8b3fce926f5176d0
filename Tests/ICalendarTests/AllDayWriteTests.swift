import Foundation
import StewardCore
import Testing
@testable import ICalendar

/// An all-day booking written to a local .ics file: date values with an exclusive end (RFC 5545 3.6.1),
/// read back as dates on the right days in any zone, written once however often it is approved.
@Suite("ICS all-day writes")
struct AllDayWriteTests {
    static let dec24 = LocalDate(year: 2026, month: 12, day: 24)

    private func draft(_ days: ClosedRange<LocalDate>, uid: String = "steward-a1@steward.local") -> EventDraft {
        var draft = EventDraft(uid: uid, title: "Offsite", start: days.lowerBound.startOfDay(in: berlin),
                               end: days.upperBound.adding(days: 1).startOfDay(in: berlin), timeZone: "Europe/Berlin")
        draft.allDay = days
        return draft
    }

    @Test("DTSTART and DTEND are VALUE=DATE, the end the day after the last date; no zone is written")
    func writesDates() {
        let block = ICalendarWriter.event(draft(Self.dec24...LocalDate(year: 2026, month: 12, day: 26)), now: Date())
        #expect(block.contains("DTSTART;VALUE=DATE:20261224\r\n"), "\(block)")
        #expect(block.contains("DTEND;VALUE=DATE:20261227\r\n"), "\(block)")
        #expect(!block.contains("TZID"))
    }

    @Test("Created in a file, it reads back as 24 Dec all day, once, and shows on that day in another zone")
    func roundTrip() async throws {
        let file = try temporaryDirectory().appendingPathComponent("home.ics")
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: berlin)
        #expect(provider.canCreateAllDayEvents)
        let created = try await provider.createEvent(draft(Self.dec24...Self.dec24), calendarID: nil)
        #expect(created.start == .date(Self.dec24))
        #expect(created.end == .date(LocalDate(year: 2026, month: 12, day: 25)))
        #expect(created.title == "Offsite")
        // Approved twice (a retry): still one event in the file.
        _ = try await provider.createEvent(draft(Self.dec24...Self.dec24), calendarID: nil)
        let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count == 2)
        #expect(!text.contains("BEGIN:VTIMEZONE"))

        let losAngeles = zone("America/Los_Angeles")
        let reader = ICSFileProvider(accountID: "ics:1", fileURL: file, defaultTimeZone: losAngeles)
        let christmasEve = try await reader.events(in: Self.dec24.interval(in: losAngeles))
        #expect(christmasEve.map(\.title) == ["Offsite"])
        #expect(christmasEve.first?.isAllDay == true)
        let dec25 = try await reader.events(in: LocalDate(year: 2026, month: 12, day: 25).interval(in: losAngeles))
        #expect(dec25.isEmpty)
    }
}
