import Foundation

/// Several change calls in one model turn (moves, cancellations, bookings, archives) become one plan with
/// one card, instead of a card for the first and "can't yet" for the rest. Each call goes through the same
/// lookup as its single card would (an id the model made up finds nothing, an event changed since the
/// listing is shown as it is now); one that can't be asked for is named and left out.
extension Orchestrator {
    func requestModelPlan(_ proposals: [PlannedCard], event: InboundEvent, user: User, settings: UserSettings,
                          reply: inout Reply) async throws {
        guard let plans else { return }
        let id = approvalID(for: event)
        let formatter = ScheduleFormatter(settings: settings, now: now())
        var steps: [PlanStep] = []
        var leftOut: [String] = []
        for proposal in proposals {
            // A single card's checks, said into a scratch reply: what they say is why this one is left out.
            var scratch = Reply(event: event, channel: reply.channel)
            scratch.directChat = reply.directChat
            let prepared: (toolName: String, payload: Data, summary: String)?
            switch proposal {
            case .change(.move(let eventID, let start)):
                prepared = try await changes.prepareMove(EventReference(eventID: eventID), to: .instant(start), notify: true,
                                                         user: user, settings: settings, formatter: formatter,
                                                         reply: &scratch)
                    .map { (MoveEventArguments.toolName, try $0.arguments.encoded(), $0.summary) }
            case .change(.cancel(let eventID, let notify)):
                prepared = try await changes.prepareCancel(EventReference(eventID: eventID), notify: notify, user: user,
                                                           settings: settings, formatter: formatter, reply: &scratch)
                    .map { (CancelEventArguments.toolName, try $0.arguments.encoded(), $0.summary) }
            case .booking(let booking):
                prepared = try await modelBookingStep(booking, uid: "steward-plan-\(id)-\(steps.count)@steward.local",
                                                      event: event, user: user, settings: settings, reply: &scratch)
            case .archive(let messageID):
                let recent = try await recentMail(of: user.id, since: now().addingTimeInterval(-14 * 86_400))
                if mailSender != nil, let mail = recent?.first(where: { $0.messageID == messageID }) {
                    prepared = (ArchiveMailArguments.toolName,
                                try ArchiveMailArguments(account: mail.accountID, messageID: mail.messageID).encoded(),
                                "Archive \(mail.from) — \(mail.subject)")
                } else {
                    prepared = nil
                    scratch.say("the mail to archive isn't among your recent mail")
                }
            default:
                prepared = nil
            }
            guard let prepared else {
                leftOut += scratch.deliveries.compactMap(\.delivery.sentText)
                continue
            }
            steps.append(PlanStep(index: steps.count, toolName: prepared.toolName, payload: prepared.payload,
                                  line: prepared.summary.split(separator: "\n").joined(separator: " · ")))
        }
        let notes = leftOut.isEmpty ? "" : "\n\nLeft out:\n" + leftOut.map { "• " + $0 }.joined(separator: "\n")
        guard !steps.isEmpty else {
            return reply.sayPrivately("None of the proposed changes could be asked for, so nothing was requested." + notes)
        }
        guard steps.count <= Plan.maximumChanges else {
            return reply.sayPrivately("That is \(steps.count) changes; one plan takes at most \(Plan.maximumChanges). "
                                      + "Narrow it and ask again. Nothing was requested.")
        }
        let plan = Plan(id: id, userID: user.id, chat: reply.privateChat,
                        title: "\(steps.count) changes" + (leftOut.isEmpty ? "" : " (\(leftOut.count) left out, see below)"),
                        steps: steps, createdAt: now())
        try await offerPlan(plan, store: plans, actor: event.sender.description, reply: &reply)
        if !leftOut.isEmpty { reply.sayPrivately(notes.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A proposed booking as a create step on the calendar `/book` would use.
    private func modelBookingStep(_ booking: ProposedBooking, uid: String, event: InboundEvent, user: User,
                                  settings: UserSettings, reply: inout Reply) async throws
        -> (toolName: String, payload: Data, summary: String)? {
        guard let target = try await bookingCalendar(for: event, user: user, settings: settings, reply: &reply) else {
            return nil
        }
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let end = booking.start.addingTimeInterval(TimeInterval(booking.minutes * 60))
        let notify = !booking.attendees.isEmpty && target.provider.canNotifyAttendees
        let arguments = CreateEventArguments(account: target.account.reference, calendar: nil, uid: uid,
                                             title: booking.title, start: booking.start, end: end,
                                             timeZone: settings.zone, attendees: booking.attendees, notify: notify)
        let told = booking.attendees.isEmpty ? "" : notify ? " · tells \(booking.attendees.joined(separator: ", "))"
            : " · attendees not told"
        return (CreateEventArguments.toolName, try arguments.encoded(),
                "Add \(formatter.quoted(booking.title)) · \(formatter.span(DateInterval(start: booking.start, end: end))) · "
                + target.account.label + told)
    }
}

extension PlannedCard {
    /// A proposal that can be a step of a plan.
    var isPlannable: Bool {
        switch self {
        case .booking, .change, .archive: true
        default: false
        }
    }
}

extension Delivery {
    /// The text of a sent message (a refusal said into a scratch reply).
    var sentText: String? {
        if case .send(_, let message) = self { return message.text }
        return nil
    }
}
