import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardTesting
import Testing

/// An all-day booking sent to Google Calendar: events.insert with `start.date` / `end.date` (yyyy-mm-dd,
/// the end exclusive) and no times or zone, read back as dates. The fake refuses what Google refuses.
@Suite("Google Calendar all-day inserts")
struct AllDayInsertTests {
    static let dec24 = LocalDate(year: 2026, month: 12, day: 24)
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func draft(_ days: ClosedRange<LocalDate>) -> EventDraft {
        var draft = EventDraft(uid: "steward-a1@steward.local", title: "Offsite", start: days.lowerBound.startOfDay(in: berlin),
                               end: days.upperBound.adding(days: 1).startOfDay(in: berlin), timeZone: "Europe/Berlin")
        draft.allDay = days
        return draft
    }

    @Test("insert sends start.date and the day after as end.date, and the event comes back as those dates, once")
    func insertBody() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            #expect(provider.canCreateAllDayEvents)
            let event = try await provider.createEvent(Self.draft(Self.dec24...Self.dec24), calendarID: nil)
            #expect(event.title == "Offsite")
            #expect(event.start == .date(Self.dec24))
            #expect(event.end == .date(LocalDate(year: 2026, month: 12, day: 25)))
            #expect(event.isAllDay)

            let insert = try #require(await google.state.requests("calendar.events.insert").first)
            #expect(insert.status == 200)
            #expect(insert.body == [
                "id": .string(GoogleCalendarProvider.eventID(forDraftUID: "steward-a1@steward.local")),
                "summary": "Offsite",
                "start": ["date": "2026-12-24"],
                "end": ["date": "2026-12-25"],
            ])
            // Approved again (a retry): the one event already there.
            _ = try await provider.createEvent(Self.draft(Self.dec24...Self.dec24), calendarID: nil)
            #expect(await google.state.eventCount(calendarID: GoogleHarness.owner) == 1)
        }
    }

    @Test("three dates: end.date is the day after the last")
    func severalDays() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            let event = try await provider.createEvent(Self.draft(Self.dec24...LocalDate(year: 2026, month: 12, day: 26)),
                                                       calendarID: nil)
            #expect(event.end == .date(LocalDate(year: 2026, month: 12, day: 27)))
            let insert = try #require(await google.state.requests("calendar.events.insert").first)
            #expect(insert.body?["end"] == ["date": "2026-12-27"])
        }
    }

    @Test("like Google, the fake refuses an all-day event whose end date is its start date, or a date mixed with a time")
    func fakeChecksDates() async throws {
        try await GoogleHarness.run { google in
            let (_, tokens) = try await google.provider()
            let client = google.client(tokens: tokens, attempts: 1)
            let empty = GoogleEventWrite(summary: "Offsite", start: GoogleEventDateTime(Self.dec24),
                                         end: GoogleEventDateTime(Self.dec24))
            await #expect(throws: GoogleError.self) {
                _ = try await client.insertEvent(calendarID: "primary", empty, sendUpdates: .none)
            }
            let mixed = GoogleEventWrite(summary: "Offsite", start: GoogleEventDateTime(Self.dec24),
                                         end: GoogleEventDateTime(Self.dec24.adding(days: 1).startOfDay(in: Self.berlin),
                                                                  timeZone: "Europe/Berlin"))
            await #expect(throws: GoogleError.self) {
                _ = try await client.insertEvent(calendarID: "primary", mixed, sendUpdates: .none)
            }
            #expect(await google.state.requests("calendar.events.insert").map(\.status) == [400, 400])
            #expect(await google.state.eventCount(calendarID: GoogleHarness.owner) == 0)
        }
    }
}
