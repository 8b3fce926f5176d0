import Foundation
import Testing
@testable import StewardCore

/// A card and its result say only what the calendar can do and did: a calendar that can't send
/// invitations gets no "don't notify" choice, says attendees won't be notified, and never claims they
/// were; a read-only calendar is refused before any card. Now is Saturday 21 Nov 2026 10:00 in Berlin.
@Suite struct HonestOutcomeTests {
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date { CoreWorld.at(2026, 11, day, hour, minute) }

    /// A calendar that writes attendees down but can't e-mail them (what an .ics file is).
    private func fileLike() -> (CoreWorld, FakeCalendar) {
        let calendar = FakeCalendar(accountID: "ics:1", events: [
            CoreWorld.event("d1", "Design review", Self.at(24, 14), attendees: ["bob@x.com"]),
        ], canNotifyAttendees: false)
        return (CoreWorld([("Home", "ics", calendar)]), calendar)
    }

    @Test func aBookingWithAttendeesOnACalendarThatCantInviteOffersNoNotifyChoiceAndClaimsNoInvitations() async throws {
        let (world, calendar) = fileLike()
        let answer = await world.send(.command(name: "book", arguments: "Review tomorrow 15:00 with bob@x.com"))
        let card = try #require(answer.messages.first)
        #expect(card.text.hasSuffix("Attendees: bob@x.com\nAttendees won't be notified (this calendar can't send invitations)"),
                "\(card.text)")
        #expect(!card.text.contains("will be notified"))
        #expect(card.buttons.map(\.title) == ["Approve", "Reject"])
        let result = await world.tap(try #require(answer.approveToken))
        #expect(result.text.contains("✓ Added to Home."), "\(result.text)")
        #expect(!result.text.contains("Invitations were sent"), "\(result.text)")
        #expect(result.text.contains("Attendees were not notified"), "\(result.text)")
        #expect(await calendar.created.map(\.notifyAttendees) == [false])
        #expect(await calendar.created.map(\.attendees) == [["bob@x.com"]])
    }

    @Test func movingAndCancellingThereNeverSayAttendeesWereTold() async throws {
        let (world, calendar) = fileLike()
        let move = await world.say("move Design review to thursday 10am")
        let card = try #require(move.messages.first)
        #expect(card.text.hasSuffix("Attendees won't be notified (this calendar can't send invitations)"), "\(card.text)")
        #expect(card.buttons.map(\.title) == ["Approve", "Reject"])
        let moved = await world.tap(try #require(move.approveToken))
        #expect(moved.text.contains("✓ Moved — “Design review” is now Thu 26 Nov 10:00–11:00."), "\(moved.text)")
        #expect(!moved.text.contains("Attendees were notified"))
        #expect(await calendar.moves.map(\.notify) == [false])

        let cancel = await world.say("cancel Design review")
        #expect(cancel.messages.first?.buttons.map(\.title) == ["Approve", "Reject"])
        let cancelled = await world.tap(try #require(cancel.approveToken))
        #expect(cancelled.text.contains("✓ Cancelled “Design review”."), "\(cancelled.text)")
        #expect(!cancelled.text.contains("Attendees were notified"))
        #expect(await calendar.cancels.map(\.notify) == [false])
    }

    /// A payload stored with `notify` on (before calendars declared what they can do) still claims nothing.
    @Test func anOldStoredBookingForSuchACalendarDoesNotClaimInvitations() async throws {
        let (world, calendar) = fileLike()
        let arguments = CreateEventArguments(account: "ics:1", calendar: nil, uid: "u-old", title: "Review",
                                             start: Self.at(22, 15), end: Self.at(22, 16), timeZone: CoreWorld.berlin,
                                             attendees: ["bob@x.com"], notify: true)
        let payload = try arguments.encoded()
        let digest = String(UInt64(bitPattern: Int64(payload.hashValue)), radix: 16) + "-\(payload.count)"
        let request = await world.store.insert(ApprovalRequest(
            id: "old1", userID: 1, toolName: CreateEventArguments.toolName, payload: payload, payloadHash: digest,
            summary: "Review", createdAt: CoreWorld.now, expiresAt: CoreWorld.now.addingTimeInterval(600),
            cardChat: CoreWorld.dm))
        _ = await world.store.transition(id: request.id, from: .pending, to: .approved, at: CoreWorld.now, outcome: nil)
        let outcome = await world.orchestrator.execute(request, actor: "test")
        #expect(outcome.hasPrefix("✓ Added to Home."), "\(outcome)")
        #expect(!outcome.contains("Invitations were sent"))
        #expect(await calendar.created.map(\.notifyAttendees) == [false])
    }

    @Test func aReadOnlyCalendarIsRefusedInOneLineBeforeAnyCard() async throws {
        let feed = ReadOnlyFeed(accountID: "ics:1", stored: [CoreWorld.event("d1", "Design review", Self.at(24, 14))])
        let world = CoreWorld([("Team feed", "ics", feed)])
        let cancel = await world.say("cancel Design review")
        #expect(cancel.text == "“Design review” is in Team feed, a read-only calendar (I can only read it): cancel it "
                + "in the app that keeps that calendar. Nothing was requested.")
        #expect(cancel.approveToken == nil)
        let book = await world.send(.command(name: "book", arguments: "Review tomorrow 15:00"))
        #expect(book.text.hasPrefix("You have no calendar I can write to."), "\(book.text)")
        #expect(await world.store.pending(of: 1).isEmpty)
    }

    /// Only the provider knows when one event can't be moved (one occurrence of a series in a file).
    @Test func aMoveTheCalendarRefusesForOneEventIsExplainedNotCarded() async throws {
        let feed = ReadOnlyFeed(accountID: "ics:1", stored: [CoreWorld.event("s#2026-11-24T08:00:00Z", "Standup", Self.at(24, 9))],
                                writable: true)
        let world = CoreWorld([("Home", "ics", feed)])
        let move = await world.say("move Standup to thursday 10am")
        #expect(move.text == "“Standup”: it repeats here. Nothing was requested.", "\(move.text)")
        #expect(move.approveToken == nil)
    }
}

/// A published feed: events to read, nothing to write (or, `writable`, a calendar that refuses one move).
private struct ReadOnlyFeed: CalendarProvider {
    let accountID: String
    let stored: [CalendarEvent]
    var writable = false

    var canCreateEvents: Bool { writable }
    var canChangeEvents: Bool { writable }

    func calendars() -> [CalendarInfo] { [CalendarInfo(id: "primary", name: "Feed", isPrimary: true, isWritable: writable)] }

    func events(in window: DateInterval) -> [CalendarEvent] {
        stored.map { event in
            var event = event
            event.accountID = accountID
            return event
        }.filter { $0.interval(in: .gmt).intersects(window) }
    }

    func createEvent(_ draft: EventDraft, calendarID: String?) throws -> CalendarEvent {
        throw CalendarError("read-only")
    }

    func moveRefusal(for event: CalendarEvent) -> String? {
        event.id.contains("#") ? "it repeats here." : nil
    }
}
