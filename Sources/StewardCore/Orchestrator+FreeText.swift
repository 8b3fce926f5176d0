import Foundation

extension Orchestrator {
    /// Hands free text to the planner. Returns false when the parser's reply should be given instead
    /// (no planner answer: the model is down or over budget — the planner adds its notice once).
    func planFreeText(_ text: String, planner: any FreeTextPlanner, event: InboundEvent, user: User,
                      settings: UserSettings, reply: inout Reply) async throws -> Bool {
        let progress = planningProgress
        progress?.begin(event)
        let plan = await planner.plan(text, user: user, settings: settings, chat: event.chat) { step in
            progress?.report(step, for: event)
        }
        guard plan.outcome == .answered else {
            if let notice = plan.text { reply.say(notice) }
            return false
        }
        if let answer = plan.text, !answer.isEmpty { reply.sayPrivately(OutboundMessage(text: answer)) }
        // One card per message: the approval id is derived from the event, so a second would collide.
        let formatter = ScheduleFormatter(settings: settings, now: now())
        // Sending a reply proposed in the same plan is that reply card's Approve: nothing more to show.
        let sends = plan.replies.isEmpty && plan.newMails.isEmpty ? plan.sends.map(PlannedCard.send) : []
        let proposals: [PlannedCard] = plan.bookings.map(PlannedCard.booking) + plan.changes.map(PlannedCard.change)
            + plan.replies.map(PlannedCard.reply) + plan.newMails.map(PlannedCard.newMail) + sends + plan.archives.map(PlannedCard.archive)
            + plan.settings.map(PlannedCard.setting)
        switch proposals.first {
        case .booking(let booking):
            try await requestBooking(title: booking.title, start: booking.start, minutes: booking.minutes,
                                     attendees: booking.attendees, notify: !booking.attendees.isEmpty, event: event,
                                     user: user, settings: settings, formatter: formatter, reply: &reply)
        case .change(.move(let id, let start)):
            try await requestMove(EventReference(eventID: id), to: .instant(start), notify: true, event: event,
                                  user: user, settings: settings, formatter: formatter, reply: &reply)
        case .change(.cancel(let id, let notify)):
            try await requestCancel(EventReference(eventID: id), notify: notify, event: event, user: user,
                                    settings: settings, formatter: formatter, reply: &reply)
        case .reply(let draft):
            try await requestReply(toMessageID: draft.messageID, text: draft.body, event: event, user: user, reply: &reply)
        case .newMail(let mail):
            try await requestNewMail(mail, event: event, user: user, reply: &reply)
        case .send(let draftID):
            try await showWaitingReply(draftID: draftID, user: user, reply: &reply)
        case .archive(let messageID):
            try await requestArchive(messageID: messageID, event: event, user: user, reply: &reply)
        case .setting(let proposal):
            try await requestSettingChange(proposal, event: event, user: user, settings: settings, reply: &reply)
        case nil:
            break
        }
        let unsupported = plan.otherProposals + proposals.dropFirst().map(\.toolName)
        if !unsupported.isEmpty {
            reply.say("I can't turn \(Set(unsupported).sorted().joined(separator: ", ")) into an approval card yet, "
                      + "so nothing was done for it.")
        }
        return true
    }
}

/// One action the model proposed that can become an approval card.
enum PlannedCard {
    case booking(ProposedBooking)
    case change(ProposedChange)
    case reply(ProposedReply)
    case newMail(ProposedMail)
    case send(String)
    case archive(String)
    case setting(ProposedSetting)

    var toolName: String {
        switch self {
        case .booking: CreateEventArguments.toolName
        case .change(let change): change.toolName
        case .reply, .newMail: "mail_draft_reply"
        case .send: MailReplyArguments.toolName
        case .archive: ArchiveMailArguments.toolName
        case .setting: ChangeSettingArguments.toolName
        }
    }
}
