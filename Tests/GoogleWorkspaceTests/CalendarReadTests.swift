import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardTesting
import Testing

@Suite("Google Calendar reads")
struct CalendarReadTests {
    @Test("calendarList maps names, primary and write access; events(in:) reads the primary and selected calendars")
    func calendarList() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            try await google.state.addCalendar(id: "team@group.calendar.google.com", name: "Team", to: owner, accessRole: "reader")
            try await google.state.addCalendar(id: "holidays@group.v.calendar.google.com", name: "Holidays", to: owner,
                                               accessRole: "reader", selected: false)
            try await google.state.addTimedEvent(calendarID: "team@group.calendar.google.com", summary: "Team sync",
                                                 start: .at("2026-03-10T09:00:00Z"), end: .at("2026-03-10T10:00:00Z"), timeZone: "UTC")
            try await google.state.addAllDayEvent(calendarID: "holidays@group.v.calendar.google.com", summary: "Holiday",
                                                  firstDay: "2026-03-10")
            let (provider, _) = try await google.provider()
            let calendars = try await provider.calendars()
            #expect(calendars.map(\.name) == ["Ada", "Team", "Holidays"])
            #expect(calendars.map(\.isPrimary) == [true, false, false])
            #expect(calendars.map(\.isWritable) == [true, false, false])
            // The calendar id carries an `@`: it travels escaped in the path and comes back intact.
            let events = try await provider.events(in: DateInterval(start: .at("2026-03-10T00:00:00Z"), end: .at("2026-03-11T00:00:00Z")))
            #expect(events.map(\.title) == ["Team sync"])
            #expect(events.first?.calendarID == "team@group.calendar.google.com")
            #expect(events.first?.accountID == "google:1")
        }
    }

    @Test("events.list asks for expanded, ordered occurrences of the window and follows every page")
    func paging() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            for hour in 8..<15 {
                try await google.state.addTimedEvent(calendarID: owner, summary: "Slot \(hour)",
                                                     start: .at("2026-03-10T\(String(format: "%02d", hour)):00:00Z"),
                                                     end: .at("2026-03-10T\(String(format: "%02d", hour)):30:00Z"), timeZone: "UTC")
            }
            await google.state.setMaxPageSize(3)
            let (provider, _) = try await google.provider(calendarIDs: [owner])
            let window = DateInterval(start: .at("2026-03-10T00:00:00Z"), end: .at("2026-03-11T00:00:00Z"))
            let events = try await provider.events(in: window)
            #expect(events.map(\.title) == (8..<15).map { "Slot \($0)" })
            let lists = await google.state.requests("calendar.events.list")
            #expect(lists.count == 3)
            #expect(lists.allSatisfy { $0.status == 200 })
            let first = try #require(lists.first)
            #expect(first.query("singleEvents") == "true")
            #expect(first.query("orderBy") == "startTime")
            #expect(first.query("timeMin") == "2026-03-10T00:00:00Z")
            #expect(first.query("timeMax") == "2026-03-11T00:00:00Z")
            #expect(first.query("pageToken") == nil)
            #expect(lists[1].query("pageToken") != nil && lists[2].query("pageToken") != nil)
        }
    }

    @Test("a weekly series keeps its local time across the DST change; all-day stays a date; another zone is kept")
    func recurringAllDayAndZones() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            // Sundays 09:00 Berlin from 15 March; Berlin moves to summer time on 29 March 2026.
            let series = try await google.state.addWeeklyEvent(calendarID: owner, summary: "Planning", firstStart: .at("2026-03-15T09:00:00+01:00"),
                                                               duration: 1800, timeZone: "Europe/Berlin")
            try await google.state.addAllDayEvent(calendarID: owner, summary: "Offsite", firstDay: "2026-03-29")
            try await google.state.addTimedEvent(calendarID: owner, summary: "New York call", start: .at("2026-03-29T10:00:00-04:00"),
                                                 end: .at("2026-03-29T11:00:00-04:00"), timeZone: "America/New_York")
            let (provider, _) = try await google.provider()
            let berlin = TimeZone(identifier: "Europe/Berlin")!
            let window = DateInterval(start: .at("2026-03-22T00:00:00+01:00"), end: .at("2026-03-30T00:00:00+02:00"))
            let events = try await provider.events(in: window)
            #expect(events.map(\.title).sorted() == ["New York call", "Offsite", "Planning", "Planning"])

            let planning = events.filter { $0.title == "Planning" }
            // 08:00Z in winter time, 07:00Z in summer time: 09:00 in Berlin both times.
            #expect(planning.map(\.start) == [.dateTime(.at("2026-03-22T08:00:00Z"), timeZone: "Europe/Berlin"),
                                              .dateTime(.at("2026-03-29T07:00:00Z"), timeZone: "Europe/Berlin")])
            #expect(planning.map(\.id) == ["\(series)_20260322T080000Z", "\(series)_20260329T070000Z"])
            #expect(planning.allSatisfy { $0.interval(in: berlin).duration == 1800 })

            let offsite = try #require(events.first { $0.title == "Offsite" })
            #expect(offsite.start == .date(day("2026-03-29")) && offsite.end == .date(day("2026-03-30")))
            let call = try #require(events.first { $0.title == "New York call" })
            #expect(call.start == .dateTime(.at("2026-03-29T14:00:00Z"), timeZone: "America/New_York"))
        }
    }

    @Test("a cancelled instance of a series disappears; transparent and others' events are flagged")
    func cancelledTransparentAndInvitations() async throws {
        try await GoogleHarness.run { google in
            let owner = GoogleHarness.owner
            let series = try await google.state.addWeeklyEvent(calendarID: owner, summary: "Standup", firstStart: .at("2026-03-02T09:00:00Z"),
                                                               duration: 900, timeZone: "UTC", count: 4)
            try await google.state.removeEvent(calendarID: owner, eventID: "\(series)_20260309T090000Z")
            try await google.state.addTimedEvent(calendarID: owner, summary: "Focus", start: .at("2026-03-03T13:00:00Z"),
                                                 end: .at("2026-03-03T15:00:00Z"), timeZone: "UTC", transparent: true)
            try await google.state.addTimedEvent(calendarID: owner, summary: "Vendor pitch", start: .at("2026-03-04T13:00:00Z"),
                                                 end: .at("2026-03-04T14:00:00Z"), timeZone: "UTC", organizer: "sales@vendor.example",
                                                 attendees: [owner])
            let (provider, _) = try await google.provider()
            let events = try await provider.events(in: DateInterval(start: .at("2026-03-01T00:00:00Z"), end: .at("2026-04-01T00:00:00Z")))
            #expect(events.filter { $0.title == "Standup" }.map(\.start) == [
                .dateTime(.at("2026-03-02T09:00:00Z"), timeZone: "UTC"), .dateTime(.at("2026-03-16T09:00:00Z"), timeZone: "UTC"),
                .dateTime(.at("2026-03-23T09:00:00Z"), timeZone: "UTC"),
            ])
            let focus = try #require(events.first { $0.title == "Focus" })
            #expect(!focus.blocksTime && !focus.isFromOthers)
            let pitch = try #require(events.first { $0.title == "Vendor pitch" })
            #expect(pitch.isFromOthers && pitch.blocksTime)
            #expect(events.filter { $0.title == "Standup" }.allSatisfy { !$0.isFromOthers })
        }
    }

    @Test("freeBusy returns other people's merged busy spans and says when Google cannot tell")
    func freeBusy() async throws {
        try await GoogleHarness.run { google in
            await google.state.addPerson(email: "grace@example.org", timeZone: "America/New_York")
            try await google.state.addTimedEvent(calendarID: "grace@example.org", summary: "a", start: .at("2026-03-10T13:00:00Z"),
                                                 end: .at("2026-03-10T14:00:00Z"), timeZone: "America/New_York")
            try await google.state.addTimedEvent(calendarID: "grace@example.org", summary: "b", start: .at("2026-03-10T13:30:00Z"),
                                                 end: .at("2026-03-10T15:00:00Z"), timeZone: "America/New_York")
            try await google.state.addTimedEvent(calendarID: "grace@example.org", summary: "free", start: .at("2026-03-10T16:00:00Z"),
                                                 end: .at("2026-03-10T17:00:00Z"), timeZone: "UTC", transparent: true)
            let (provider, _) = try await google.provider()
            let window = DateInterval(start: .at("2026-03-10T00:00:00Z"), end: .at("2026-03-11T00:00:00Z"))
            let answer = try await provider.freeBusy(for: ["grace@example.org", "nobody@example.net"], in: window)
            #expect(answer["grace@example.org"] == .busy([DateInterval(start: .at("2026-03-10T13:00:00Z"), end: .at("2026-03-10T15:00:00Z"))]))
            #expect(answer["nobody@example.net"] == .unknown("notFound"))
            let query = try #require(await google.state.requests("calendar.freebusy.query").first)
            #expect(query.body == ["timeMin": "2026-03-10T00:00:00Z", "timeMax": "2026-03-11T00:00:00Z",
                                   "items": [["id": "grace@example.org"], ["id": "nobody@example.net"]]])
        }
    }
}
