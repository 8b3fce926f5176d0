import Foundation

/// A change ready for the approval gate: exactly what will run once approved, and the card's text.
struct PreparedChange<Arguments: CalendarToolArguments>: Sendable {
    let arguments: Arguments
    let summary: String
}

/// Calendar changes ("move my 2pm to thursday 10am", "cancel Standup"): finds the one event meant, as its
/// calendar has it now, and prepares the change and its card; or says, once, why there is nothing to ask.
/// Takes only the calendars and a clock; the approval gate stores and shows the card.
struct CalendarChangesHandler: Sendable {
    let calendars: any CalendarDirectory
    let now: @Sendable () -> Date

    func prepareMove(_ reference: EventReference, to target: MoveTarget, notify: Bool,
                     user: User, settings: UserSettings, formatter: ScheduleFormatter, reply: inout Reply) async throws
        -> PreparedChange<MoveEventArguments>? {
        guard case let (entry, current)? = try await chooseEvent(reference, verb: "move", user: user, settings: settings,
                                                           formatter: formatter, reply: &reply) else { return nil }
        let zone = settings.zone
        let title = formatter.quoted(current.title)
        if let refusal = entry.provider.moveRefusal(for: current) {
            reply.sayPrivately(OutboundMessage(text: "\(title): \(refusal) Nothing was requested."))
            return nil
        }
        guard !current.isAllDay else {
            reply.sayPrivately(OutboundMessage(
                text: "\(title) is an all-day event; I can only move events that have a start time. Nothing was requested."))
            return nil
        }
        let from = current.interval(in: zone)
        let start: Date
        switch target {
        case .instant(let instant):
            start = instant
        case .day(let day):
            // "to friday": the same local time of day, on that day.
            let clock = LocalClock(zone: zone)
            start = clock.instant(day: clock.local(day.start).day, minute: clock.local(from.start).minute)
        }
        let to = DateInterval(start: start, duration: from.duration)
        guard start >= now() else {
            reply.sayPrivately(OutboundMessage(text: "\(formatter.span(to)) is already past. Nothing was requested."))
            return nil
        }
        guard start != from.start else {
            reply.sayPrivately(OutboundMessage(text: "\(title) already starts then (\(formatter.span(from))). "
                                               + "Nothing to change."))
            return nil
        }
        // The event keeps its own zone, so its calendar goes on showing it (and its guests) in that zone.
        var eventZone = zone
        if case .dateTime(_, let name?) = current.start, let own = TimeZone(identifier: name) { eventZone = own }
        let canNotify = entry.provider.canNotifyAttendees
        let tellsAttendees = notify && !current.attendees.isEmpty && canNotify
        let arguments = MoveEventArguments(event: current, account: entry.account.reference, from: from, to: to,
                                           timeZone: eventZone, notify: tellsAttendees)
        var lines = ["Move \(title)", "from \(formatter.span(from))", "to \(formatter.span(to))",
                     "Calendar: \(await calendarName(entry, calendarID: current.calendarID))"]
        lines += Orchestrator.attendeeLines(current.attendees, notify: tellsAttendees, canNotify: canNotify)
        let clashes = try await calendars.events(of: user.id, in: to).list.filter {
            $0.id != current.id && $0.blocksTime && !$0.isAllDay
                && ($0.interval(in: zone).intersection(with: to)?.duration ?? 0) > 0
        }
        if !clashes.isEmpty { lines.append("Overlaps: " + clashes.map(\.title).joined(separator: ", ")) }
        return PreparedChange(arguments: arguments, summary: lines.joined(separator: "\n"))
    }

    func prepareCancel(_ reference: EventReference, notify: Bool, user: User,
                       settings: UserSettings, formatter: ScheduleFormatter, reply: inout Reply) async throws
        -> PreparedChange<CancelEventArguments>? {
        guard case let (entry, current)? = try await chooseEvent(reference, verb: "cancel", user: user, settings: settings,
                                                           formatter: formatter, reply: &reply) else { return nil }
        let canNotify = entry.provider.canNotifyAttendees
        let tellsAttendees = notify && !current.attendees.isEmpty && canNotify
        let arguments = CancelEventArguments(event: current, account: entry.account.reference,
                                             span: current.interval(in: settings.zone), timeZone: settings.zone,
                                             notify: tellsAttendees)
        var lines = ["Cancel \(formatter.quoted(current.title))", formatter.when(current),
                     "Calendar: \(await calendarName(entry, calendarID: current.calendarID))"]
        lines += Orchestrator.attendeeLines(current.attendees, notify: tellsAttendees, canNotify: canNotify)
        return PreparedChange(arguments: arguments, summary: lines.joined(separator: "\n"))
    }

