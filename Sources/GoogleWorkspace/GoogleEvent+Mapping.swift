import Foundation
import StewardCore

extension GoogleEvent {
    /// True when the event was deleted (or the instance cancelled): it must not be shown.
    public var isCancelled: Bool { status == "cancelled" }

    /// The event as Steward's core sees it; nil when cancelled or without a readable start and end.
    ///
    /// - All-day events (`start.date`) stay dates; timed ones are instants with the event's own zone
    ///   (`start.timeZone`, else the calendar's `calendarTimeZone`).
    /// - `transparency: transparent` and invitations the user declined do not block time.
    /// - An event whose organizer is not this calendar came from somebody else: untrusted text.
    public func calendarEvent(accountID: String, calendarID: String, calendarTimeZone: String?) -> CalendarEvent? {
        guard !isCancelled, let start = start.flatMap({ Self.eventTime($0, fallbackZone: calendarTimeZone) }),
              let end = end.flatMap({ Self.eventTime($0, fallbackZone: calendarTimeZone) }) else { return nil }
        let declined = attendees?.contains { $0.isSelf == true && $0.responseStatus == "declined" } ?? false
        return CalendarEvent(
            id: id, title: summary ?? "(No title)", start: start, end: end,
            location: location.flatMap { $0.isEmpty ? nil : $0 },
            notes: description.flatMap { $0.isEmpty ? nil : $0 },
            accountID: accountID, calendarID: calendarID,
            isFromOthers: organizer.map { $0.isSelf != true } ?? false,
            blocksTime: transparency != "transparent" && !declined,
            attendees: (attendees ?? []).filter { $0.isSelf != true && $0.resource != true }.compactMap(\.email))
    }

    static func eventTime(_ value: GoogleEventDateTime, fallbackZone: String?) -> EventTime? {
        if let date = value.date {
            return LocalDate(iso: date).map { .date($0) }
        }
        guard let text = value.dateTime, let instant = RFC3339.parse(text) else { return nil }
        return .dateTime(instant, timeZone: value.timeZone ?? fallbackZone)
    }
}

extension GoogleEventDateTime {
    /// A timed start or end: the wall-clock time in `timeZone` with its offset, and the zone's name as
    /// given, so Google shows it (and repeats it, for recurring events) in the zone the user meant.
    /// An unknown name is sent as is and Google refuses it (`timeZoneNotValid`) rather than guessing.
    public init(_ instant: Date, timeZone: String) {
        let zone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        self.init(dateTime: RFC3339.format(instant, in: zone), timeZone: timeZone)
    }

    /// An all-day start or end.
    public init(_ day: LocalDate) {
        self.init(date: day.description)
    }

    /// Where `draft` starts: its first date for an all-day draft (`start.date`, no zone, as
    /// events.insert takes all-day events), else its instant in its zone.
    public static func start(of draft: EventDraft) -> GoogleEventDateTime {
        if let days = draft.allDay { return GoogleEventDateTime(days.lowerBound) }
        return GoogleEventDateTime(draft.start, timeZone: draft.timeZone)
    }

    /// Where `draft` ends: the day after its last date for an all-day draft (Google's `end.date` is
    /// exclusive), else its end instant in its zone.
    public static func end(of draft: EventDraft) -> GoogleEventDateTime {
        if let days = draft.allDay { return GoogleEventDateTime(days.upperBound.adding(days: 1)) }
        return GoogleEventDateTime(draft.end, timeZone: draft.timeZone)
    }
}
