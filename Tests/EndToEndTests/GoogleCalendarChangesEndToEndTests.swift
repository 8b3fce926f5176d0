import Foundation
import StewardTesting
import Testing

/// The real binary, a Telegram owner and a fake Google: moving and cancelling through before/after cards,
/// `/free … with` someone through freeBusy, and `/book … with` someone who gets an invitation.
extension GoogleWorld {
    /// Starts Steward, connects Ana's Google account, and waits for "Connected"; the chat then holds two
    /// messages.
    func startConnected() async throws -> StewardProcess {
        let steward = try telegram.start()
        let (status, _) = try await connect(steward, expectingMessages: 1)
        #expect(status == 200)
        try await telegram.waitForMessages(2, to: 100, steward)
        return steward
    }

    /// Sends `text` as Ana and returns Steward's answer, the chat's message number `count`.
    func ask(_ text: String, answerNumber count: Int, _ steward: StewardProcess) async throws -> FakeTelegramMessage {
        await telegram.fake.sendText(text, from: TelegramWorld.owner)
        return try await telegram.waitForMessages(count, to: 100, steward)[count - 1]
    }

    /// Taps the card's Approve button and waits for the card to show the outcome; returns it.
    func approve(_ card: FakeTelegramMessage) async throws -> String {
        let approve = try #require(card.buttons.flatMap { $0 }.first { $0.text == "Approve" }?.callbackData)
        let before = await telegram.fake.state.edits(chat: 100).count
        await telegram.fake.state.tapButton(messageID: card.messageID, inChat: 100, from: TelegramWorld.owner, data: approve)
        try await waitUntil { await telegram.fake.state.edits(chat: 100).count > before }
        return await telegram.fake.state.edits(chat: 100).last?.text ?? ""
    }

    /// `Tue 24 Nov`, as Steward writes a day in Berlin.
    static func dayHeader(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = berlin
        formatter.dateFormat = "EEE d MMM"
        return formatter.string(from: date)
    }

    static func parseInstant(_ json: FakeJSON?) -> Date? {
        guard let text = json?["dateTime"]?.stringValue ?? json?.stringValue else { return nil }
        return ISO8601DateFormatter().date(from: text)
    }
}

