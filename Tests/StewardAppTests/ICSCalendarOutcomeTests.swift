import Foundation
import ICalendar
import StewardCore
import StewardStorage
import Testing

/// An .ics calendar through the orchestrator, as a user meets it: a booking with attendees says they
/// won't be notified and never claims invitations; `/move` and `/cancel` change the file and the next
/// `/today`-style answer shows it; a published (URL) calendar says it is read-only.
@Suite struct ICSCalendarOutcomeTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// `hour:00` in Berlin, `days` from today.
    static func day(_ days: Int, _ hour: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        let start = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
        return calendar.date(bySettingHour: hour, minute: 0, second: 0, of: start)!
    }

    static func card(_ replies: [KeyedDelivery]) -> OutboundMessage? {
        replies.compactMap { delivery -> OutboundMessage? in
            guard delivery.key.hasPrefix("approval-card:"), case .send(_, let message) = delivery.delivery else { return nil }
            return message
        }.first
    }

    /// Approves a card as a tap; returns the outcome text.
    static func approve(_ card: OutboundMessage, in world: World) async throws -> String {
        let approve = card.buttons.first { $0.title == "Approve" }
        let token = try #require(approve?.token)
        return await world.orchestrator.handle(world.event(.action(token: token), message: "7")).texts.joined(separator: "\n")
    }

    @Test func aBookingWithAttendeesOnAnICSFileOffersNoNotifyChoiceAndClaimsNoInvitations() async throws {
        let world = try await World()
        let replies = await world.orchestrator.handle(world.event(.command(name: "book",
                                                                           arguments: "Review tomorrow 15:00 with bob@example.com")))
        let card = try #require(Self.card(replies))
        #expect(card.buttons.map(\.title) == ["Approve", "Reject"], "no “Approve, don't notify”")
        #expect(card.text.contains("Attendees: bob@example.com\nAttendees won't be notified (this calendar can't send invitations)"),
                "\(card.text)")
        #expect(!card.text.contains("will be notified"))
        let outcome = try await Self.approve(card, in: world)
        #expect(outcome.contains("✓ Added to Home."), "\(outcome)")
        #expect(!outcome.contains("Invitations were sent"), "\(outcome)")
        #expect(outcome.contains("Attendees were not notified"), "\(outcome)")
        #expect(try world.count("SUMMARY:Review") == 1)
        // Written down in the file (lines unfolded first: this one is longer than 75 octets).
        let unfolded = try String(contentsOf: world.file, encoding: .utf8).replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com\r\n"))
    }

    @Test func moveAndCancelOnAnICSFileEventChangeTheFileAndTheNextAnswer() async throws {
        let world = try await World()
        let provider = ICSFileProvider(accountID: "ics:1", fileURL: world.file, defaultTimeZone: Self.berlin)
        _ = try await provider.createEvent(EventDraft(uid: "dentist@example.com", title: "Dentist", start: Self.day(2, 15),
                                                      end: Self.day(2, 16), timeZone: "Europe/Berlin"), calendarID: nil)
        _ = try await provider.createEvent(EventDraft(uid: "gym@example.com", title: "Gym", start: Self.day(3, 18),
                                                      end: Self.day(3, 19), timeZone: "Europe/Berlin"), calendarID: nil)

        let move = await world.orchestrator.handle(world.event(.command(name: "move", arguments: "Dentist to tomorrow 10:00")))
        let moveCard = try #require(Self.card(move), "\(move.texts)")
        #expect(moveCard.text.hasPrefix("Move “Dentist”"), "\(moveCard.text)")
        #expect(try world.count("UID:dentist@example.com") == 1)
        let moved = try await Self.approve(moveCard, in: world)
        #expect(moved.contains("✓ Moved — “Dentist” is now"), "\(moved)")
        let text = try String(contentsOf: world.file, encoding: .utf8)
        #expect(text.contains("UID:dentist@example.com"), "the UID is kept")
        let tomorrow = await world.orchestrator.handle(world.event(.command(name: "tomorrow", arguments: "")))
        #expect(tomorrow.texts.joined().contains("10:00–11:00 Dentist"), "\(tomorrow.texts)")

        let cancel = await world.orchestrator.handle(world.event(.command(name: "cancel", arguments: "Gym")))
        let cancelCard = try #require(Self.card(cancel), "\(cancel.texts)")
        let cancelled = try await Self.approve(cancelCard, in: world)
        #expect(cancelled.contains("✓ Cancelled “Gym”."), "\(cancelled)")
        #expect(try world.count("UID:gym@example.com") == 0)
        #expect(try world.count("SUMMARY:Dentist") == 1)
        let events = try await provider.events(in: DateInterval(start: Self.day(0, 0), end: Self.day(5, 0)))
        #expect(events.map(\.title) == ["Dentist"])
    }

    @Test func aPublishedCalendarSaysItIsReadOnlyAndNothingIsRequested() async throws {
        let world = try await World()
        let feedText = ICalendarWriter.calendar(events: [ICalendarWriter.event(
            EventDraft(uid: "sync@team", title: "Team sync", start: Self.day(2, 11), end: Self.day(2, 12),
                       timeZone: "Europe/Berlin"), now: Date())], timeZones: ["Europe/Berlin"])
        let feed = ICSURLProvider(accountID: "ics:9", url: URL(string: "https://calendar.example.com/team.ics")!,
                                  http: StaticFeed(body: Data(feedText.utf8)), defaultTimeZone: Self.berlin, cacheFile: nil)
        let account = Account(id: 9, userID: 1, kind: "ics", label: "Team", options: ["url": "https://calendar.example.com/team.ics"],
                              createdAt: Date())
        var readOnly = world
        readOnly.orchestrator = Orchestrator(users: world.store, approvals: world.store, audit: world.store,
                                             calendars: FixedCalendars(entries: [(account, feed)]), status: nil,
                                             access: AccessPolicy(owners: [World.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
                                             digest: { data in String(data.hashValue, radix: 16) + "\(data.count)" },
                                             now: { Date() })
        let cancel = await readOnly.orchestrator.handle(readOnly.event(.command(name: "cancel", arguments: "Team sync")))
        #expect(cancel.texts.joined() == "“Team sync” is in Team, a read-only calendar (I can only read it): cancel it in "
                + "the app that keeps that calendar. Nothing was requested.", "\(cancel.texts)")
        #expect(Self.card(cancel) == nil)
        let book = await readOnly.orchestrator.handle(readOnly.event(.command(name: "book", arguments: "Lunch tomorrow 12:00")))
        #expect(book.texts.joined().hasPrefix("You have no calendar I can write to."), "\(book.texts)")
        #expect(try await world.store.pending(of: 1).isEmpty)
    }
}

private struct StaticFeed: HTTPFetching {
    let body: Data
    func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data) { (200, nil, body) }
}

private struct FixedCalendars: CalendarDirectory {
    let entries: [(account: Account, provider: any CalendarProvider)]
    func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] { entries }
}
