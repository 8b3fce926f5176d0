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
        if let booking = plan.bookings.first {
            try await requestBooking(title: booking.title, start: booking.start, minutes: booking.minutes,
                                     attendees: booking.attendees, notify: !booking.attendees.isEmpty, event: event,
                                     user: user, settings: settings,
                                     formatter: ScheduleFormatter(settings: settings, now: now()), reply: &reply)
        }
        let unsupported = plan.otherProposals + plan.bookings.dropFirst().map { _ in "calendar_create_event" }
        if !unsupported.isEmpty {
            reply.say("I can't turn \(Set(unsupported).sorted().joined(separator: ", ")) into an approval card yet, "
                      + "so nothing was done for it.")
        }
        return true
    }
}
