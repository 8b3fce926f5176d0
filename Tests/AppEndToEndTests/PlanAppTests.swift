import Foundation
import StewardTesting
import Testing

/// Plans of many steps (issue 17): a bulk request becomes one card listing every change; Approve all runs
/// each change once, in order, against the fake Google; a failing step is reported and Retry redoes only it.
@Suite struct PlanAppTests {
    /// `days` from today in Berlin at `hour:minute`.
    static func day(_ days: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AppWorld.berlin
        let start = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: start)!
    }

    /// "thursday": the weekday `days` from today, as the user would type it.
    static func weekday(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = AppWorld.berlin
        formatter.dateFormat = "EEEE"
        return formatter.string(from: day(days, 12)).lowercased()
    }

    /// `count` 10-minute events from 08:00 on the day `days` from today; their ids in time order.
    static func seed(_ count: Int, days: Int = 2, in google: FakeGoogleServer) async throws -> [String] {
        var ids: [String] = []
        for number in 1...count {
            let start = day(days, 8).addingTimeInterval(Double(number - 1) * 600)
            ids.append(try await google.state.addTimedEvent(
                calendarID: AppWorld.email, summary: String(format: "Event %02d", number), start: start,
                end: start.addingTimeInterval(600), timeZone: "Europe/Berlin"))
        }
        return ids
    }

    /// The event ids of the successful patches, in the order they arrived.
    static func patched(_ google: FakeGoogleServer) async -> [String] {
        await google.state.requests("calendar.events.patch").filter { $0.status == 200 }
            .compactMap { $0.path.split(separator: "/").last.map(String.init) }
    }

    /// Taps `title` among `buttons` of message `messageID` as `user` and waits until Telegram's callback was
    /// answered; returns its text.
    static func tap(_ world: AppWorld, _ messageID: Int64, _ buttons: [[FakeTelegramButton]], _ title: String,
                    as user: FakeTelegramUser = AppWorld.owner) async throws -> String? {
        let data = try #require(buttons.flatMap { $0 }.first { $0.text == title }?.callbackData,
                                "no \(title) on \(buttons.flatMap { $0 }.map(\.text))")
        let before = await world.telegram.state.answeredCallbacks().count
        await world.telegram.state.tapButton(messageID: messageID, inChat: 100, from: user, data: data)
        try await waitUntil(timeout: .seconds(30)) { await world.telegram.state.answeredCallbacks().count > before }
        return await world.telegram.state.answeredCallbacks().last?.text
    }

    static func tap(_ world: AppWorld, _ card: FakeTelegramMessage, _ title: String,
                    as user: FakeTelegramUser = AppWorld.owner) async throws -> String? {
        try await tap(world, card.messageID, card.buttons, title, as: user)
    }

    /// The last edit of `card` once it says `text`.
    static func edit(of card: FakeTelegramMessage, saying text: String, in world: AppWorld) async throws -> FakeTelegramEdit {
        try await waitUntil(timeout: .seconds(30)) {
            await world.telegram.state.edits(chat: 100).contains { $0.messageID == card.messageID && $0.text.contains(text) }
        }
        return try #require(await world.telegram.state.edits(chat: 100).last { $0.messageID == card.messageID })
    }

    @Test func twentyMovesOnOneCardRunOnceEachInOrder() async throws {
        try await AppWorld.run(withGoogle: true) { world in
            let google = try world.fakeGoogle
            let ids = try await Self.seed(20, in: google)
            let app = try await world.bootConnected()
            let card = try await world.ask("move everything on \(Self.weekday(2)) to \(Self.weekday(3))", answerNumber: 3)
            #expect(card.text.contains("Move 20 events from"), "\(card.text)")
            #expect(card.text.contains("1. Event 01: ") && card.text.contains("20. Event 20: "), "\(card.text)")
            #expect(card.text.contains("08:00–08:10 → "), "\(card.text)")
            #expect(card.buttons.flatMap { $0 }.map(\.text) == ["Approve all", "Review one by one", "Reject"])
            #expect(await Self.patched(google).isEmpty, "nothing before Approve")

            _ = try await Self.tap(world, card, "Approve all")
            let outcome = try await Self.edit(of: card, saying: "All 20 done", in: world)
            #expect(outcome.buttons.flatMap { $0 }.isEmpty)
            // While it ran, the card showed its progress; the outcome came last.
            let edits = await world.telegram.state.edits(chat: 100).filter { $0.messageID == card.messageID }
            #expect(edits.contains { $0.text.contains("5 of 20 done…") }, "\(edits.map(\.text))")
            #expect(edits.last?.text.contains("All 20 done") == true)
            #expect(await Self.patched(google) == ids, "each event once, in the card's order")
            // Each event is now at the same time of day, one day later.
            let patch = try #require(await google.state.requests("calendar.events.patch").first)
            #expect(patch.body?["start"]?["dateTime"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) }
                    == Self.day(3, 8))
            // A second tap does nothing more.
            let again = try await Self.tap(world, card, "Approve all")
            #expect(again?.hasPrefix("Already done") == true, "\(again ?? "")")
            try await app.settle()
            #expect(await Self.patched(google).count == 20)
        }
    }

    @Test func aFailingStepIsReportedAndRetryRedoesOnlyIt() async throws {
        try await AppWorld.run(withGoogle: true) { world in
            let google = try world.fakeGoogle
            let ids = try await Self.seed(20, in: google)
            await google.state.failWrites(toEvent: ids[11])
            _ = try await world.bootConnected()
            let card = try await world.ask("move all my meetings on \(Self.weekday(2)) to \(Self.weekday(3))",
                                           answerNumber: 3)
            _ = try await Self.tap(world, card, "Approve all")
            let outcome = try await Self.edit(of: card, saying: "failed", in: world)
            #expect(outcome.text.contains("19 done, 1 failed:\n12. Event 12: "), "\(outcome.text)")
            #expect(await Self.patched(google) == ids.filter { $0 != ids[11] })
            #expect(outcome.buttons.flatMap { $0 }.map(\.text) == ["Retry the failed one", "Leave it"])

            await google.state.clearEventWriteFault(ids[11])
            let retried = try await world.telegram.state.edits(chat: 100).count
            _ = try await Self.tap(world, card.messageID, outcome.buttons, "Retry the failed one")
            try await waitUntil(timeout: .seconds(30)) { await world.telegram.state.edits(chat: 100).count > retried }
            let after = try await Self.edit(of: card, saying: "All 20 done", in: world)
            #expect(after.buttons.flatMap { $0 }.isEmpty)
            #expect(await Self.patched(google) == ids.filter { $0 != ids[11] } + [ids[11]], "only the failed one again")
        }
    }

    @Test func fiftyOneChangesAreRefusedInOneLineAndNothingIsStored() async throws {
        try await AppWorld.run(withGoogle: true) { world in
            let google = try world.fakeGoogle
            _ = try await Self.seed(51, in: google)
            _ = try await world.bootConnected()
            let refused = try await world.ask("cancel all my meetings on \(Self.weekday(2))", answerNumber: 3)
            #expect(refused.text.contains("That is 51 changes; one plan takes at most 50."), "\(refused.text)")
            #expect(refused.buttons.isEmpty)
            let approvals = try await world.ask("/approvals", answerNumber: 4)
            #expect(approvals.text.contains("Nothing is waiting"), "\(approvals.text)")
        }
    }

    @Test func aLongPlanShowsTwentyLinesThenShowAllAndOnlyItsOwnerCanDecide() async throws {
        try await AppWorld.run(withGoogle: true) { world in
            let google = try world.fakeGoogle
            _ = try await Self.seed(25, in: google)
            _ = try await world.bootConnected()
            let card = try await world.ask("cancel all my meetings on \(Self.weekday(2))", answerNumber: 3)
            #expect(card.text.contains("Cancel 25 events on"), "\(card.text)")
            #expect(card.text.contains("20. ✗ Event 20") && !card.text.contains("21. "), "\(card.text)")
            #expect(card.text.contains("…and 5 more"), "\(card.text)")
            #expect(card.buttons.flatMap { $0 }.map(\.text) == ["Approve all", "Review one by one", "Show all", "Reject"])

            // Someone else's tap: refused, nothing deleted.
            let stolen = try await Self.tap(world, card, "Approve all", as: FakeTelegramUser(id: 200, firstName: "Ben"))
            #expect(stolen == "Only the person who asked can decide this.")
            // Show all lists every change and decides nothing.
            _ = try await Self.tap(world, card, "Show all")
            let all = try await world.waitForMessages(4)[3].text
            #expect(all.contains("21. ✗ Event 21") && all.contains("25. ✗ Event 25"), "\(all)")
            #expect(await google.state.requests("calendar.events.delete").isEmpty)

            _ = try await Self.tap(world, card, "Reject")
            let rejected = try await Self.edit(of: card, saying: "Rejected", in: world)
            #expect(rejected.buttons.flatMap { $0 }.isEmpty)
            #expect(await google.state.requests("calendar.events.delete").isEmpty)
        }
    }

    /// A newsletter as Gmail stores it: a List-Unsubscribe header makes triage file it as one.
    static func newsletter(_ subject: String, id: String) -> String {
        """
        From: Shop <news@shop.example>\r
        To: Ana <ana@example.com>\r
        Subject: \(subject)\r
        Date: \(Date().formatted(.iso8601))\r
        Message-ID: <\(id)@mail.example.com>\r
        List-Unsubscribe: <mailto:leave@shop.example>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=UTF-8\r
        \r
        Deals.\r

        """
    }

    @Test func bulkArchiveTouchesOnlyTheMailsOnItsCardNotOneDeliveredAfter() async throws {
        try await AppWorld.run(withGoogle: true) { world in
            let google = try world.fakeGoogle
            let app = try await world.bootConnected()
            _ = try await world.ask("/settings quiet off", answerNumber: 3)
            _ = try await world.ask("/settings triage 1m", answerNumber: 4)
            try await world.connectGmail(linkNumber: 5)
            let old = Date().addingTimeInterval(-40 * 86_400)
            let first = try await google.state.addMail(to: AppWorld.email, raw: Self.newsletter("Deals 1", id: "n1"), receivedAt: old)
            let second = try await google.state.addMail(to: AppWorld.email, raw: Self.newsletter("Deals 2", id: "n2"), receivedAt: old)
            _ = try await google.state.addMail(to: AppWorld.email, raw: AppWorld.mail(
                from: "Bob <bob@example.com>", subject: "Lunch?", body: "Tomorrow?", id: "b1"), receivedAt: old)
            world.clock.advance(by: 61)
            try await app.runDueJobs()

            let card = try await world.ask("archive all newsletters older than 30 days",
                                           answerNumber: await world.messages().count + 1)
            #expect(card.text.contains("Archive 2 newsletters older than 30 days\n1. Archive Shop <news@shop.example> — Deals"),
                    "\(card.text)")
            #expect(!card.text.contains("Lunch?"))

            // Another old newsletter arrives after the card: it is not on it, so it stays.
            let late = try await google.state.addMail(to: AppWorld.email, raw: Self.newsletter("Deals 3", id: "n3"), receivedAt: old)
            world.clock.advance(by: 61)
            try await app.runDueJobs()
            _ = try await Self.tap(world, card, "Approve all")
            _ = try await Self.edit(of: card, saying: "All 2 done", in: world)
            let archived = await google.state.requests("gmail.users.messages.modify").filter { $0.status == 200 }
                .compactMap { $0.path.split(separator: "/").dropLast().last.map(String.init) }
            #expect(Set(archived) == [first, second], "\(archived)")
            #expect(!archived.contains(late))
        }
    }
}

