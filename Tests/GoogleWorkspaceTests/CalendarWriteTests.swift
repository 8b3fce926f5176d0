import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardTesting
import Testing

@Suite("Google Calendar writes")
struct CalendarWriteTests {
    static let draft = EventDraft(uid: "approval-7f3a", title: "Lunch with Grace", start: .at("2026-03-30T12:30:00+02:00"),
                                  end: .at("2026-03-30T13:30:00+02:00"), timeZone: "Europe/Berlin",
                                  attendees: ["grace@example.org", "alan@example.net"])

    @Test("insert sends exactly one documented body (title, zoned times, attendees) with sendUpdates")
    func insertBody() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            let event = try await provider.createEvent(Self.draft, calendarID: nil, sendUpdates: .all)
            #expect(event.title == "Lunch with Grace")
            #expect(event.start == .dateTime(.at("2026-03-30T10:30:00Z"), timeZone: "Europe/Berlin"))
            #expect(event.calendarID == "primary")
            #expect(!event.isFromOthers)

            let inserts = await google.state.requests("calendar.events.insert")
            #expect(inserts.count == 1)
            let insert = try #require(inserts.first)
            #expect(insert.status == 200)
            #expect(insert.path == "/calendar/v3/calendars/primary/events")
            #expect(insert.query.map(\.name) == ["sendUpdates"])
            #expect(insert.query("sendUpdates") == "all")
            #expect(insert.body == [
                "id": .string(GoogleCalendarProvider.eventID(forDraftUID: "approval-7f3a")),
                "summary": "Lunch with Grace",
                "start": ["dateTime": "2026-03-30T12:30:00+02:00", "timeZone": "Europe/Berlin"],
                "end": ["dateTime": "2026-03-30T13:30:00+02:00", "timeZone": "Europe/Berlin"],
                "attendees": [["email": "grace@example.org"], ["email": "alan@example.net"]],
            ])
            #expect(await google.state.eventCount(calendarID: GoogleHarness.owner) == 1)
        }
    }

    @Test("writing the same draft again returns the event already there; the calendar holds one")
    func idempotentCreate() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            let first = try await provider.createEvent(Self.draft, calendarID: nil)
            let second = try await provider.createEvent(Self.draft, calendarID: nil)
            #expect(first.id == second.id)
            #expect(await google.state.eventCount(calendarID: GoogleHarness.owner) == 1)
            #expect(await google.state.requests("calendar.events.insert").map(\.status) == [200, 409])
            #expect(await google.state.requests("calendar.events.get").count == 1)
            // No attendees → nobody to notify.
            let solo = EventDraft(uid: "solo", title: "Focus", start: .at("2026-03-31T08:00:00Z"), end: .at("2026-03-31T09:00:00Z"),
                                  timeZone: "UTC")
            _ = try await provider.createEvent(solo, calendarID: nil)
            #expect(await google.state.requests("calendar.events.insert").last?.query("sendUpdates") == "none")
            #expect(first.id.allSatisfy { "0123456789abcdefghijklmnopqrstuv".contains($0) })
        }
    }

    @Test("moving patches only start and end in the given zone; cancelling deletes once and tolerates a second try")
    func moveAndCancel() async throws {
        try await GoogleHarness.run { google in
            let (provider, _) = try await google.provider()
            let created = try await provider.createEvent(Self.draft, calendarID: nil, sendUpdates: .none)
            let moved = try await provider.moveEvent(id: created.id, calendarID: nil, start: .at("2026-04-02T10:00:00+02:00"),
                                                     end: .at("2026-04-02T11:00:00+02:00"), timeZone: "Europe/Berlin", sendUpdates: .all)
            #expect(moved.start == .dateTime(.at("2026-04-02T08:00:00Z"), timeZone: "Europe/Berlin"))
            #expect(moved.title == "Lunch with Grace")
            let patch = try #require(await google.state.requests("calendar.events.patch").first)
            #expect(patch.query("sendUpdates") == "all")
            #expect(patch.body == ["start": ["dateTime": "2026-04-02T10:00:00+02:00", "timeZone": "Europe/Berlin"],
                                   "end": ["dateTime": "2026-04-02T11:00:00+02:00", "timeZone": "Europe/Berlin"]])

            try await provider.cancelEvent(id: created.id, calendarID: nil, sendUpdates: .all)
            try await provider.cancelEvent(id: created.id, calendarID: nil, sendUpdates: .all)
            #expect(await google.state.requests("calendar.events.delete").map(\.status) == [204, 410])
            #expect(await google.state.eventCount(calendarID: GoogleHarness.owner) == 0)
            let gone = try await provider.events(in: DateInterval(start: .at("2026-03-01T00:00:00Z"), end: .at("2026-05-01T00:00:00Z")))
            #expect(gone.isEmpty)
        }
    }

    @Test("moving one instance of a series changes that instance only")
    func moveInstance() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            let series = try await google.state.addWeeklyEvent(calendarID: owner, summary: "1:1", firstStart: .at("2026-03-02T14:00:00Z"),
                                                               duration: 1800, timeZone: "UTC", count: 3)
            let (provider, _) = try await google.provider()
            _ = try await provider.moveEvent(id: "\(series)_20260309T140000Z", calendarID: owner, start: .at("2026-03-12T10:00:00Z"),
                                             end: .at("2026-03-12T10:30:00Z"), timeZone: "UTC", sendUpdates: .none)
            let events = try await provider.events(in: DateInterval(start: .at("2026-03-01T00:00:00Z"), end: .at("2026-04-01T00:00:00Z")))
            #expect(events.map(\.start) == [.dateTime(.at("2026-03-02T14:00:00Z"), timeZone: "UTC"),
                                            .dateTime(.at("2026-03-12T10:00:00Z"), timeZone: "UTC"),
                                            .dateTime(.at("2026-03-16T14:00:00Z"), timeZone: "UTC")])
        }
    }

    @Test("writing to a calendar shared read-only is refused with a clear error")
    func readOnlyCalendar() async throws {
        try await GoogleHarness.run { google in
            try await google.state.addCalendar(id: "team@group.calendar.google.com", name: "Team", to: GoogleHarness.owner,
                                               accessRole: "reader")
            let (provider, _) = try await google.provider()
            let error = await #expect(throws: GoogleError.self) {
                try await provider.createEvent(Self.draft, calendarID: "team@group.calendar.google.com")
            }
            #expect(error == .forbidden)
            #expect(error?.reason == "requiredAccessLevel")
        }
    }
}
