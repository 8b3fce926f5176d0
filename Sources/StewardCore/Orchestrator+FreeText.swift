import Foundation

extension Orchestrator {
    /// Hands free text to the planner. Returns false when the parser's reply should be given instead
    /// (no planner answer: the model is down or over budget — the planner adds its notice once).
    func planFreeText(_ text: String, planner: any FreeTextPlanner, event: InboundEvent, user: User,
                      settings: UserSettings, reply: inout Reply) async throws -> Bool {
        let plan = await planner.plan(text, user: user, settings: settings, chat: event.chat)
        guard plan.outcome == .answered else {
            if let notice = plan.text { reply.say(notice) }
            return false
        }
        if let answer = plan.text, !answer.isEmpty { reply.sayPrivately(OutboundMessage(text: answer)) }
        // One card per message: the approval id is derived from the event, so a second would collide.
        let formatter = ScheduleFormatter(settings: settings, now: now())
        var unsupported = plan.otherProposals
        if let booking = plan.bookings.first {
            try await requestBooking(title: booking.title, start: booking.start, minutes: booking.minutes,
                                     attendees: booking.attendees, notify: !booking.attendees.isEmpty, event: event,
                                     user: user, settings: settings, formatter: formatter, reply: &reply)
            unsupported += plan.bookings.dropFirst().map { _ in "calendar_create_event" } + plan.changes.map(\.toolName)
                + plan.replies.map { _ in "mail_draft_reply" }
        } else if let change = plan.changes.first {
            switch change {
            case .move(let id, let start):
                try await requestMove(EventReference(eventID: id), to: .instant(start), notify: true, event: event,
                                      user: user, settings: settings, formatter: formatter, reply: &reply)
            case .cancel(let id, let notify):
                try await requestCancel(EventReference(eventID: id), notify: notify, event: event, user: user,
                                        settings: settings, formatter: formatter, reply: &reply)
            }
            unsupported += plan.changes.dropFirst().map(\.toolName) + plan.replies.map { _ in "mail_draft_reply" }
        } else if let draft = plan.replies.first {
            try await requestReply(toMessageID: draft.messageID, text: draft.body, event: event, user: user, reply: &reply)
            unsupported += plan.replies.dropFirst().map { _ in "mail_draft_reply" }
        }
        if !unsupported.isEmpty {
            reply.say("I can't turn \(Set(unsupported).sorted().joined(separator: ", ")) into an approval card yet, "
                      + "so nothing was done for it.")
        }
        return true
    }
}