    /// The one event `reference` means, as its calendar has it right now; nil after telling the user why
    /// not (none, several, an invitation, a calendar Steward can't change).
    private func chooseEvent(_ reference: EventReference, verb: String, user: User, settings: UserSettings,
                             formatter: ScheduleFormatter, reply: inout Reply) async throws
        -> (Orchestrator.CalendarEntry, CalendarEvent)? {
        let listed = try await calendars.events(of: user.id, in: Orchestrator.searchWindow(for: reference, now: now()))
        let described = Self.describe(reference, formatter: formatter)
        let found: CalendarEvent
        switch EventLookup(zone: settings.zone, now: now()).resolve(reference, among: listed.list) {
        case .none:
            var within = " in the next 60 days"  // a named day or moment was searched alone
            switch reference.when { case .day?, .instant?: within = ""; default: break }
            reply.sayPrivately(OutboundMessage(text: "I couldn't find \(described)\(within), so there is "
                                               + "nothing to \(verb). /week lists what's coming." + listed.warnings))
            return nil
        case .several(let candidates):
            let shown = candidates.prefix(5).map { "• " + formatter.event($0) }
            let more = candidates.count > 5 ? ["…and \(candidates.count - 5) more"] : []
            reply.sayPrivately(OutboundMessage(text: (["Which one? Several events match \(described):"] + shown + more)
                .joined(separator: "\n") + "\nSay more of the title or its start, e.g. \"\(verb) my "
                + "\(formatter.time(candidates[0].start.instant(in: settings.zone)))\". Nothing was requested."))
            return nil
        case .found(let event):
            found = event
        }
        let title = formatter.quoted(found.title)
        guard let entry = try await calendars.calendars(of: user.id).first(where: { $0.account.reference == found.accountID })
        else { throw CalendarError("the account of \(title) is no longer connected") }
        guard entry.provider.canChangeEvents else {
            // Said from what the calendar declares it can do, not from what kind of account it is.
            let kind = entry.provider.canCreateEvents ? "a calendar where I can add events but can't \(verb) them"
                : "a read-only calendar (I can only read it)"
            reply.sayPrivately(OutboundMessage(text: "\(title) is in \(entry.account.label), \(kind): \(verb) it in the "
                                               + "app that keeps that calendar. Nothing was requested."))
            return nil
        }
        guard !found.isFromOthers else {
            reply.sayPrivately(OutboundMessage(text: "\(title) is an invitation from someone else: only its organizer "
                                               + "can \(verb) it (you can decline it in your calendar). Nothing was requested."))
            return nil
        }
        // The copy may be a minute behind: the card must show the event as it is now.
        let span = found.interval(in: settings.zone)
        let near = DateInterval(start: span.start.addingTimeInterval(-86_400), end: span.end.addingTimeInterval(86_400))
        guard let current = try await entry.provider.currentEvent(id: found.id, calendarID: found.calendarID, near: near)
        else {
            reply.sayPrivately(OutboundMessage(text: "\(title) is no longer in your calendar. Nothing was requested."))
            return nil
        }
        return (entry, current)
    }

    /// The calendar a card names: the account, plus the calendar when it is not the account's main one.
    private func calendarName(_ entry: Orchestrator.CalendarEntry, calendarID: String) async -> String {
        let label = entry.account.label
        guard !["primary", "default", label].contains(calendarID) else { return label }
        let name = (try? await entry.provider.calendars())?.first { $0.id == calendarID }?.name ?? calendarID
        return "\(label) · \(name)"
    }

    /// "an event starting at 14:00", "an upcoming event matching “Dentist” on Fri 27 Nov".
    private static func describe(_ reference: EventReference, formatter: ScheduleFormatter) -> String {
        var text = reference.title.map { "an upcoming event matching \(formatter.quoted($0))" }
            ?? (reference.eventID != nil ? "the upcoming event the assistant picked" : "an upcoming event")
        switch reference.when {
        case .timeOfDay(let minute)?: text += " starting at " + formatter.time(minuteOfDay: minute)
        case .instant(let instant)?:
            text += " starting \(formatter.dayHeader(LocalDate(instant, in: formatter.settings.zone))) \(formatter.time(instant))"
        case .day(let day)?: text += " on " + formatter.dayHeader(LocalDate(day.start, in: formatter.settings.zone))
        case nil: break
        }
        return text
    }
}
