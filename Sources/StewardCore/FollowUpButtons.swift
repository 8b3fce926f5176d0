import Foundation

/// What a follow-up's push says, with its buttons: the same text for the push and for the edits its taps make.
public enum FollowUpPush {
    public static func message(for followUp: FollowUp, settings: UserSettings, checkFailed: String? = nil)
        -> OutboundMessage {
        let asked = "You asked on \(FollowUpHandler.when(followUp.createdAt, settings: settings)): "
            + "“\(FollowUpHandler.oneLine(followUp.request))”"
        switch followUp.kind {
        case .reminder:
            return OutboundMessage(title: "Reminder", text: "\(FollowUpHandler.oneLine(followUp.task))\n\n\(asked)",
                                   buttons: buttons(followUp, [.done, .snooze]))
        case .noReply:
            let thread = followUp.thread
            var text = thread.map {
                "\(FollowUpHandler.person($0)) hasn't replied in “\(FollowUpHandler.oneLine($0.subject))” since "
                    + "\(FollowUpHandler.when($0.since, settings: settings))."
            } ?? "\(FollowUpHandler.oneLine(followUp.task)) hasn't replied."
            if let checkFailed { text = "I couldn't check whether \(followUp.task) replied (\(checkFailed))." }
            return OutboundMessage(title: "No reply yet", text: "\(text)\n\n\(asked)",
                                   buttons: buttons(followUp, thread == nil ? [.snooze, .done] : [.nudge, .snooze, .done]))
        }
    }

    static func buttons(_ followUp: FollowUp, _ actions: [FollowUpButton.Action]) -> [Button] {
        actions.map { FollowUpButton(followUpID: followUp.id, action: $0).button }
    }
}

extension Orchestrator {
    /// Follow-ups, with only their own dependencies.
    var followUpHandler: FollowUpHandler {
        FollowUpHandler(followUps: followUps, mail: followUpMail, plans: plans, now: now, digest: digest,
                        mailNotConnected: mailNotConnected)
    }

    /// A follow-up button: Cancel (from `/plans`), Done, Snooze 1h, Draft a nudge. Only the owner's tap
    /// counts, and each changes the follow-up once (a second tap finds it handled).
    func handleFollowUpButton(_ token: FollowUpButton, event: InboundEvent, user: User,
                              reply: inout Reply) async throws {
        func answer(_ notice: String) { reply.acknowledge(notice) }
        guard let followUps, let followUp = try await followUps.followUp(id: token.followUpID) else {
            return answer("This button is no longer valid.")
        }
        guard followUp.userID == user.id else {
            try await audit.record(AuditEntry(at: now(), actor: event.sender.description, action: "follow_up_tap",
                                              outcome: "refused: not the requester", detail: followUp.id))
            return answer("Only the person who asked can change this.")
        }
        let settings = try await users.settings(of: user.id)
        let shown = FollowUpPush.message(for: followUp, settings: settings)
        /// The push, its buttons gone, with what the tap did.
        func editPush(_ line: String) {
            guard let messageID = event.sourceMessageID else { return }
            reply.append(.edit(chat: event.chat, messageID: messageID,
                               message: OutboundMessage(title: shown.title, text: shown.text + "\n\n" + line)),
                         key: "follow-up-tap:\(followUp.id):\(followUp.round):\(token.action.rawValue)")
        }
        switch token.action {
        case .cancel:
            answer(try await followUpHandler.cancel(followUp, user: user))
        case .done:
            guard try await followUps.transition(followUp.id, from: [.fired, .snoozed, .waiting], to: .done, dueAt: nil,
                                                 outcome: "done", at: now()) else { return answer("Already handled.") }
            editPush("✓ Done")
            answer("Marked done.")
        case .snooze:
            let due = now().addingTimeInterval(3600)
            guard try await followUps.transition(followUp.id, from: [.fired], to: .snoozed, dueAt: due, outcome: nil,
                                                 at: now()) else { return answer("Already handled.") }
            let time = ScheduleFormatter(settings: settings, now: due).time(due)
            editPush("Snoozed until \(time).")
            answer("Snoozed until \(time).")
        case .nudge:
            guard let thread = followUp.thread else { return answer("There is no mail thread to answer.") }
            guard try await followUps.transition(followUp.id, from: [.fired, .snoozed], to: .done, dueAt: nil,
                                                 outcome: "nudge drafted", at: now()) else {
                return answer("Already handled.")
            }
            editPush("A nudge is drafted below: it waits for your Approve.")
            answer("Drafting a nudge.")
            try await requestReply(Self.nudge(thread), replyAll: false, event: event, user: user, reply: &reply)
        }
    }

    /// A short reply to the owner's last message in the thread, to the person waited on. Nothing is sent:
    /// the draft's card waits for Approve (and its Edit changes the text).
    static func nudge(_ thread: FollowUpThread) -> MailReplyArguments {
        let first = thread.personName.split(separator: " ").first.map(String.init) ?? ""
        let greeting = first.isEmpty || first.contains("@") ? "Hi," : "Hi \(first),"
        let subject = thread.subject.lowercased().hasPrefix("re:") ? thread.subject : "Re: " + thread.subject
        return MailReplyArguments(account: thread.accountID, messageID: thread.lastMessageID, to: thread.personAddress,
                                  subject: subject,
                                  body: "\(greeting)\n\nJust following up on my last message: any news?\n\nThanks!",
                                  replyMessageID: "")
    }
}
