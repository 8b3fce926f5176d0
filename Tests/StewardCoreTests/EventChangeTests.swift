import Foundation
import Testing
@testable import StewardCore

/// Moving and cancelling through the orchestrator with a fake calendar: the event is found (or the user
/// is asked which), the card shows before/after, Approve writes exactly once, and a card that no longer
/// matches the calendar writes nothing. Now is Saturday 21 Nov 2026 10:00 in Berlin.
@Suite struct EventChangeTests {
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date { CoreWorld.at(2026, 11, day, hour, minute) }

    static func week() -> [CalendarEvent] {
        [
            CoreWorld.event("lunch", "Lunch", at(21, 12, 30)),
            CoreWorld.event("s1", "Standup", at(23, 9), minutes: 15),
            CoreWorld.event("s2", "Standup", at(24, 9), minutes: 15),
            CoreWorld.event("d1", "Design review", at(24, 14), attendees: ["bob@x.com"]),
            CoreWorld.event("c1", "Code review", at(25, 11)),
            CoreWorld.event("den", "Dentist", at(27, 15), minutes: 45),
            CoreWorld.event("inv", "Vendor pitch", at(26, 16), attendees: ["sales@vendor.com"], fromOthers: true),
        ]
    }

    private func makeWorld(_ events: [CalendarEvent] = week()) -> (CoreWorld, FakeCalendar) {
        let calendar = FakeCalendar(accountID: "google:1", events: events)
        return (CoreWorld([("Work", "google", calendar)]), calendar)
    }

