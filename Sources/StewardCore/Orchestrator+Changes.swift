import Foundation

/// "move my 2pm to thursday 10am" and "cancel Standup": find the one event meant, then store an approval
/// for exactly that change and send a before/after card. Nothing is written before the Approve tap.
extension Orchestrator {
    /// How far ahead "my 2pm" and "Dentist" are looked for.
    static let changeHorizon: TimeInterval = 60 * 86_400

    typealias CalendarEntry = (account: Account, provider: any CalendarProvider)

    /// Calendar changes, with only their own dependencies.
    var changes: CalendarChangesHandler { CalendarChangesHandler(calendars: calendars, now: now) }

    func requestMove(_ reference: EventReference, to target: MoveTarget, notify: Bool, event: InboundEvent,
                     user: User, settings: UserSettings, formatter: ScheduleFormatter, reply: inout Reply) async throws {
        guard let change = try await changes.prepareMove(reference, to: target, notify: notify, user: user,
                                                        settings: settings, formatter: formatter, reply: &reply)
        else { return }
        try await requestApproval(change.arguments, id: approvalID(for: event), summary: change.summary,
                                  event: event, user: user, reply: &reply)
    }

    func requestCancel(_ reference: EventReference, notify: Bool, event: InboundEvent, user: User,
                       settings: UserSettings, formatter: ScheduleFormatter, reply: inout Reply) async throws {
        guard let change = try await changes.prepareCancel(reference, notify: notify, user: user, settings: settings,
                                                          formatter: formatter, reply: &reply)
        else { return }
        try await requestApproval(change.arguments, id: approvalID(for: event), summary: change.summary,
                                  event: event, user: user, reply: &reply)
    }

    /// Where to look for the event a reference means: the day or the moment it names (however far off,
    /// never the years in between: "my standup on 9999-12-05" reads one day), else the next 60 days.
    static func searchWindow(for reference: EventReference, now: Date) -> DateInterval {
        switch reference.when {
        case .instant(let instant)?:
            // A minute either side: a calendar service lists an event whose end is after the window's start, so a
            // zero-length event at `instant` is listed too.
            return DateInterval(start: instant.addingTimeInterval(-60), end: instant.addingTimeInterval(60))
        case .day(let day)?:
            return DateInterval(start: day.start, end: min(day.end, day.start.addingTimeInterval(92 * 86_400)))
        case .timeOfDay?, nil:
            return DateInterval(start: now, duration: changeHorizon)
        }
    }

    /// Who is invited and whether they hear of it; nothing when nobody else is invited. Where the calendar
    /// can't send invitations the card says so, so nobody expects an e-mail that never comes.
    static func attendeeLines(_ attendees: [String], notify: Bool, canNotify: Bool) -> [String] {
        guard canNotify || attendees.isEmpty else {
            return ["Attendees: " + attendees.joined(separator: ", "),
                    "Attendees won't be notified (this calendar can't send invitations)"]
        }
        return attendeeLines(attendees, notify: notify)
    }
}
