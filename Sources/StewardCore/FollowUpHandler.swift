import Foundation

/// Reminders and no-reply follow-ups as asked in chat: storing them, `/plans`, typed cancels.
///
/// The due time is turned into UTC here, once, from the wall time the person named in their zone, by the
/// time-zone database (`LocalClock`): "Monday at 9" asked on a Saturday before the clocks change is
/// 09:00 local on Monday after the change. The alternative, storing only the wall time and resolving it
/// at every check, would need the zone at every scheduler tick for every trigger; a UTC instant lets the
/// job find what is due with one indexed comparison. What is kept besides (`localDue`, `timeZone`) is
/// the wall time as asked, shown by `/plans`. A later `/settings timezone` does not move a trigger: it
/// was asked for a moment ("in 2 hours" especially), and the answer named that moment with its zone.
struct FollowUpHandler {
    let followUps: (any FollowUpRepository)?
    let mail: (any FollowUpMail)?
    /// Multi-step plans, listed by `/plans` beside the follow-ups while they wait.
    let plans: (any PlanRepository)?
    let now: @Sendable () -> Date
    let digest: @Sendable (Data) -> String
    /// What to say when a no-reply follow-up needs mail and none is connected.
    let mailNotConnected: String

    func handle(_ request: FollowUpRequest, event: InboundEvent, user: User, settings: UserSettings,
                reply: inout Reply) async throws {
        guard let followUps else {
            return reply.say("Reminders aren't available in this setup, so nothing was stored.")
        }
        switch request {
        case .remind(let task, let when, let text):
            let due = dueDate(when, settings: settings, defaultMinute: 9 * 60)
            guard due > now() else { return reply.say(passed(due, settings: settings)) }
            let stored = try await followUps.insert(followUp(.reminder, id: id(for: event), user: user, request: text,
                                                             task: task, due: due, settings: settings))
            reply.sayPrivately("I'll remind you on \(Self.when(stored.dueAt, settings: settings)) "
                               + "(\(settings.timeZone)): \(stored.task).")
        case .noReply(let person, let when, let text):
            let due = dueDate(when, settings: settings, defaultMinute: settings.workingHours.end.minutes)
            guard due > now() else { return reply.say(passed(due, settings: settings)) }
            guard let mail, try await mail.hasMailbox(user.id) else {
                return reply.say("I can only watch for a reply in a connected mailbox, and none is. "
                                 + mailNotConnected + " Nothing was set.")
            }
            guard let thread = try await mail.lastThread(with: person, of: user.id, at: now()) else {
                return reply.sayPrivately("I found no mail between you and \(person), so there is no thread to watch. "
                                          + "Nothing was set.")
            }
            var followUp = followUp(.noReply, id: id(for: event), user: user, request: text, task: person, due: due,
                                    settings: settings)
            followUp.thread = thread
            let stored = try await followUps.insert(followUp)
            reply.sayPrivately("I'll tell you on \(Self.when(stored.dueAt, settings: settings)) (\(settings.timeZone)) if "
                               + "\(Self.person(thread)) hasn't replied in “\(Self.oneLine(thread.subject))”.")
        case .list:
            reply.sayPrivately(try await listing(of: user, settings: settings))
        case .cancel(let number):
            let waiting = try await followUps.waiting(of: user.id)
            guard waiting.indices.contains(number - 1) else {
                return reply.say(waiting.isEmpty ? "Nothing is waiting, so there is nothing to cancel."
                                 : "There is no number \(number) in /plans: it lists \(waiting.count).")
            }
            reply.sayPrivately(try await cancel(waiting[number - 1], user: user))
        }
    }

    /// Cancels a waiting follow-up of `user`; says what happened.
    func cancel(_ followUp: FollowUp, user: User) async throws -> String {
        guard let followUps, followUp.userID == user.id else { return "Only the person who asked can change this." }
        let done = try await followUps.transition(followUp.id, from: [.waiting, .snoozed], to: .cancelled, dueAt: nil,
                                                  outcome: "cancelled", at: now())
        return done ? "Cancelled: \(Self.label(followUp))." : "That one isn't waiting any more: nothing was changed."
    }

