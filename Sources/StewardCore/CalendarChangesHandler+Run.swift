import Foundation

/// Running an approved calendar change: exactly the stored arguments, against the account they name, after
/// checking that the event is still what the card showed. Said from the calendar's answer.
extension CalendarChangesHandler {
    func runCreate(_ arguments: CreateEventArguments, of user: User.ID) async throws -> String {
        let target = try await connected(arguments.account, of: user)
        var draft = try arguments.draft()
        // A booking stored before calendars declared this (or for one that changed) asks no more than
        // the calendar can do, and the result claims only that.
        draft.notifyAttendees = draft.notifyAttendees && target.provider.canNotifyAttendees
        if draft.allDay != nil, !target.provider.canCreateAllDayEvents {
            throw CalendarError.unsupported("\(target.account.label) can't take all-day events; nothing was added")
        }
        let created = try await target.provider.createEvent(draft, calendarID: arguments.calendar)
        // An all-day event is said by the dates the calendar stored (its end is exclusive).
        var stored = ""
        if draft.allDay != nil, case .date(let first) = created.start {
            let last = if case .date(let end) = created.end, end > first { end.adding(days: -1) } else { first }
            stored = ": \(created.title), all day \(ScheduleFormatter.dates(first...last))"
        }
        return "✓ Added to \(target.account.label)\(stored)."
            + Orchestrator.attendeeOutcome(draft.attendees, notified: draft.notifyAttendees, provider: target.provider,
                                           told: " Invitations were sent.")
    }

    func runMove(_ arguments: MoveEventArguments, of user: User.ID, settings: UserSettings) async throws -> String {
        let (from, to) = try arguments.spans()
        let target = try await connected(arguments.account, of: user)
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let title = formatter.quoted(arguments.title)
        let near = DateInterval(start: min(from.start, to.start).addingTimeInterval(-86_400),
                                end: max(from.end, to.end).addingTimeInterval(86_400))
        guard let current = try await target.provider.currentEvent(id: arguments.eventID, calendarID: arguments.calendar,
                                                                   near: near) else {
            throw Orchestrator.StaleEvent(message: "✗ Not moved: \(title) is no longer in your calendar. Nothing was changed.")
        }
        let now = current.interval(in: formatter.settings.zone)
        // Already there: this is a retry after a crash that came after the write.
        if Orchestrator.same(now, to) { return "✓ Moved — \(title) is now \(formatter.span(to))." }
        guard Orchestrator.same(now, from), !current.isAllDay else {
            throw Orchestrator.StaleEvent(message: "✗ Not moved: \(title) changed since this card (it is now \(formatter.when(current))). "
                             + "Nothing was changed; ask again to move it from there.")
        }
        let notify = arguments.notify && target.provider.canNotifyAttendees
        let moved = try await target.provider.moveEvent(id: arguments.eventID, calendarID: arguments.calendar,
                                                        start: to.start, end: to.end, timeZone: arguments.timeZone,
                                                        notifyAttendees: notify)
        // Said from the calendar's answer: where the event is now.
        let span = moved.interval(in: formatter.settings.zone)
        return "✓ Moved — \(title) is now \(formatter.span(span))."
            + Orchestrator.attendeeOutcome(current.attendees, notified: notify, provider: target.provider,
                                   told: " Attendees were notified.")
    }

    func runCancel(_ arguments: CancelEventArguments, of user: User.ID, settings: UserSettings) async throws -> String {
        let span = try arguments.span()
        let target = try await connected(arguments.account, of: user)
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let title = formatter.quoted(arguments.title)
        let near = DateInterval(start: span.start.addingTimeInterval(-86_400), end: span.end.addingTimeInterval(86_400))
        guard let current = try await target.provider.currentEvent(id: arguments.eventID, calendarID: arguments.calendar,
                                                                   near: near) else {
            throw Orchestrator.StaleEvent(message: "✗ Not cancelled: \(title) is no longer in your calendar. Nothing was changed.")
        }
        guard Orchestrator.same(current.interval(in: formatter.settings.zone), span) else {
            throw Orchestrator.StaleEvent(message: "✗ Not cancelled: \(title) changed since this card (it is now "
                             + "\(formatter.when(current))). Nothing was changed; ask again if it should go.")
        }
        let notify = arguments.notify && target.provider.canNotifyAttendees
        try await target.provider.cancelEvent(id: arguments.eventID, calendarID: arguments.calendar,
                                              notifyAttendees: notify)
        return "✓ Cancelled \(title)."
            + Orchestrator.attendeeOutcome(current.attendees, notified: notify, provider: target.provider,
                                   told: " Attendees were notified.")
    }

    private func connected(_ reference: String, of user: User.ID) async throws
        -> (account: Account, provider: any CalendarProvider) {
        guard let target = try await calendars.calendars(of: user).first(where: { $0.account.reference == reference })
        else { throw CalendarError("the calendar account \(reference) is no longer connected") }
        return target
    }
}
