import Foundation

extension Orchestrator {
    /// Free text, with only the model's own dependencies.
    var model: ModelHandler? {
        freeTextPlanner.map { ModelHandler(planner: $0, progress: planningProgress) }
    }

    /// Hands free text to the model, then each card it proposed to the handler that asks for it. Returns
    /// false when the parser's reply should be given instead (no planner answer: the model is down or over
    /// budget — the planner adds its notice once).
    func planFreeText(_ text: String, model: ModelHandler, event: InboundEvent, user: User,
                      settings: UserSettings, reply: inout Reply) async throws -> Bool {
        guard var planned = await model.plan(text, event: event, user: user, settings: settings, reply: &reply) else {
            return false
        }
        // A fact from someone else's text waits on a card of its own (its own id), whatever else was proposed.
        try await requestFactSaves(planned.facts, event: event, user: user, reply: &reply)
        // Several changes in one turn: one plan, one card (the plan takes the event's approval id).
        if planned.plan.count > 1 {
            if plans != nil {
                try await requestModelPlan(planned.plan, event: event, user: user, settings: settings, reply: &reply)
                planned.sayUnsupported(reply: &reply)
                return true
            }
            planned = ModelHandler.Proposals(card: planned.plan[0],
                                             unsupported: planned.unsupported + planned.plan.dropFirst().map { $0.toolName })
        }
        // One card per message: the approval id is derived from the event, so a second would collide.
        let formatter = ScheduleFormatter(settings: settings, now: now())
        switch planned.card {
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
        planned.sayUnsupported(reply: &reply)
        return true
    }
}

/// Free text the parser does not understand: the model plans, showing its steps while it works, answers
/// in words, and proposes at most one card per message (the rest it says it can't do yet). Takes only the
/// planner and the progress display; the cards it proposes are asked for by the handlers that own them.
struct ModelHandler: Sendable {
    let planner: any FreeTextPlanner
    /// Shows the planner's steps while it works; nil: only "typing…".
    let progress: (any PlanningProgress)?

    /// What the model proposed beyond its answer: the one card to ask for, and what it can't ask for yet.
    struct Proposals {
        let card: PlannedCard?
        let unsupported: [String]
        /// Two or more changes that can be steps of one plan (then `card` is nil and they are not in `unsupported`).
        var plan: [PlannedCard] = []
        /// `memory_save` calls that wait for an Approve: each gets a card of its own.
        var facts: [ProposedFact] = []

        /// Said after the card, so the card stays the first thing the user sees.
        func sayUnsupported(reply: inout Reply) {
            guard !unsupported.isEmpty else { return }
            reply.say("I can't turn \(Set(unsupported).sorted().joined(separator: ", ")) into an approval card yet, "
                      + "so nothing was done for it.")
        }
    }

    /// Says the model's answer and returns what it proposed; nil when the model gave no answer (its notice,
    /// if any, is said).
    func plan(_ text: String, event: InboundEvent, user: User, settings: UserSettings,
              reply: inout Reply) async -> Proposals? {
        let progress = progress
        progress?.begin(event)
        let plan = await planner.plan(text, user: user, settings: settings, chat: event.chat) { step in
            progress?.report(step, for: event)
        }
        guard plan.outcome == .answered else {
            if let notice = plan.text { reply.say(notice) }
            return nil
        }
        if let answer = plan.text, !answer.isEmpty { reply.sayPrivately(OutboundMessage(text: answer)) }
        // Sending a reply proposed in the same plan is that reply card's Approve: nothing more to show.
        let sends = plan.replies.isEmpty && plan.newMails.isEmpty ? plan.sends.map(PlannedCard.send) : []
        let proposals: [PlannedCard] = plan.bookings.map(PlannedCard.booking) + plan.changes.map(PlannedCard.change)
            + plan.replies.map(PlannedCard.reply) + plan.newMails.map(PlannedCard.newMail) + sends
            + plan.archives.map(PlannedCard.archive) + plan.settings.map(PlannedCard.setting)
        let plannable = proposals.filter(\.isPlannable)
        var found = plannable.count > 1
            ? Proposals(card: nil, unsupported: plan.otherProposals + proposals.filter { !$0.isPlannable }.map(\.toolName),
                        plan: plannable)
            : Proposals(card: proposals.first, unsupported: plan.otherProposals + proposals.dropFirst().map(\.toolName))
        found.facts = plan.facts
        return found
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
