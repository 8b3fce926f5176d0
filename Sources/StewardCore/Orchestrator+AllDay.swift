import Foundation

/// "book an all-day Offsite on dec 24": an event on whole dates. The card names the dates, never times
/// (an all-day event has none); the calendar stores the day after the last date as the exclusive end.
extension Orchestrator {
    func requestAllDayBooking(title: String, days: ClosedRange<LocalDate>, attendees: [String], notify: Bool,
                              event: InboundEvent, user: User, settings: UserSettings,
                              reply: inout Reply) async throws {
        guard let target = try await bookingCalendar(for: event, user: user, settings: settings, reply: &reply) else {
            return
        }
        // Decided by what the calendar can do, before any card: nothing waits that could never be written.
        guard target.provider.canCreateAllDayEvents else {
            reply.say("\(target.account.label) can't take all-day events from me, so nothing was booked; "
                      + "give it times instead, e.g. book \(title) \(ScheduleFormatter.dayWords(days.lowerBound)) 09:00 for 8h")
            return
        }
        let zone = settings.zone
        let id = approvalID(for: event)
        let notifies = notify && !attendees.isEmpty && target.provider.canNotifyAttendees
        var arguments = CreateEventArguments(
            account: target.account.reference, calendar: nil, uid: "steward-\(id)@steward.local", title: title,
            start: days.lowerBound.startOfDay(in: zone), end: days.upperBound.adding(days: 1).startOfDay(in: zone),
            timeZone: zone, attendees: attendees, notify: notifies)
        arguments.allDay = true
        var lines = [title, ScheduleFormatter.allDayWords(days), "Calendar: \(target.account.label)"]
        lines += Self.attendeeLines(attendees, notify: arguments.notify, canNotify: target.provider.canNotifyAttendees)
        try await requestApproval(arguments, id: id, summary: lines.joined(separator: "\n"), event: event, user: user,
                                  reply: &reply)
    }
}

extension ScheduleFormatter {
    /// `Thu 24 Dec`, the way day headers read.
    static func dayWords(_ day: LocalDate) -> String {
        "\(day.weekday.shortName) \(day.day) \(monthNames[day.month - 1])"
    }

    /// `Thu 24 Dec`, or `Thu 24 Dec – Sat 26 Dec` for several dates (both inclusive).
    static func dates(_ days: ClosedRange<LocalDate>) -> String {
        days.lowerBound == days.upperBound ? dayWords(days.lowerBound)
            : "\(dayWords(days.lowerBound)) – \(dayWords(days.upperBound))"
    }

    /// `All day Thu 24 Dec`, as the card's when line.
    static func allDayWords(_ days: ClosedRange<LocalDate>) -> String { "All day \(dates(days))" }
}
