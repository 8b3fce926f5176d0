import Foundation
import Testing
@testable import StewardCore

private let berlin = TimeZone(identifier: "Europe/Berlin")!
/// Saturday 21 November 2026, 10:00 in Berlin.
private let now = at(2026, 11, 21, 10)
private let context = ParseContext(now: now, timeZone: berlin)

private func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
    Calendar.gregorian(berlin).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

private func message(_ text: String) -> Intent { IntentParser().parse(.message(text), context: context) }

private func reminder(_ text: String) -> (task: String, at: TimeRef)? {
    if case .followUp(.remind(let task, let when, _)) = message(text) { (task, when) } else { nil }
}

/// Reminders, no-reply follow-ups, `/plans` and "what should I focus on" as typed.
@Suite struct FollowUpParsingTests {
    @Test func aReminderReadsItsTimeBeforeOrAfterTheTask() throws {
        let first = try #require(reminder("remind me tomorrow at 9 to call Sam"))
        #expect(first.task == "call Sam" && first.at == .instant(at(2026, 11, 22, 9)))
        let second = try #require(reminder("Remind me to call Sam tomorrow at 9"))
        #expect(second.task == "call Sam" && second.at == .instant(at(2026, 11, 22, 9)))
        let third = try #require(reminder("please remind me in 2 hours to check the oven"))
        #expect(third.task == "check the oven" && third.at == .instant(now.addingTimeInterval(7200)))
        let fourth = try #require(reminder("remind me to go to the gym at 6"))
        #expect(fourth.task == "go to the gym" && fourth.at == .instant(at(2026, 11, 21, 18)))
        // A day alone stays a day: the handler gives it the person's morning hour.
        let fifth = try #require(reminder("remind me on monday about the Dentist bill"))
        #expect(fifth.task == "the Dentist bill")
        guard case .days = fifth.at else { Issue.record("\(fifth.at)"); return }
    }

    @Test func remindTheCommandTakesTheSameWords() {
        let intent = IntentParser().parse(.command(name: "remind", arguments: "tomorrow at 9 to call Sam"), context: context)
        #expect(intent == .followUp(.remind(task: "call Sam", at: .instant(at(2026, 11, 22, 9)),
                                            request: "/remind tomorrow at 9 to call Sam")))
        guard case .usage = IntentParser().parse(.command(name: "remind", arguments: ""), context: context) else {
            Issue.record("/remind alone"); return
        }
    }

    @Test func aReminderWithoutATimeAsksForOne() {
        guard case .usage(let text) = message("remind me to call Sam") else { Issue.record("not usage"); return }
        #expect(text.contains("remind me tomorrow at 9"))
    }

    @Test func aNoReplyFollowUpNamesThePersonAndTheDeadline() {
        guard case .followUp(.noReply(let person, let when, let request)) = message("tell me if Sarah hasn't replied by Friday")
        else { Issue.record("\(message("tell me if Sarah hasn't replied by Friday"))"); return }
        #expect(person == "Sarah")
        #expect(when == .days(DateInterval(start: at(2026, 11, 27, 0), end: at(2026, 11, 28, 0))))
        #expect(request == "tell me if Sarah hasn't replied by Friday")
        guard case .followUp(.noReply(let other, let time, _)) =
            message("let me know if sam@example.com doesn't answer by tomorrow 5pm") else { Issue.record("second"); return }
        #expect(other == "sam@example.com" && time == .instant(at(2026, 11, 22, 17)))
    }

    @Test func listingCancellingAndFocusAreTheirOwnIntents() {
        #expect(IntentParser().parse(.command(name: "plans", arguments: ""), context: context) == .followUp(.list))
        #expect(message("my reminders") == .followUp(.list))
        #expect(message("cancel reminder 2") == .followUp(.cancel(number: 2)))
        #expect(message("What should I focus on today?") == .focus)
        #expect(message("what should i focus on") == .focus)
        // Neighbours keep their meaning.
        guard case .cancel = message("cancel Dentist") else { Issue.record("cancel Dentist"); return }
        guard case .remember = message("remember that Sam likes tea") else { Issue.record("remember"); return }
    }

    @Test func buttonTokensRoundTripAndStayShort() {
        for action in FollowUpButton.Action.allCases {
            let token = FollowUpButton(followUpID: "0123456789ab", action: action)
            #expect(FollowUpButton(parsing: token.text) == token)
            #expect(token.text.utf8.count <= 64)
        }
        #expect(FollowUpButton(parsing: "s1:0123456789ab:a") == nil)
        #expect(FollowUpButton(parsing: "f1:01 23:d") == nil)
        #expect(FollowUpButton(parsing: "f1:0123456789ab:x") == nil)
    }
}

/// The focus list's order is its stated rule, whatever order the sources come in.
@Suite struct FocusListTests {
    private func event(_ title: String, _ start: Date, minutes: Int = 30) -> CalendarEvent {
        CalendarEvent(id: title, title: title, start: .dateTime(start, timeZone: nil),
                      end: .dateTime(start.addingTimeInterval(Double(minutes) * 60), timeZone: nil),
                      accountID: "1", calendarID: "primary")
    }

    private func mail(_ subject: String, _ category: MailCategory, minutesAgo: Double) -> TriagedMail {
        TriagedMail(accountID: 1, messageID: subject, from: "Boss <boss@example.com>", subject: subject,
                    receivedAt: now.addingTimeInterval(-minutesAgo * 60), category: category, reason: "")
    }

    @Test func soonEventsThenUrgentMailThenApprovalsThenRepliesThenRemindersThenTheRest() {
        let approval = ApprovalRequest(id: "a1", userID: 1, toolName: "calendar_create_event", payload: Data(),
                                       payloadHash: "", summary: "Lunch\nMon", state: .pending, createdAt: now,
                                       expiresAt: now.addingTimeInterval(3600),
                                       cardChat: ChatRef(platform: .telegram, chatID: "1", isPrivate: true))
        let reminder = FollowUp(id: "r1", userID: 1, kind: .reminder, request: "remind me at 4 to call Sam",
                                task: "call Sam", dueAt: at(2026, 11, 21, 16), timeZone: "Europe/Berlin",
                                localDue: "2026-11-21 16:00", createdAt: now)
        let list = FocusList(
            events: [event("Late review", at(2026, 11, 21, 17)), event("Past standup", at(2026, 11, 21, 8)),
                     event("Design sync", at(2026, 11, 21, 11))],
            mail: [mail("Please answer", .needsReply, minutesAgo: 5), mail("Server down", .urgent, minutesAgo: 50),
                   mail("Newsletter", .fyi, minutesAgo: 1)],
            approvals: [approval], followUps: [reminder], now: now, zone: berlin)
        let kinds = list.items.map { item -> String in
            switch item {
            case .soonEvent(let event): "soon:\(event.title)"
            case .urgentMail(let mail): "urgent:\(mail.subject)"
            case .approval(let request): "approval:\(request.id)"
            case .needsReply(let mail): "reply:\(mail.subject)"
            case .followUp(let followUp): "reminder:\(followUp.task)"
            case .laterEvent(let event): "later:\(event.title)"
            }
        }
        #expect(kinds == ["soon:Design sync", "urgent:Server down", "approval:a1", "reply:Please answer",
                          "reminder:call Sam", "later:Late review"])
        #expect(list.more == 0)
    }
}
