import Foundation
import Testing
@testable import StewardCore

/// A card shows an event's whole span: both days when it ends on another day, and both years when it
/// ends in another year, so a booking that would last a day (or a century) never reads like an hour.
@Suite struct WholeSpanCardTests {
    struct ScriptedPlanner: FreeTextPlanner {
        let plan: FreeTextPlan
        func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
                  progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan { plan }
    }

    private func card(booking: ProposedBooking) async throws -> String {
        let world = CoreWorld([("Work", "google", FakeCalendar(accountID: "google:1", events: []))])
        let orchestrator = world.orchestrator(freeTextPlanner: ScriptedPlanner(plan: FreeTextPlan(
            outcome: .answered, text: nil, bookings: [booking])))
        let answer = await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner,
                                                            chat: CoreWorld.dm, kind: .message("book the offsite"),
                                                            receivedAt: CoreWorld.now))
        return try #require(answer.messages.first { !$0.buttons.isEmpty }).text
    }

    @Test func aBookingThatEndsNextDayShowsBothDaysOnItsCard() async throws {
        let text = try await card(booking: ProposedBooking(title: "Offsite", start: CoreWorld.at(2026, 11, 23, 10),
                                                           minutes: 25 * 60, attendees: []))
        #expect(text.contains("Mon 23 Nov 10:00 – Tue 24 Nov 11:00 (Europe/Berlin)"), "\(text)")
    }

    @Test func aBookingThatEndsInAnotherYearShowsBothYearsOnItsCard() async throws {
        let text = try await card(booking: ProposedBooking(title: "Forever", start: CoreWorld.at(2026, 12, 7, 10),
                                                           minutes: 366 * 24 * 60, attendees: []))
        #expect(text.contains("Mon 7 Dec 2026 10:00 – Wed 8 Dec 2027 10:00"), "\(text)")
    }

    private let formatter = ScheduleFormatter(settings: UserSettings(timeZone: "Europe/Berlin"), now: CoreWorld.now)

    @Test func spansNameBothDaysAndYearsOnlyWhenTheyDiffer() {
        let start = CoreWorld.at(2026, 12, 7, 10)
        #expect(formatter.span(DateInterval(start: start, duration: 3600)) == "Mon 7 Dec 10:00–11:00")
        #expect(formatter.span(DateInterval(start: start, duration: 25 * 3600)) == "Mon 7 Dec 10:00 – Tue 8 Dec 11:00")
        let far = CoreWorld.at(9999, 12, 7, 10)
        #expect(formatter.span(DateInterval(start: start, end: far)).hasPrefix("Mon 7 Dec 2026 10:00 – "))
        #expect(formatter.span(DateInterval(start: start, end: far)).hasSuffix(" 7 Dec 9999 10:00"))
    }

    @Test func anAllDayEventIntoTheNextYearNamesBothYears() {
        let event = CalendarEvent(id: "a", title: "Holiday", start: .date(LocalDate(year: 2026, month: 12, day: 28)),
                                  end: .date(LocalDate(year: 2027, month: 1, day: 3)), calendarID: "primary")
        #expect(formatter.when(event) == "Mon 28 Dec 2026 – Sat 2 Jan 2027 All day")
    }
}
