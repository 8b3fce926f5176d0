import Foundation

/// When the daily digest is due, in the user's own zone, DST included.
public enum DigestSchedule {
    /// A digest missed by more than this (the process was down) is skipped rather than sent late.
    public static let lateness: TimeInterval = 3600

    /// The instant `time` falls on `day` in `zone`. On the night clocks go forward a time that does not
    /// exist (02:30 in Berlin on the last Sunday of March) moves forward by the gap (03:30); on the night
    /// they go back, the first of the two readings counts.
    public static func instant(of time: TimeOfDay, on day: LocalDate, in zone: TimeZone) -> Date {
        let calendar = Calendar.gregorian(zone)
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: time.hour,
                                        minute: time.minute)
        return calendar.date(from: components).map { candidate in
            // Foundation may land inside the gap's *other* side; keep the local day the user asked for.
            LocalDate(candidate, in: zone) == day ? candidate : day.startOfDay(in: zone).addingTimeInterval(
                TimeInterval(time.minutes * 60))
        } ?? day.startOfDay(in: zone).addingTimeInterval(TimeInterval(time.minutes * 60))
    }

    /// The local day whose digest should go out at `now`, or nil: none is set, it isn't time yet, or
    /// today's was missed by more than `lateness`.
    public static func dueDay(at now: Date, settings: UserSettings) -> LocalDate? {
        guard let time = settings.digestTime else { return nil }
        let zone = settings.zone
        let today = LocalDate(now, in: zone)
        let due = instant(of: time, on: today, in: zone)
        guard now >= due, now.timeIntervalSince(due) <= lateness else { return nil }
        return today
    }
}

extension Orchestrator {
    /// The morning message: today's agenda across every calendar and what waits for approval. Nil when
    /// the user has nothing connected (an empty digest every morning would be noise).
    public func dailyDigest(for userID: User.ID, on day: LocalDate) async throws -> OutboundMessage? {
        let settings = try await users.settings(of: userID)
        guard !(try await calendars.calendars(of: userID)).isEmpty else { return nil }
        let zone = settings.zone
        let span = DateInterval(start: day.startOfDay(in: zone), end: day.adding(days: 1).startOfDay(in: zone))
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let events = try await events(of: userID, in: span)
        var text = formatter.agenda(events.list, over: span) + events.warnings
        if let mails = try await recentMail(of: userID, since: now().addingTimeInterval(-86_400)) {
            text += "\n\nMail, last 24 hours\n" + Self.inboxText(mails)
        }
        let pending = try await approvals.pending(of: userID).filter(Self.isOwnCard)
        if !pending.isEmpty {
            text += "\n\nWaiting for your approval: \(pending.count) — /approvals lists them."
        }
        return OutboundMessage(title: "Your day", text: text)
    }
}
