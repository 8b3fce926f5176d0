import Foundation

/// Many changes at once ("cancel all my meetings tomorrow", "move everything on friday to monday"): reads
/// the events from the calendars' copies, makes one plan of exactly the changes, and words its card. The
/// plan is stored by the caller before the card is sent; nothing is written to a calendar here.
struct PlanHandler: Sendable {
    let calendars: any CalendarDirectory
    let now: @Sendable () -> Date

    /// The steps of a plan, or the one line saying why there is none.
    enum Built {
        case steps(title: String, [PlanStep])
        case refused(String)
    }

    /// Steps for a calendar bulk change; `uidPrefix` makes each create's uid (and so the calendar's event
    /// id) fixed by the plan, so a create repeated after a crash finds the event it already wrote.
    func build(_ change: BulkChange, user: User, settings: UserSettings, uidPrefix: String) async throws -> Built {
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let zone = settings.zone
        let entries = try await calendars.calendars(of: user.id)
        switch change {
        case .cancel(let span, let notify):
            let (events, skipped) = try await changeable(in: span, entries: entries, zone: zone)
            guard !events.isEmpty else { return .refused(Self.nothing("to cancel", span, formatter, skipped)) }
            var steps: [PlanStep] = []
            for (entry, event) in events {
                let tells = notify && !event.attendees.isEmpty && entry.provider.canNotifyAttendees
                let arguments = CancelEventArguments(event: event, account: entry.account.reference,
                                                     span: event.interval(in: zone), timeZone: zone, notify: tells)
                let line = "✗ \(event.title) · \(formatter.span(event.interval(in: zone))) · \(entry.account.label)"
                    + Self.told(event.attendees, tells)
                steps.append(PlanStep(index: steps.count, toolName: CancelEventArguments.toolName,
                                      payload: try arguments.encoded(), line: line))
            }
            return .steps(title: "Cancel \(Self.count(steps.count)) \(Self.days(span, formatter))" + Self.skippedNote(skipped),
                          steps)
        case .move(let from, let to, let notify):
            let (events, skipped) = try await changeable(in: from, entries: entries, zone: zone)
            guard !events.isEmpty else { return .refused(Self.nothing("to move", from, formatter, skipped)) }
            let clock = LocalClock(zone: zone)
            let day = clock.local(to.start).day
            var steps: [PlanStep] = []
            var refused = skipped
            for (entry, event) in events {
                if entry.provider.moveRefusal(for: event) != nil { refused += 1; continue }
                let span = event.interval(in: zone)
                let start = clock.instant(day: day, minute: clock.local(span.start).minute)
                let target = DateInterval(start: start, duration: span.duration)
                guard start >= now(), start != span.start else { refused += 1; continue }
                var eventZone = zone
                if case .dateTime(_, let name?) = event.start, let own = TimeZone(identifier: name) { eventZone = own }
                let tells = notify && !event.attendees.isEmpty && entry.provider.canNotifyAttendees
                let arguments = MoveEventArguments(event: event, account: entry.account.reference, from: span, to: target,
                                                   timeZone: eventZone, notify: tells)
                let line = "\(event.title): \(formatter.span(span)) → \(formatter.span(target)) · \(entry.account.label)"
                    + Self.told(event.attendees, tells)
                steps.append(PlanStep(index: steps.count, toolName: MoveEventArguments.toolName,
                                      payload: try arguments.encoded(), line: line))
            }
            guard !steps.isEmpty else { return .refused(Self.nothing("to move", from, formatter, refused)) }
            return .steps(title: "Move \(Self.count(steps.count)) from "
                          + formatter.dayHeader(LocalDate(from.start, in: zone)) + " to "
                          + formatter.dayHeader(LocalDate(to.start, in: zone)) + Self.skippedNote(refused), steps)
        case .moveToAccount(let span, let fromWord, let toWord):
            return try await buildAcross(span, fromWord: fromWord, toWord: toWord, entries: entries, settings: settings,
                                         uidPrefix: uidPrefix)
        case .archiveNewsletters, .declineInvitations:
            return .refused("That isn't a calendar change.")
        }
    }

