import Foundation

/// Schedule questions: the agenda, what's next, whether a time is free, free slots (with other people's
/// busy times where a calendar can see them). Reads calendars only; changes nothing.
struct AnswersHandler: Sendable {
    let calendars: any CalendarDirectory
    let now: @Sendable () -> Date
    /// The registered account kinds, for naming one that can see other people's busy times.
    var kinds = AccountKinds()

    /// Answers `intent` when it is a schedule question; other intents are not its to answer.
    func answer(_ intent: Intent, user: User, settings: UserSettings, reply: inout Reply) async throws {
        let now = now()
        let formatter = ScheduleFormatter(settings: settings, now: now)
        switch intent {
        case .agenda(let span):
            let events = try await calendars.events(of: user.id, in: span)
            reply.sayPrivately(OutboundMessage(text: formatter.agenda(events.list, over: span) + events.warnings))
        case .next:
            let horizon = DateInterval(start: now, duration: 30 * 86_400)
            let events = try await calendars.events(of: user.id, in: horizon)
            let upcoming = events.list.filter { !$0.isAllDay && $0.start.instant(in: settings.zone) >= now }
            let text = upcoming.first.map { "Next: " + formatter.event($0) }
                ?? "Nothing in the next 30 days."
            reply.sayPrivately(OutboundMessage(text: text + events.warnings))
        case .findFree(let minutes, let within, let attendees):
            let found = try await FreeTimeSearch(calendars: calendars, now: now, kinds: kinds)
                .slots(minutes: minutes, within: within, attendees: attendees, user: user.id, settings: settings)
            var text = formatter.slots(found.slots, minutes: minutes, header: false)
            if !attendees.isEmpty { text += "\n" + found.others.note }
            reply.sayPrivately(OutboundMessage(title: "Free for \(ScheduleFormatter.duration(minutes))",
                                               text: text + found.warnings))
        case .checkFree(let start, let minutes):
            let slot = DateInterval(start: start, duration: TimeInterval(minutes * 60))
            let events = try await calendars.events(of: user.id, in: slot)
            let clashes = events.list.filter { $0.blocksTime && $0.interval(in: settings.zone).intersects(slot)
                && $0.interval(in: settings.zone).intersection(with: slot).map { $0.duration > 0 } ?? false }
            let when = formatter.span(slot)  // both days when the check runs past midnight
            let text = clashes.isEmpty ? "Yes, you're free \(when)."
                : "No — \(when) overlaps:\n" + clashes.map(formatter.event).joined(separator: "\n")
            reply.sayPrivately(OutboundMessage(text: text + events.warnings))
        default:
            return
        }
    }
}
