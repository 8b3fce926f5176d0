import Foundation

/// Runs an approved plan: each step once, in order. A step is marked running (stored) before the
/// provider is called and done or failed (stored, with what the provider said) after; a step found
/// running is one a crash interrupted, and the provider is asked what happened before it runs again:
/// a create carries a uid fixed by the plan (the calendar returns the event it already has), a move
/// already at its new time is done, a cancelled event that is gone is done.
struct PlanRunner: Sendable {
    let plans: any PlanRepository
    let changes: CalendarChangesHandler
    let calendars: any CalendarDirectory
    let mailSender: (any MailSender)?
    /// Told after every step, to show "6 of 8 done…" on the card.
    let progress: (@Sendable (Plan) async -> Void)?

    /// Runs every step not yet done; with `retry`, the failed ones are run again (and only they).
    func run(_ planID: String, retry: Bool, settings: UserSettings) async throws -> Plan {
        guard var plan = try await plans.plan(id: planID) else { throw CalendarError("the plan is no longer stored") }
        if retry {
            for step in plan.steps where step.status == .failed {
                try await plans.update(step: step.index, of: plan.id, to: .pending, outcome: nil)
                plan.steps[step.index].status = .pending
            }
        }
        for index in plan.steps.indices {
            let step = plan.steps[index]
            guard step.status == .pending || step.status == .running else { continue }
            if let after = step.after, plan.steps[after].status != .done {
                // The copy was not made: the original stays, and Retry tries the pair again.
                try await record(.failed, "not removed, because the copy was not made", index: index, in: &plan)
                continue
            }
            let recovering = step.status == .running
            try await plans.update(step: index, of: plan.id, to: .running, outcome: nil)
            plan.steps[index].status = .running
            do {
                let outcome = try await perform(step, recovering: recovering, user: plan.userID, settings: settings)
                try await record(.done, outcome, index: index, in: &plan)
            } catch let stale as Orchestrator.StaleEvent {
                try await record(.failed, stale.message, index: index, in: &plan)
            } catch {
                try await record(.failed, "\(error)", index: index, in: &plan)
            }
            await progress?(plan)
        }
        return plan
    }

    private func record(_ status: PlanStep.Status, _ outcome: String, index: Int, in plan: inout Plan) async throws {
        try await plans.update(step: index, of: plan.id, to: status, outcome: outcome)
        plan.steps[index].status = status
        plan.steps[index].outcome = outcome
    }

    /// One step against its provider; throws when nothing was done.
    private func perform(_ step: PlanStep, recovering: Bool, user: User.ID, settings: UserSettings) async throws -> String {
        let decoder = JSONDecoder()
        switch step.toolName {
        case CreateEventArguments.toolName:
            return try await changes.runCreate(try decoder.decode(CreateEventArguments.self, from: step.payload), of: user)
        case MoveEventArguments.toolName:
            return try await changes.runMove(try decoder.decode(MoveEventArguments.self, from: step.payload), of: user,
                                             settings: settings)
        case CancelEventArguments.toolName:
            let arguments = try decoder.decode(CancelEventArguments.self, from: step.payload)
            if recovering, try await isGone(arguments, of: user) { return "✓ Cancelled \"\(arguments.title)\"." }
            return try await changes.runCancel(arguments, of: user, settings: settings)
        case ArchiveMailArguments.toolName:
            guard let mailSender else { throw CalendarError("mail is no longer connected") }
            let arguments = try decoder.decode(ArchiveMailArguments.self, from: step.payload)
            try await mailSender.archive(account: arguments.account, messageID: arguments.messageID)
            return "✓ Archived."
        default:
            throw CalendarError("unknown step \(step.toolName)")
        }
    }

    /// After a crash during a cancel: is the event already gone (the delete reached the calendar)?
    private func isGone(_ arguments: CancelEventArguments, of user: User.ID) async throws -> Bool {
        guard let entry = try await calendars.calendars(of: user).first(where: { $0.account.reference == arguments.account })
        else { return false }
        let span = try arguments.span()
        let near = DateInterval(start: span.start.addingTimeInterval(-86_400), end: span.end.addingTimeInterval(86_400))
        return try await entry.provider.currentEvent(id: arguments.eventID, calendarID: arguments.calendar, near: near) == nil
    }
}