@Suite(.serialized) struct GoogleCalendarChangesEndToEndTests {
    @Test func moveAndCancelGoThroughBeforeAfterCardsAndWriteOnce() async throws {
        let world = try await GoogleWorld()
        let calendar = GoogleWorld.email
        // "my 10:00" is the day after tomorrow's (nothing else starts at 10:00 before it), whatever time it is now.
        let planning = GoogleWorld.today(10, plusDays: 2)
        _ = try await world.google.state.addTimedEvent(calendarID: calendar, summary: "Planning", start: planning,
                                                       end: planning.addingTimeInterval(3600), timeZone: "Europe/Berlin",
                                                       attendees: ["carol@example.com"])
        let standup = GoogleWorld.today(9, plusDays: 1)
        _ = try await world.google.state.addTimedEvent(calendarID: calendar, summary: "Standup", start: standup,
                                                       end: standup.addingTimeInterval(900), timeZone: "Europe/Berlin")
        let steward = try await world.startConnected()
        defer { Task { await world.finish(steward) } }

        let newStart = GoogleWorld.today(11, plusDays: 1)
        let moveCard = try await world.ask("move my 10:00 to tomorrow 11:00", answerNumber: 3, steward)
        #expect(moveCard.text.contains("""
            Move “Planning”
            from \(GoogleWorld.dayHeader(planning)) 10:00–11:00
            to \(GoogleWorld.dayHeader(newStart)) 11:00–12:00
            Calendar: ana@example.com
            Attendees: carol@example.com
            Attendees will be notified
            """), "\(moveCard.text)")
        #expect(await world.google.state.requests("calendar.events.patch").isEmpty, "nothing before Approve")
        let moved = try await world.approve(moveCard)
        #expect(moved.contains("✓ Moved"), "\(moved)")
        // A second tap changes nothing.
        let approve = try #require(moveCard.buttons.first?.first?.callbackData)
        await world.telegram.fake.state.tapButton(messageID: moveCard.messageID, inChat: 100, from: TelegramWorld.owner,
                                                  data: approve)
        try await waitUntil { await world.telegram.fake.state.answeredCallbacks().count == 2 }
        let patches = await world.google.state.requests("calendar.events.patch")
        #expect(patches.count == 1)
        let patch = try #require(patches.first)
        #expect(patch.query("sendUpdates") == "all")
        #expect(GoogleWorld.parseInstant(patch.body?["start"]) == newStart)
        #expect(GoogleWorld.parseInstant(patch.body?["end"]) == newStart.addingTimeInterval(3600))
        #expect(patch.body?["start"]?["timeZone"]?.stringValue == "Europe/Berlin")

        // The copy shows the change at once.
        let tomorrow = try await world.ask("/tomorrow", answerNumber: 4, steward)
        #expect(tomorrow.text.contains("11:00–12:00 Planning"), "\(tomorrow.text)")

        let cancelCard = try await world.ask("cancel Standup", answerNumber: 5, steward)
        #expect(cancelCard.text.contains("Cancel “Standup”\n\(GoogleWorld.dayHeader(standup)) 09:00–09:15\nCalendar: ana@example.com"),
                "\(cancelCard.text)")
        #expect(!cancelCard.text.contains("Attendees"))
        let cancelled = try await world.approve(cancelCard)
        #expect(cancelled.contains("✓ Cancelled “Standup”."), "\(cancelled)")
        let deletes = await world.google.state.requests("calendar.events.delete")
        #expect(deletes.count == 1)
        #expect(deletes.first?.query("sendUpdates") == "none")
        let after = try await world.ask("/tomorrow", answerNumber: 6, steward)
        #expect(!after.text.contains("Standup") && after.text.contains("Planning"), "\(after.text)")
        #expect(await world.google.state.responseShapeProblems.isEmpty)
    }

    @Test func freeWithSomeoneAsksFreeBusyOnceAndBookingWithThemInvitesThem() async throws {
        let world = try await GoogleWorld()
        await world.google.state.addPerson(email: "bob@example.com", timeZone: "Europe/Berlin")
        _ = try await world.google.state.addTimedEvent(calendarID: "bob@example.com", summary: "Bob's workshop",
                                                       start: GoogleWorld.today(9, plusDays: 1),
                                                       end: GoogleWorld.today(12, plusDays: 1), timeZone: "Europe/Berlin")
        let steward = try await world.startConnected()
        defer { Task { await world.finish(steward) } }
        // Tomorrow may be a weekend day: make every day a working day so the answer has slots.
        _ = try await world.ask("/settings workdays mon-sun", answerNumber: 3, steward)

        let free = try await world.ask("/free 30m tomorrow with bob@example.com", answerNumber: 4, steward)
        let tomorrow = GoogleWorld.dayHeader(GoogleWorld.today(12, plusDays: 1))
        #expect(free.text.contains("\(tomorrow) 12:00–18:00"), "\(free.text)")
        #expect(!free.text.contains("09:00") && !free.text.contains("11:"), "no slot before 12:00: \(free.text)")
        #expect(free.text.contains("Checked against the calendar of bob@example.com."))
        let queries = await world.google.state.requests("calendar.freebusy.query")
        #expect(queries.count == 1)
        let body = try #require(queries.first?.body?.objectValue)
        let documented: Set<String> = ["timeMin", "timeMax", "timeZone", "groupExpansionMax", "calendarExpansionMax", "items"]
        #expect(Set(body.keys).isSubset(of: documented), "\(body.keys)")
        #expect(body["items"] == [["id": "bob@example.com"]])
        #expect(GoogleWorld.parseInstant(body["timeMin"]) == GoogleWorld.today(0, plusDays: 1))
        #expect(GoogleWorld.parseInstant(body["timeMax"]) == GoogleWorld.today(0, plusDays: 2))

        let card = try await world.ask("/book Review tomorrow 15:00 with bob@example.com", answerNumber: 5, steward)
        #expect(card.text.contains("Attendees: bob@example.com\nAttendees will be notified"), "\(card.text)")
        let added = try await world.approve(card)
        #expect(added.contains("✓ Added"), "\(added)")
        let inserts = await world.google.state.requests("calendar.events.insert")
        #expect(inserts.count == 1)
        #expect(inserts.first?.query("sendUpdates") == "all")
        #expect(inserts.first?.body?["attendees"] == [["email": "bob@example.com"]])
        #expect(GoogleWorld.parseInstant(inserts.first?.body?["start"]) == GoogleWorld.today(15, plusDays: 1))

        // The same kind of card, answered with "Approve, don't notify": Bob is invited without an email.
        let second = try await world.ask("/book Retro tomorrow 17:00 with bob@example.com", answerNumber: 6, steward)
        let buttons = second.buttons.flatMap { $0 }
        #expect(buttons.map(\.text) == ["Approve", "Approve, don't notify", "Reject"])
        let quiet = try #require(buttons.first { $0.text == "Approve, don't notify" }?.callbackData)
        let edits = await world.telegram.fake.state.edits(chat: 100).count
        await world.telegram.fake.state.tapButton(messageID: second.messageID, inChat: 100, from: TelegramWorld.owner,
                                                  data: quiet)
        try await waitUntil { await world.telegram.fake.state.edits(chat: 100).count > edits }
        let both = await world.google.state.requests("calendar.events.insert")
        #expect(both.count == 2)
        #expect(both.last?.query("sendUpdates") == "none")
        #expect(both.last?.body?["attendees"] == [["email": "bob@example.com"]])
        #expect(await world.google.state.responseShapeProblems.isEmpty)
    }
}
