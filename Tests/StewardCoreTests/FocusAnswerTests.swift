import Foundation
import Testing
@testable import StewardCore

/// "What should I focus on today?" from a calendar, triaged mail and a waiting card: the answer's order is
/// the stated rule; with nothing to list, one honest line saying what is missing.
@Suite struct FocusAnswerTests {
    @Test func theListFollowsTheRuleFromCalendarMailAndApprovals() async throws {
        let world = CoreWorld([])
        let calendar = FakeCalendar(accountID: "google:1", events: [
            CoreWorld.event("e1", "Dinner with Sam", CoreWorld.at(2026, 11, 21, 19)),
            CoreWorld.event("e2", "Standup", CoreWorld.at(2026, 11, 21, 8), minutes: 15),
            CoreWorld.event("e3", "Design sync", CoreWorld.at(2026, 11, 21, 11), minutes: 30),
            CoreWorld.event("e4", "Monday review", CoreWorld.at(2026, 11, 23, 9)),
        ])
        let account = Account(id: 1, userID: 1, kind: "google", label: "Work", options: ["mail": "on"],
                              createdAt: CoreWorld.now)
        let mail = MailAlertTests.MailLog([
            TriagedMail(accountID: 1, messageID: "m1", from: "Ops <ops@acme.example>", subject: "Please confirm the venue",
                        receivedAt: CoreWorld.now.addingTimeInterval(-300), category: .needsReply, reason: "a question"),
            TriagedMail(accountID: 1, messageID: "m2", from: "Dana <dana@acme.example>", subject: "Server down",
                        receivedAt: CoreWorld.now.addingTimeInterval(-3600), category: .urgent, reason: "outage"),
            TriagedMail(accountID: 1, messageID: "m3", from: "Shop <deals@shop.example>", subject: "Deals",
                        receivedAt: CoreWorld.now.addingTimeInterval(-60), category: .canWait, reason: "newsletter"),
        ])
        let orchestrator = world.orchestrator(calendars: FakeDirectory(entries: [(account, calendar)]), mail: mail)
        let ask = { (text: String) in
            await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                   kind: .message(text), receivedAt: CoreWorld.now))
        }
        _ = await ask("/start")
        let card = await ask("book Lunch today at 13:00")
        #expect(card.text.contains("Lunch"), "\(card.text)")
        let answer = await ask("What should I focus on today?").text
        let order = ["Design sync", "Urgent mail: Dana", "Waiting for your approval: Lunch", "Answer: Ops", "Dinner with Sam"]
        let positions = order.map { answer.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(answer)")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "\(answer)")
        #expect(answer.contains("1. 11:00–11:30 Design sync (in 1 h 0 min)"), "\(answer)")
        #expect(!answer.contains("Standup") && !answer.contains("Deals") && !answer.contains("Monday review"), "\(answer)")
        #expect(answer.contains("Order: events within 2 hours, urgent mail, approvals"), "\(answer)")
    }

    @Test func withNothingToListItSaysSoAndWhatIsNotConnected() async {
        let world = CoreWorld([])
        let answer = await world.say("what should I focus on today").text
        #expect(answer == "Nothing needs you for the rest of Sat 21 Nov: no more events, no urgent mail or mail to "
                + "answer, nothing waiting for approval, no reminders (no calendar is connected and no mail is connected).")
    }
}