    @Test func movingMy2pmShowsBeforeAndAfterAndMovesOnceOnApprove() async throws {
        let (world, calendar) = makeWorld()
        let answer = await world.say("move my 2pm to thursday 10am")
        let card = try #require(answer.messages.first)
        #expect(card.title == "Move this event?")
        #expect(card.text == """
            Move “Design review”
            from Tue 24 Nov 14:00–15:00
            to Thu 26 Nov 10:00–11:00
            Calendar: Work
            Attendees: bob@x.com
            Attendees will be notified
            """)
        #expect(await calendar.moves.isEmpty, "nothing is written before Approve")
        let token = try #require(answer.approveToken)
        let approved = await world.tap(token)
        #expect(approved.text.contains("✓ Moved — “Design review” is now Thu 26 Nov 10:00–11:00."))
        _ = await world.tap(token)
        let moves = await calendar.moves
        #expect(moves.count == 1)
        #expect(moves.first?.id == "d1" && moves.first?.start == Self.at(26, 10) && moves.first?.end == Self.at(26, 11))
        #expect(moves.first?.notify == true && moves.first?.timeZone == "Europe/Berlin")
        let audit = await world.store.entries.filter { $0.action == "calendar_move_event" }.map(\.outcome)
        #expect(audit == ["requested", "ok"])
    }

    @Test func aMoveKeepsTheLengthTheClockStyleAndSaysNothingOfAttendeesWhenThereAreNone() async throws {
        let (world, calendar) = makeWorld()
        _ = await world.send(.command(name: "settings", arguments: "clock 12h"))
        let answer = await world.send(.command(name: "move", arguments: "Dentist to monday"))
        #expect(answer.messages.first?.text == """
            Move “Dentist”
            from Fri 27 Nov 3:00 pm–3:45 pm
            to Mon 23 Nov 3:00 pm–3:45 pm
            Calendar: Work
            """)
        _ = await world.tap(try #require(answer.approveToken))
        let moves = await calendar.moves
        #expect(moves.map(\.start) == [Self.at(23, 15)] && moves.map(\.end) == [Self.at(23, 15, 45)])
        #expect(moves.first?.notify == false)
    }

    /// With attendees the card offers both choices; taking one retires the other, so only one runs.
    @Test func theCardOffersNotNotifyingAndOnlyOneChoiceRuns() async throws {
        let (world, calendar) = makeWorld()
        let answer = await world.say("move my 2pm to thursday 10am")
        let buttons = try #require(answer.messages.first?.buttons)
        #expect(buttons.map(\.title) == ["Approve", "Approve, don't notify", "Reject"])
        #expect(await world.send(.command(name: "approvals", arguments: "")).text.components(separatedBy: "Design review").count == 2,
                "one request is listed, not two")
        let quietly = await world.tap(buttons[1].token)
        #expect(quietly.text.contains("Attendees won't be notified"))
        #expect(await world.tap(buttons[0].token).text.contains("Already done"))
        #expect(await world.tap(buttons[2].token).text.contains("Already done"))
        #expect(await calendar.moves.map(\.notify) == [false])
    }

    @Test func sayingQuietlyKeepsAttendeesUninformed() async throws {
        let (world, calendar) = makeWorld()
        let answer = await world.say("move Design review to thursday 10am without notifying anyone")
        #expect(answer.messages.first?.text.hasSuffix("Attendees: bob@x.com\nAttendees won't be notified") == true)
        _ = await world.tap(try #require(answer.approveToken))
        #expect(await calendar.moves.map(\.notify) == [false])
    }

    @Test func cancellingByTitleTakesTheNextOccurrenceAndDeletesOnce() async throws {
        let (world, calendar) = makeWorld()
        let answer = await world.say("cancel Standup")
        let card = try #require(answer.messages.first)
        #expect(card.title == "Cancel this event?")
        #expect(card.text == "Cancel “Standup”\nMon 23 Nov 09:00–09:15\nCalendar: Work")
        // Deleting can't be undone: the Approve button carries a question platforms can ask first.
        #expect(card.buttons.first?.confirmation?.contains("can't be undone") == true)
        let token = try #require(answer.approveToken)
        #expect(await world.tap(token).text.contains("✓ Cancelled “Standup”."))
        #expect(await world.tap(token).text.contains("Already done"))
        #expect(await calendar.cancels.map(\.id) == ["s1"])
        #expect(await calendar.cancels.map(\.notify) == [false])
        #expect(await world.store.entries.contains { $0.action == "calendar_cancel_event" && $0.outcome == "ok" })
    }

    @Test func cancellingAnEventWithAttendeesSaysTheyWillBeTold() async throws {
        let (world, calendar) = makeWorld()
        let answer = await world.say("cancel my 2pm")
        #expect(answer.messages.first?.text == """
            Cancel “Design review”
            Tue 24 Nov 14:00–15:00
            Calendar: Work
            Attendees: bob@x.com
            Attendees will be notified
            """)
        _ = await world.tap(try #require(answer.approveToken))
        #expect(await calendar.cancels.map(\.notify) == [true])
    }

    @Test func anAmbiguousOrUnknownEventIsAnsweredWithCandidatesAndNothingIsRequested() async throws {
        let clash = CoreWorld.event("x1", "1:1 with Ana", Self.at(24, 14), minutes: 30)
        let (world, calendar) = makeWorld(Self.week() + [clash])
        let several = await world.say("cancel review")
        #expect(several.text.contains("Which one? Several events match an upcoming event matching “review”:"))
        #expect(several.text.contains("• Tue 24 Nov 14:00–15:00 Design review"))
        #expect(several.text.contains("• Wed 25 Nov 11:00–12:00 Code review"))
        #expect(several.approveToken == nil)

        let sameTime = await world.say("move my 2pm to friday 9am")
        #expect(sameTime.text.contains("1:1 with Ana") && sameTime.text.contains("Design review"))
        #expect(sameTime.approveToken == nil)

        let missing = await world.say("cancel Yoga")
        #expect(missing.text.contains("I couldn't find an upcoming event matching “Yoga”"))
        let noThree = await world.say("cancel my 3am")
        #expect(noThree.text.contains("an upcoming event starting at 03:00"))
        #expect(await world.store.pending(of: 1).isEmpty)
        #expect(await calendar.moves.isEmpty)
        #expect(await calendar.cancels.isEmpty)
    }

    @Test func anExactTitleWinsOverLongerOnesAndGenericWordsAreForgiven() async throws {
        let (world, _) = makeWorld(Self.week() + [CoreWorld.event("dx", "Dentist follow-up", Self.at(30, 9))])
        #expect(await world.say("cancel Dentist").messages.first?.text.hasPrefix("Cancel “Dentist”\nFri 27 Nov") == true)
        #expect(await world.say("cancel my dentist appointment").messages.first?.text.hasPrefix("Cancel “Dentist”\n") == true)
    }

    @Test func anEventThatVanishedOrMovedSinceTheCardIsNotTouched() async throws {
        let (world, calendar) = makeWorld()
        let cancelCard = await world.say("cancel Dentist")
        let moveCard = await world.say("move Design review to thursday 10am")
        await calendar.remove("den")
        await calendar.edit("d1") { $0.start = .dateTime(Self.at(24, 16), timeZone: "Europe/Berlin")
            $0.end = .dateTime(Self.at(24, 17), timeZone: "Europe/Berlin") }
        let cancelled = await world.tap(try #require(cancelCard.approveToken))
        #expect(cancelled.text.contains("✗ Not cancelled: “Dentist” is no longer in your calendar. Nothing was changed."))
        let moved = await world.tap(try #require(moveCard.approveToken))
        #expect(moved.text.contains("✗ Not moved: “Design review” changed since this card (it is now Tue 24 Nov 16:00–17:00)"))
        #expect(await calendar.moves.isEmpty)
        #expect(await calendar.cancels.isEmpty)
        let outcomes = await world.store.entries.filter { $0.action != "calendar_create_event" }.map(\.outcome)
        #expect(outcomes.filter { $0 == "failed" }.count == 2)
    }

    @Test func readOnlyCalendarsInvitationsAndAllDayEventsAreExplainedNotCarded() async throws {
        let file = FakeCalendar(accountID: "ics:1", events: Self.week(), canChangeEvents: false)
        let readOnly = CoreWorld([("Home", "ics", file)])
        #expect(await readOnly.say("cancel Dentist").text
                == "“Dentist” is in Home, a calendar where I can add events but can't cancel them: "
                + "cancel it in the app that keeps that calendar. Nothing was requested.")
        #expect(await readOnly.store.pending(of: 1).isEmpty)
        let (world, _) = makeWorld(Self.week() + [CalendarEvent(id: "off", title: "Offsite", start: .date(LocalDate(year: 2026, month: 11, day: 30)),
                                                             end: .date(LocalDate(year: 2026, month: 12, day: 1)), calendarID: "primary")])
        #expect(await world.say("cancel Vendor pitch").text.contains("invitation from someone else"))
        #expect(await world.say("move Offsite to friday").text.contains("all-day event"))
        #expect(await world.say("cancel Offsite").messages.first?.text == "Cancel “Offsite”\nMon 30 Nov All day\nCalendar: Work")
        #expect(await world.say("move Dentist to friday 15:00").text.contains("already starts then"))
        #expect(await world.store.pending(of: 1).count == 1)
    }

    @Test func bookingWithAttendeesListsThemAndAsksGoogleToInvite() async throws {
        let (world, calendar) = makeWorld()
        let card = await world.send(.command(name: "book", arguments: "Review tomorrow 15:00 with bob@x.com"))
        #expect(card.messages.first?.text.contains("Attendees: bob@x.com\nAttendees will be notified") == true)
        _ = await world.tap(try #require(card.approveToken))
        let quiet = await world.send(.command(name: "book", arguments: "Retro monday 15:00 with bob@x.com quietly"))
        #expect(quiet.messages.first?.text.contains("Attendees won't be notified") == true)
        _ = await world.tap(try #require(quiet.approveToken))
        #expect(await calendar.created.map(\.notifyAttendees) == [true, false])
        #expect(await calendar.created.map(\.attendees) == [["bob@x.com"], ["bob@x.com"]])
    }

    @Test func storedPayloadsFromBeforeTheNotifyChoiceStillRun() throws {
        let old = #"{"account":"google:1","attendees":["bob@x.com"],"end":"2026-11-22T16:00:00+01:00","# +
            #""start":"2026-11-22T15:00:00+01:00","timeZone":"Europe/Berlin","title":"Review","uid":"u1"}"#
        let decoded = try JSONDecoder().decode(CreateEventArguments.self, from: Data(old.utf8))
        #expect(decoded.notify && decoded.calendar == nil)
        #expect(try decoded.draft().notifyAttendees)
        // A local copy written before events carried attendees.
        let current = try JSONEncoder().encode(CoreWorld.event("e", "T", Self.at(22, 9), attendees: ["a@x.com"]))
        var fields = try #require(try JSONSerialization.jsonObject(with: current) as? [String: Any])
        fields["attendees"] = nil
        let stored = try JSONSerialization.data(withJSONObject: fields)
        let decoded2 = try JSONDecoder().decode(CalendarEvent.self, from: stored)
        #expect(decoded2.attendees == [] && decoded2.title == "T")
        #expect(try JSONDecoder().decode(CalendarEvent.self, from: current).attendees == ["a@x.com"])
    }
}