    /// `/plans`: what waits, soonest first, numbered, a Cancel button each; then what settled lately.
    func listing(of user: User, settings: UserSettings) async throws -> OutboundMessage {
        guard let followUps else { return OutboundMessage(text: "Nothing is waiting.") }
        let waiting = try await followUps.waiting(of: user.id)
        let shown = waiting.prefix(Self.listLimit)
        var lines = shown.enumerated().map { index, followUp in
            "\(index + 1). \(Self.when(followUp.dueAt, settings: settings)) — \(Self.label(followUp))"
                + (followUp.status == .snoozed ? " (snoozed)" : "")
        }
        if waiting.count > shown.count { lines.append("and \(waiting.count - shown.count) more") }
        // Plans are decided on their own cards (Approve all, Reject, Retry): listed here, answered there.
        let waitingPlans = try await plans?.waitingPlans(of: user.id) ?? []
        if !waitingPlans.isEmpty {
            lines.append(lines.isEmpty ? "Plans:" : "\nPlans:")
            lines += waitingPlans.prefix(Self.listLimit).map { plan in
                "• \(Self.oneLine(plan.title)) (\(plan.steps.count) changes) — "
                    + (plan.state == .proposed ? "waiting for Approve all or Reject on its card"
                       : "\(plan.failed.count) failed, Retry waits on its card")
            }
        }
        let settled = try await followUps.settled(of: user.id, since: now().addingTimeInterval(-7 * 86_400))
            .filter { $0.firedAt == nil && $0.status == .done }
        if !settled.isEmpty {
            lines.append(lines.isEmpty ? "Settled lately:" : "\nSettled lately:")
            lines += settled.prefix(5).map { "✓ \($0.outcome ?? "done") — \(Self.label($0))" }
        }
        guard !lines.isEmpty else {
            return OutboundMessage(text: "Nothing is waiting. Try \"remind me tomorrow at 9 to call Sam\" or "
                                   + "\"tell me if Sarah hasn't replied by Friday\".")
        }
        if !waiting.isEmpty { lines.append("\nTimes in \(settings.timeZone). Tap Cancel n, or type cancel reminder <n>.") }
        let buttons = shown.enumerated().map { index, followUp in
            Button(title: "Cancel \(index + 1)", token: FollowUpButton(followUpID: followUp.id, action: .cancel).text,
                   style: .danger)
        }
        return OutboundMessage(title: waiting.isEmpty && waitingPlans.isEmpty ? nil : "Waiting", text: lines.joined(separator: "\n"),
                               buttons: buttons)
    }

    static let listLimit = 20

    // MARK: Pieces

    private func id(for event: InboundEvent) -> String {
        String(digest(Data("follow-up|\(event.id)".utf8)).prefix(12))
    }

    private func followUp(_ kind: FollowUp.Kind, id: String, user: User, request: String, task: String, due: Date,
                          settings: UserSettings) -> FollowUp {
        let clock = LocalClock(zone: settings.zone)
        let (day, minute) = clock.local(due)
        let date = LocalClock.localDate(day)
        let local = String(format: "%04d-%02d-%02d %02d:%02d", date.year, date.month, date.day, minute / 60, minute % 60)
        return FollowUp(id: id, userID: user.id, kind: kind, request: String(request.prefix(500)),
                        task: String(task.prefix(300)), dueAt: due, timeZone: settings.timeZone, localDue: local,
                        createdAt: now())
    }

    /// An instant as said; a day alone at `defaultMinute` of its first day, in the person's zone.
    private func dueDate(_ when: TimeRef, settings: UserSettings, defaultMinute: Int) -> Date {
        switch when {
        case .instant(let date): return date
        case .days(let interval):
            let clock = LocalClock(zone: settings.zone)
            return clock.instant(day: clock.local(interval.start).day, minute: defaultMinute)
        }
    }

    private func passed(_ due: Date, settings: UserSettings) -> String {
        "\(Self.when(due, settings: settings)) has already passed, so nothing was set. Name a later time, "
            + "e.g. remind me tomorrow at 9 to call Sam."
    }

    /// `Mon 7 Dec at 09:00`, in the person's zone and clock style.
    static func when(_ date: Date, settings: UserSettings) -> String {
        let formatter = ScheduleFormatter(settings: settings, now: date)
        return "\(formatter.dayHeader(LocalDate(date, in: settings.zone))) at \(formatter.time(date))"
    }

    /// One line naming a follow-up in lists and notices.
    static func label(_ followUp: FollowUp) -> String {
        switch followUp.kind {
        case .reminder: "Reminder: \(oneLine(followUp.task))"
        case .noReply:
            "If \(followUp.thread.map(person) ?? oneLine(followUp.task)) hasn't replied"
                + (followUp.thread.map { " in “\(oneLine($0.subject))”" } ?? "")
        }
    }

    /// `Sarah Lee (sarah@example.com)`, or the address alone. Untrusted text, on one line.
    static func person(_ thread: FollowUpThread) -> String {
        let name = oneLine(thread.personName)
        return name.isEmpty || name == thread.personAddress ? thread.personAddress : "\(name) (\(thread.personAddress))"
    }

    static func oneLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(120))
    }
}
