import Foundation
import GoogleWorkspace
import StewardCore
import StewardTesting
import Testing

/// An all-day booking written to Google shows at once, as a date, on that day only — in the answers that
/// read the local copy (/today, /agenda), before the next sync and after a restart.
@Suite(.serialized) struct GoogleAllDayCopyTests {
    @Test func anAllDayEventWrittenToGoogleIsInTheCopyOnItsDayOnly() async throws {
        let world = try await GoogleCopyWriteTests.World()
        defer { Task { await world.tearDown() } }
        let google = world.calendars()
        let account = try await world.connect(google)
        await google.sync(account)
        let copy = GoogleCalendarCopy(account: account, google: google, zone: GoogleCopyWriteTests.berlin)
        #expect(copy.canCreateAllDayEvents)

        let first = LocalDate(GoogleCopyWriteTests.day(3, 12), in: GoogleCopyWriteTests.berlin)
        var draft = EventDraft(uid: "steward-allday@steward.local", title: "Offsite",
                               start: GoogleCopyWriteTests.day(3, 0), end: GoogleCopyWriteTests.day(4, 0),
                               timeZone: "Europe/Berlin")
        draft.allDay = first...first
        let created = try await copy.createEvent(draft, calendarID: nil)
        #expect(created.start == .date(first))
        #expect(created.end == .date(first.adding(days: 1)))

        let onTheDay = try await copy.events(in: GoogleCopyWriteTests.wholeDay(3))
        #expect(onTheDay.map(\.title) == ["Offsite"])
        #expect(onTheDay.first?.isAllDay == true)
        #expect(try await GoogleCopyWriteTests.titles(copy, on: 4).isEmpty)
        #expect(try await GoogleCopyWriteTests.titles(copy, on: 2).isEmpty)
        let restarted = GoogleCalendarCopy(account: account, google: world.calendars(), zone: GoogleCopyWriteTests.berlin)
        #expect(try await GoogleCopyWriteTests.titles(restarted, on: 3) == ["Offsite"])
        // Google holds it as a date too.
        let insert = try #require(await world.fake.state.requests("calendar.events.insert").first)
        #expect(insert.body?["start"] == .object(["date": .string(first.description)]))
    }
}
