import Foundation
import StewardTesting
import Testing

/// Reminders and no-reply follow-ups, the whole app in this process with a manual clock: a reminder pushes
/// once at the local time asked, across restarts and a DST change; `/plans` lists what waits and its
/// Cancel works only for the person who asked; a thread that got its reply pushes nothing.
@Suite struct FollowUpAppTests {
    /// The instant a Berlin wall clock shows `hour`:`minute` on the day `days` after the clock's today.
    static func berlin(_ world: AppWorld, days: Int, hour: Int, minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AppWorld.berlin
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: world.clock.now))!
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)!
    }

    static func move(_ world: AppWorld, to date: Date) { world.clock.advance(by: date.timeIntervalSince(world.clock.now)) }

    /// `Mon 7 Dec`, as Steward names a day.
    static func dayName(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = AppWorld.berlin
        formatter.dateFormat = "EEE d MMM"
        return formatter.string(from: date)
    }

    static func reminders(_ world: AppWorld) async -> [FakeTelegramMessage] {
        await world.messages().filter { $0.text.hasPrefix("Reminder") }
    }

    @Test func aReminderFiresOnceAtTheLocalTimeAcrossRestarts() async throws {
        try await AppWorld.run { world in
            let first = try await world.boot()
            let due = Self.berlin(world, days: 1, hour: 9)
            let answer = try await world.ask("remind me tomorrow at 9 to call Sam", answerNumber: 1)
            #expect(answer.text == "I'll remind you on \(Self.dayName(due)) at 09:00 (Europe/Berlin): call Sam.")
            try await first.stop()

            // A restart before it is due: a minute early nothing comes.
            let second = try await world.boot()
            Self.move(world, to: due.addingTimeInterval(-60))
            try await second.runDueJobs()
            #expect(await Self.reminders(world).isEmpty)
            Self.move(world, to: due.addingTimeInterval(5))
            try await second.runDueJobs()
            let seen = await world.messages().map(\.text)
            let pushed = try #require(await Self.reminders(world).first, "\(seen)")
            #expect(pushed.text.contains("call Sam") && pushed.text.contains("remind me tomorrow at 9 to call Sam"))
            #expect(pushed.buttons.flatMap { $0 }.map(\.text) == ["Done", "Snooze 1h"])
            world.clock.advance(by: 31)
            try await second.runDueJobs()
            try await second.stop()

            // A restart right after firing: no second push.
            let third = try await world.boot()
            world.clock.advance(by: 31)
            try await third.runDueJobs()
            #expect(await Self.reminders(world).count == 1)
            #expect(await world.messages().count == 2)
        }
    }

    @Test func mondayAtNineAskedBeforeTheClocksChangeFiresAtEightUTC() async throws {
        try await AppWorld.run { world in
            // Saturday 24 October 2026, 12:00 in Berlin (CEST, UTC+2); the clocks go back on Sunday the 25th.
            Self.move(world, to: Date(timeIntervalSince1970: 1_792_836_000))
            let app = try await world.boot()
            let answer = try await world.ask("remind me monday at 9 to send the invoices", answerNumber: 1)
            #expect(answer.text == "I'll remind you on Mon 26 Oct at 09:00 (Europe/Berlin): send the invoices.")
            // Monday 26 October 08:00 UTC = 09:00 CET. At 07:59:30 UTC (a UTC+2 reading would be past) nothing.
            let eightUTC = Date(timeIntervalSince1970: 1_793_001_600)
            Self.move(world, to: eightUTC.addingTimeInterval(-30))
            try await app.runDueJobs()
            #expect(await Self.reminders(world).isEmpty)
            Self.move(world, to: eightUTC.addingTimeInterval(5))
            try await app.runDueJobs()
            world.clock.advance(by: 31)
            try await app.runDueJobs()
            #expect(await Self.reminders(world).count == 1)
        }
    }

    @Test func plansListsWhatWaitsAndOnlyTheAskerCancels() async throws {
        try await AppWorld.run { world in
            let app = try await world.boot()
            _ = try await world.ask("remind me tomorrow at 9 to call Sam", answerNumber: 1)
            _ = try await world.ask("remind me in 3 hours to water the plants", answerNumber: 2)
            let plans = try await world.ask("/plans", answerNumber: 3)
            #expect(plans.text.contains("1. ") && plans.text.contains("Reminder: water the plants"), "\(plans.text)")
            #expect(plans.text.contains("2. ") && plans.text.contains("Reminder: call Sam"), "\(plans.text)")
            #expect(plans.buttons.flatMap { $0 }.map(\.text) == ["Cancel 1", "Cancel 2"])

            // Someone else's tap on Ana's Cancel changes nothing.
            let data = try #require(plans.buttons.flatMap { $0 }.first?.callbackData)
            let before = await world.telegram.state.answeredCallbacks().count
            await world.telegram.state.tapButton(messageID: plans.messageID, inChat: 100,
                                                 from: FakeTelegramUser(id: 200, firstName: "Bob"), data: data)
            try await waitUntil { await world.telegram.state.answeredCallbacks().count > before }
            #expect(await world.telegram.state.answeredCallbacks().last?.text == "Only the person who asked can change this.")

            try await world.tap(plans, "Cancel 1")
            #expect(await world.telegram.state.answeredCallbacks().last?.text == "Cancelled: Reminder: water the plants.")
            let after = try await world.ask("/plans", answerNumber: 4)
            #expect(!after.text.contains("water the plants") && after.text.contains("call Sam"), "\(after.text)")

            // Past both times: only the one left fires.
            Self.move(world, to: Self.berlin(world, days: 1, hour: 9, minute: 1))
            try await app.runDueJobs()
            let pushed = await Self.reminders(world)
            #expect(pushed.count == 1 && pushed.first?.text.contains("call Sam") == true, "\(pushed.map(\.text))")
        }
    }

    /// A mail as Gmail stores it, in a thread when `inReplyTo` names the mail it answers.
    static func raw(from: String, to: String, subject: String, id: String, inReplyTo: String? = nil) -> String {
        let threading = inReplyTo.map { "In-Reply-To: <\($0)@mail.example.com>\r\nReferences: <\($0)@mail.example.com>\r\n" } ?? ""
        return "From: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\nDate: \(Date().formatted(.iso8601))\r\n"
            + "Message-ID: <\(id)@mail.example.com>\r\n\(threading)MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello\r\n"
    }

    @Test func aThreadThatGotItsReplyPushesNothingAndOneWithoutOffersANudge() async throws {
        try await AppWorld.run(withGoogle: true) { world in
            let app = try await world.bootConnected()
            let google = try world.fakeGoogle
            let start = world.clock.now
            // Two days ago Ana wrote to Sarah and to Tom.
            for (name, subject, id) in [("Sarah Lee <sarah@example.com>", "Budget review", "b1"),
                                        ("Tom <tom@example.com>", "Venue contract", "v1")] {
                _ = try await google.state.addMail(to: AppWorld.email, raw: Self.raw(
                    from: "Ana <ana@example.com>", to: name, subject: subject, id: id), labels: ["SENT"],
                    receivedAt: start.addingTimeInterval(-2 * 86_400))
            }
            try await world.connectGmail(linkNumber: 3)
            let sarah = try await world.ask("tell me if Sarah hasn't replied by tomorrow 5pm", answerNumber: 5)
            let deadline = Self.berlin(world, days: 1, hour: 17)
            #expect(sarah.text == "I'll tell you on \(Self.dayName(deadline)) at 17:00 (Europe/Berlin) if Sarah Lee "
                    + "(sarah@example.com) hasn't replied in “Budget review”.", "\(sarah.text)")
            _ = try await world.ask("let me know if Tom doesn't answer by tomorrow 5pm", answerNumber: 6)
            let nobody = try await world.ask("tell me if Zed hasn't replied by tomorrow 5pm", answerNumber: 7)
            #expect(nobody.text == "I found no mail between you and Zed, so there is no thread to watch. Nothing was set.")
            // Sarah answers in the thread before the deadline; Tom doesn't.
            _ = try await google.state.addMail(to: AppWorld.email, raw: Self.raw(
                from: "Sarah Lee <sarah@example.com>", to: "Ana <ana@example.com>", subject: "Re: Budget review",
                id: "b2", inReplyTo: "b1"), receivedAt: start.addingTimeInterval(3600))

            Self.move(world, to: deadline.addingTimeInterval(5))
            try await app.runDueJobs()
            world.clock.advance(by: 31)
            try await app.runDueJobs()
            let pushes = await world.messages().filter { $0.text.hasPrefix("No reply yet") }
            let seen = await world.messages().map(\.text)
            #expect(pushes.count == 1, "\(seen)")
            let push = try #require(pushes.first)
            #expect(push.text.contains("Tom (tom@example.com) hasn't replied in “Venue contract”"), "\(push.text)")
            #expect(push.buttons.flatMap { $0 }.map(\.text) == ["Draft a nudge", "Snooze 1h", "Done"])
            let plans = try await world.ask("/plans", answerNumber: await world.messages().count + 1)
            #expect(plans.text.contains("✓ Sarah Lee replied"), "\(plans.text)")

            // Draft a nudge: a reply card in Tom's thread, written as a draft, nothing sent.
            try await world.tap(push, "Draft a nudge")
            try await waitUntil { await world.messages().contains { $0.text.contains("Re: Venue contract") } }
            let card = try #require(await world.messages().last { $0.text.contains("Re: Venue contract") })
            #expect(card.text.contains("tom@example.com") && card.text.contains("Just following up"), "\(card.text)")
            #expect(card.buttons.flatMap { $0 }.map(\.text).contains("Approve"))
            #expect(await google.state.draftCount(in: AppWorld.email) == 1)
            #expect(await google.state.sentMail(of: AppWorld.email).count == 2, "only Ana's two mails")
        }
    }

    @Test func aReminderInQuietHoursStillFiresSnoozeBringsItBackOnceAndDoneEndsIt() async throws {
        try await AppWorld.run { world in
            let app = try await world.boot()
            // Quiet hours are 22:00–07:00 by default: a reminder the person set for 23:30 goes out anyway.
            _ = try await world.ask("remind me tomorrow at 23:30 to take the bins out", answerNumber: 1)
            let due = Self.berlin(world, days: 1, hour: 23, minute: 30)
            Self.move(world, to: due.addingTimeInterval(5))
            try await app.runDueJobs()
            let first = try #require(await Self.reminders(world).first)
            try await world.tap(first, "Snooze 1h")
            try await waitUntil { await world.telegram.state.edits(chat: 100).contains { $0.text.contains("Snoozed until 00:30.") } }
            world.clock.advance(by: 30 * 60)
            try await app.runDueJobs()
            #expect(await Self.reminders(world).count == 1)
            world.clock.advance(by: 31 * 60)
            try await app.runDueJobs()
            let again = await Self.reminders(world)
            #expect(again.count == 2 && again.last?.text.contains("take the bins out") == true)
            let second = try #require(again.last)
            try await world.tap(second, "Done")
            try await waitUntil { await world.telegram.state.edits(chat: 100).contains { $0.text.contains("✓ Done") } }
            // A second tap, and hours later: nothing more.
            try await world.tap(second, "Done")
            #expect(await world.telegram.state.answeredCallbacks().last?.text == "Already handled.")
            world.clock.advance(by: 3 * 3600)
            try await app.runDueJobs()
            #expect(await Self.reminders(world).count == 2)
        }
    }

    @Test func withoutMailANoReplyFollowUpIsOneHonestLineAndAPastTimeSetsNothing() async throws {
        try await AppWorld.run { world in
            _ = try await world.boot()
            let answer = try await world.ask("tell me if Sarah hasn't replied by tomorrow 5pm", answerNumber: 1)
            #expect(answer.text == "I can only watch for a reply in a connected mailbox, and none is. Mail isn't "
                    + "connected yet: send /connect gmail first. Nothing was set.", "\(answer.text)")
            let past = try await world.ask("remind me today at 00:00 to sleep", answerNumber: 2)
            #expect(past.text.hasSuffix("has already passed, so nothing was set. Name a later time, e.g. remind me "
                                        + "tomorrow at 9 to call Sam."), "\(past.text)")
            let plans = try await world.ask("/plans", answerNumber: 3)
            #expect(plans.text.hasPrefix("Nothing is waiting."), "\(plans.text)")
            #expect(plans.buttons.isEmpty)
        }
    }
}