    /// Per event a create on the target account and, once it is done, a cancel on the source: a pair that
    /// never leaves the event in neither calendar, and never in both without saying so.
    private func buildAcross(_ span: DateInterval, fromWord: String?, toWord: String,
                             entries: [Orchestrator.CalendarEntry], settings: UserSettings,
                             uidPrefix: String) async throws -> Built {
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let zone = settings.zone
        let names = entries.map(\.account.label).joined(separator: ", ")
        guard let target = Self.account(named: toWord, in: entries) else {
            return .refused("I couldn't find a calendar called \"\(toWord)\" (yours: \(names)). Nothing was requested.")
        }
        guard target.provider.canCreateEvents else {
            return .refused("\(target.account.label) is read-only for me, so I can't move events into it. Nothing was requested.")
        }
        var sources = entries.filter { $0.account.reference != target.account.reference }
        if let fromWord {
            guard let source = Self.account(named: fromWord, in: sources) else {
                return .refused("I couldn't find a calendar called \"\(fromWord)\" other than \(target.account.label) "
                                + "(yours: \(names)). Nothing was requested.")
            }
            sources = [source]
        }
        let (events, skipped) = try await changeable(in: span, entries: sources, zone: zone)
        guard !events.isEmpty else { return .refused(Self.nothing("to move", span, formatter, skipped)) }
        var steps: [PlanStep] = []
        for (entry, event) in events {
            let interval = event.interval(in: zone)
            let tells = !event.attendees.isEmpty && target.provider.canNotifyAttendees
            let create = CreateEventArguments(
                account: target.account.reference, calendar: nil, uid: "\(uidPrefix)-\(steps.count)@steward.local",
                title: event.title, start: interval.start, end: interval.end, timeZone: zone,
                attendees: event.attendees, notify: tells)
            let cancel = CancelEventArguments(event: event, account: entry.account.reference, span: interval,
                                              timeZone: zone, notify: false)
            let line = "\(event.title) · \(formatter.span(interval)): \(entry.account.label) → \(target.account.label)"
                + Self.told(event.attendees, tells)
            let createIndex = steps.count
            steps.append(PlanStep(index: createIndex, toolName: CreateEventArguments.toolName,
                                  payload: try create.encoded(), line: line))
            steps.append(PlanStep(index: createIndex + 1, toolName: CancelEventArguments.toolName,
                                  payload: try cancel.encoded(), line: "remove from \(entry.account.label)",
                                  after: createIndex))
        }
        return .steps(title: "Move \(Self.count(events.count)) \(Self.days(span, formatter)) to \(target.account.label)"
                      + Self.skippedNote(skipped), steps)
    }

    /// Timed events starting in `span`, not past, that Steward may change: in a calendar it can write,
    /// and not an invitation from someone else. `skipped` counts the others.
    private func changeable(in span: DateInterval, entries: [Orchestrator.CalendarEntry], zone: TimeZone) async throws
        -> (events: [(Orchestrator.CalendarEntry, CalendarEvent)], skipped: Int) {
        var found: [(Orchestrator.CalendarEntry, CalendarEvent)] = []
        var skipped = 0
        let start = max(span.start, now())
        for entry in entries {
            for event in try await entry.provider.events(in: span) where !event.isAllDay {
                let interval = event.interval(in: zone)
                guard interval.start >= start, interval.start < span.end else { continue }
                guard entry.provider.canChangeEvents, !event.isFromOthers else { skipped += 1; continue }
                found.append((entry, event))
            }
        }
        found.sort { ($0.1.interval(in: zone).start, $0.1.id) < ($1.1.interval(in: zone).start, $1.1.id) }
        return (found, skipped)
    }

    /// The account a word names: its label, kind or reference, case-insensitively ("work", "personal").
    static func account(named word: String, in entries: [Orchestrator.CalendarEntry]) -> Orchestrator.CalendarEntry? {
        let word = word.lowercased()
        return entries.first { $0.account.label.lowercased() == word }
            ?? entries.first { $0.account.label.lowercased().contains(word) || $0.account.kind == word
                || $0.account.reference == word }
    }

    static func count(_ events: Int) -> String { events == 1 ? "1 event" : "\(events) events" }

    static func days(_ span: DateInterval, _ formatter: ScheduleFormatter) -> String {
        let zone = formatter.settings.zone
        let first = LocalDate(span.start, in: zone)
        let last = LocalDate(span.end.addingTimeInterval(-1), in: zone)
        return first == last ? "on \(formatter.dayHeader(first))"
            : "from \(formatter.dayHeader(first)) to \(formatter.dayHeader(last))"
    }

    private static func told(_ attendees: [String], _ tells: Bool) -> String {
        guard !attendees.isEmpty else { return "" }
        return tells ? " · tells \(attendees.joined(separator: ", "))" : " · attendees not told"
    }

    private static func skippedNote(_ skipped: Int) -> String {
        skipped == 0 ? "" : " (\(skipped) left as they are: invitations from others or calendars I can't change)"
    }

    private static func nothing(_ verb: String, _ span: DateInterval, _ formatter: ScheduleFormatter, _ skipped: Int)
        -> String {
        "I found nothing I can \(verb.dropFirst(3)) \(days(span, formatter))"
            + (skipped > 0 ? " (\(skipped) event(s) are invitations from others or in calendars I can't change)" : "")
            + ". Nothing was requested."
    }
}
