import Foundation
import Testing
@testable import StewardCore

/// "book an all-day Offsite on dec 24": an event on whole dates, from the words to the card, the calendar
/// and /agenda. Now is Saturday 21 Nov 2026 10:00 in Berlin.
@Suite struct AllDayBookingTests {
    static let dec24 = LocalDate(year: 2026, month: 12, day: 24)

    func parse(_ kind: InboundEvent.Kind) -> Intent {
        IntentParser().parse(kind, context: ParseContext(now: CoreWorld.now, timeZone: CoreWorld.berlin))
    }

    @Test func allDayWholeDayAndTheCommandAreReadAsDatesWithoutATime() {
        let offsite = Intent.bookAllDay(title: "Offsite", days: Self.dec24...Self.dec24, attendees: [], notify: true)
        for text in ["book an all-day Offsite on dec 24", "book Offsite all day on dec 24",
                     "book Offsite on dec 24 all day", "book a whole day Offsite on dec 24",
                     "book Offsite the whole day on dec 24"] {
            #expect(parse(.message(text)) == offsite, "\(text)")
        }
        #expect(parse(.command(name: "book", arguments: "Offsite dec 24 all-day")) == offsite)
        // A range of days: every date in it, the last included.
        let three = Intent.bookAllDay(title: "Offsite", days: Self.dec24...LocalDate(year: 2026, month: 12, day: 26),
                                      attendees: [], notify: true)
        #expect(parse(.message("book an all-day Offsite from dec 24 to dec 26")) == three)
        #expect(parse(.message("book an all-day Offsite on dec 24-26")) == three)
        #expect(parse(.command(name: "book", arguments: "Offsite dec 24-26 all day")) == three)
        // A title with "to" in it keeps it.
        #expect(parse(.message("book an all-day Trip to Paris on dec 24"))
                == .bookAllDay(title: "Trip to Paris", days: Self.dec24...Self.dec24, attendees: [], notify: true))
    }

    @Test func anAllDayBookingInThePastIsRefusedInOneLine() throws {
        guard case .usage(let message) = parse(.message("book an all-day Offsite yesterday")) else {
            Issue.record("expected a refusal"); return
        }
        #expect(message.contains("Fri 20 Nov is already past, so nothing was booked."), "\(message)")
    }

    @Test func theCardNamesTheDateAndApproveWritesItOnceAsDates() async throws {
        let calendar = FakeCalendar(accountID: "ics:1", events: [])
        let world = CoreWorld([("Home", "ics", calendar)])
        let answer = await world.say("book an all-day Offsite on dec 24")
        let card = try #require(answer.messages.first)
        #expect(card.title == "Add this event?")
        #expect(card.text == "Offsite\nAll day Thu 24 Dec\nCalendar: Home", "\(card.text)")
        #expect(await calendar.created.isEmpty)

        let token = try #require(answer.approveToken)
        let result = await world.tap(token)
        #expect(result.text.contains("✓ Added to Home: Offsite, all day Thu 24 Dec."), "\(result.text)")
        _ = await world.tap(token)
        let created = await calendar.created
        #expect(created.count == 1)
        #expect(created.first?.allDay == Self.dec24...Self.dec24)
        // The stored times are that date's local midnights, end exclusive.
        #expect(created.first?.start == CoreWorld.at(2026, 12, 24, 0))
        #expect(created.first?.end == CoreWorld.at(2026, 12, 25, 0))

        let agenda = await world.send(.command(name: "agenda", arguments: "dec 24"))
        #expect(agenda.text.contains("All day  Offsite"), "\(agenda.text)")
    }

    @Test func aCalendarThatCantWriteAllDayEventsSaysSoBeforeAnyCard() async throws {
        let calendar = FakeCalendar(accountID: "caldav:1", events: [], canCreateAllDayEvents: false)
        let world = CoreWorld([("Work", "caldav", calendar)])
        let answer = await world.say("book an all-day Offsite on dec 24")
        #expect(answer.messages.count == 1)
        let text = try #require(answer.messages.first?.text)
        #expect(text.hasPrefix("Work can't take all-day events from me, so nothing was booked"), "\(text)")
        #expect(answer.approveToken == nil)
        #expect(await calendar.created.isEmpty)
    }
}
