import Foundation

/// "What should I focus on today?": a short list by fixed rules, no model. The order is the rule, and
/// the answer states it:
/// 1. events starting within two hours (or under way), soonest first — they can't wait;
/// 2. urgent mail of the last 24 hours, newest first;
/// 3. cards waiting for the owner's approval, oldest first — something is stuck until they tap;
/// 4. mail of the last 24 hours that needs a reply, newest first;
/// 5. reminders and follow-ups due later today, soonest first;
/// 6. the rest of today's events, soonest first (all-day ones last).
/// At most three mails per mail group and ten lines in all, then "and N more".
public struct FocusList: Sendable {
    public enum Item: Hashable, Sendable {
        case soonEvent(CalendarEvent)
        case urgentMail(TriagedMail)
        case approval(ApprovalRequest)
        case needsReply(TriagedMail)
        case followUp(FollowUp)
        case laterEvent(CalendarEvent)
    }

    public var items: [Item]
    /// Items left off by the caps.
    public var more: Int

    public static let lineLimit = 10
    public static let mailPerGroup = 3
    public static let soonWindow: TimeInterval = 2 * 3600

    /// `events` are today's (any order); `mail` the last day's triaged mail; `approvals` the pending cards.
    public init(events: [CalendarEvent], mail: [TriagedMail], approvals: [ApprovalRequest], followUps: [FollowUp],
                now: Date, zone: TimeZone) {
        let endOfDay = LocalDate(now, in: zone).adding(days: 1).startOfDay(in: zone)
        let timed = events.filter { !$0.isAllDay && $0.interval(in: zone).end > now }
            .sorted { ($0.interval(in: zone).start, $0.title) < ($1.interval(in: zone).start, $1.title) }
        let soon = timed.filter { $0.interval(in: zone).start < now.addingTimeInterval(Self.soonWindow) }
        let later = timed.filter { $0.interval(in: zone).start >= now.addingTimeInterval(Self.soonWindow) }
        let allDay = events.filter(\.isAllDay).sorted { $0.title < $1.title }
        let newest = mail.sorted { $0.receivedAt > $1.receivedAt }
        var ordered: [Item] = soon.map(Item.soonEvent)
        var dropped = 0
        func capped(_ list: [TriagedMail]) -> [TriagedMail] {
            dropped += max(0, list.count - Self.mailPerGroup)
            return Array(list.prefix(Self.mailPerGroup))
        }
        ordered += capped(newest.filter { $0.category == .urgent }).map(Item.urgentMail)
        ordered += approvals.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map(Item.approval)
        ordered += capped(newest.filter { $0.category == .needsReply }).map(Item.needsReply)
        ordered += followUps.filter { $0.isWaiting && $0.dueAt < endOfDay }.sorted { $0.dueAt < $1.dueAt }
            .map(Item.followUp)
        ordered += (later + allDay).map(Item.laterEvent)
        items = Array(ordered.prefix(Self.lineLimit))
        more = dropped + max(0, ordered.count - Self.lineLimit)
    }

    static let rule = "Order: events within 2 hours, urgent mail, approvals, mail to answer, reminders, "
        + "then the rest of today."

    /// The numbered lines, times in the person's zone and clock style.
    func lines(_ formatter: ScheduleFormatter, now: Date) -> [String] {
        var lines = items.enumerated().map { index, item in "\(index + 1). " + Self.line(item, formatter, now: now) }
        if more > 0 { lines.append("and \(more) more") }
        return lines
    }

    private static func line(_ item: Item, _ formatter: ScheduleFormatter, now: Date) -> String {
        let zone = formatter.settings.zone
        switch item {
        case .soonEvent(let event):
            let interval = event.interval(in: zone)
            let minutes = Int(interval.start.timeIntervalSince(now) / 60)
            let when = minutes <= 0 ? "now" : minutes < 60 ? "in \(minutes) min" : "in \(minutes / 60) h \(minutes % 60) min"
            return "\(formatter.range(interval)) \(FollowUpHandler.oneLine(event.title)) (\(when))"
        case .urgentMail(let mail):
            return "Urgent mail: \(FollowUpHandler.oneLine(mail.from)) — \(FollowUpHandler.oneLine(mail.subject))"
        case .approval(let request):
            return "Waiting for your approval: \(FollowUpHandler.oneLine(request.summary.replacingOccurrences(of: "\n", with: " · ")))"
        case .needsReply(let mail):
            return "Answer: \(FollowUpHandler.oneLine(mail.from)) — \(FollowUpHandler.oneLine(mail.subject))"
        case .followUp(let followUp):
            return "\(formatter.time(followUp.dueAt)) \(FollowUpHandler.label(followUp))"
        case .laterEvent(let event):
            return event.isAllDay ? "All day \(FollowUpHandler.oneLine(event.title))"
                : "\(formatter.range(event.interval(in: zone))) \(FollowUpHandler.oneLine(event.title))"
        }
    }
}

extension Orchestrator {
    /// "What should I focus on today?": today's list by `FocusList`'s rule; details, so in the asker's DM.
    func focus(user: User, settings: UserSettings, reply: inout Reply) async throws {
        let now = now()
        let zone = settings.zone
        let today = LocalDate(now, in: zone)
        let day = DateInterval(start: today.startOfDay(in: zone), end: today.adding(days: 1).startOfDay(in: zone))
        let hasCalendar = try await !calendars.calendars(of: user.id).isEmpty
        let found = hasCalendar ? try await events(of: user.id, in: day) : (list: [], warnings: "")
        let mail = try await recentMail(of: user.id, since: now.addingTimeInterval(-86_400))
        let approvals = try await waitingCards(of: user.id).filter(Self.isOwnCard)
        let waiting = try await followUps?.waiting(of: user.id) ?? []
        let list = FocusList(events: found.list, mail: mail ?? [], approvals: approvals, followUps: waiting, now: now,
                             zone: zone)
        let formatter = ScheduleFormatter(settings: settings, now: now)
        let header = formatter.dayHeader(today)
        guard !list.items.isEmpty else {
            var missing: [String] = []
            if !hasCalendar { missing.append("no calendar is connected") }
            if mail == nil { missing.append("no mail is connected") }
            let note = missing.isEmpty ? "" : " (\(missing.joined(separator: " and ")))"
            return reply.sayPrivately("Nothing needs you for the rest of \(header): no more events, no urgent mail or "
                                      + "mail to answer, nothing waiting for approval, no reminders\(note).")
        }
        var text = list.lines(formatter, now: now).joined(separator: "\n") + "\n\n" + FocusList.rule
        text += found.warnings
        reply.sayPrivately(OutboundMessage(title: "Focus for \(header)", text: text))
    }
}
