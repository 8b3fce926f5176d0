import Foundation

/// The arguments of one calendar tool, exactly as stored in an approval, hashed and executed.
/// Times are ISO 8601 with an offset, as the tool conventions in DESIGN.md require.
public protocol CalendarToolArguments: Codable, Sendable, Equatable {
    static var toolName: String { get }
    /// Whether invited people hear of the change (a calendar service's invitation e-mails).
    var notify: Bool { get set }
}

extension CalendarToolArguments {
    /// The canonical bytes that are stored, hashed and executed.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Arguments of the `calendar_create_event` tool.
public struct CreateEventArguments: CalendarToolArguments {
    /// Account reference, e.g. `ics:3`.
    public var account: String
    public var calendar: String?
    public var uid: String
    public var title: String
    public var start: String
    public var end: String
    public var timeZone: String
    public var attendees: [String]
    /// Whether the attendees are sent invitations.
    public var notify: Bool
    /// True for an all-day event: `start` and `end` are then midnights in `timeZone` of its first date and
    /// of the day after its last (exclusive). Absent (not false) for timed events, so their stored bytes
    /// and hashes are what they were.
    public var allDay: Bool?

    public static let toolName = "calendar_create_event"

    public init(account: String, calendar: String?, uid: String, title: String, start: Date, end: Date,
                timeZone: TimeZone, attendees: [String], notify: Bool? = nil) {
        self.account = account
        self.calendar = calendar
        self.uid = uid
        self.title = title
        self.start = ISOTime.format(start, in: timeZone)
        self.end = ISOTime.format(end, in: timeZone)
        self.timeZone = timeZone.identifier
        self.attendees = attendees
        self.notify = notify ?? !attendees.isEmpty
    }

    private enum CodingKeys: String, CodingKey {
        case account, calendar, uid, title, start, end, timeZone, attendees, notify, allDay
    }

    /// Bookings stored before the card asked about notifying invited everyone they named.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        account = try container.decode(String.self, forKey: .account)
        calendar = try container.decodeIfPresent(String.self, forKey: .calendar)
        uid = try container.decode(String.self, forKey: .uid)
        title = try container.decode(String.self, forKey: .title)
        start = try container.decode(String.self, forKey: .start)
        end = try container.decode(String.self, forKey: .end)
        timeZone = try container.decode(String.self, forKey: .timeZone)
        attendees = try container.decode([String].self, forKey: .attendees)
        notify = try container.decodeIfPresent(Bool.self, forKey: .notify) ?? !attendees.isEmpty
        allDay = try container.decodeIfPresent(Bool.self, forKey: .allDay)
    }

    public func draft() throws -> EventDraft {
        guard let startDate = ISOTime.parse(start), let endDate = ISOTime.parse(end), endDate > startDate else {
            throw CalendarError("the stored booking has invalid times")
        }
        var draft = EventDraft(uid: uid, title: title, start: startDate, end: endDate, timeZone: timeZone,
                               attendees: attendees, notifyAttendees: notify)
        if allDay == true {
            guard let zone = TimeZone(identifier: timeZone) else {
                throw CalendarError("the stored booking has an unknown time zone")
            }
            draft.allDay = LocalDate(startDate, in: zone)...LocalDate(endDate, in: zone).adding(days: -1)
        }
        return draft
    }
}

/// Arguments of the `calendar_move_event` tool: which event, where it was when the card was made (a
/// change since then stops the move), and where it goes.
public struct MoveEventArguments: CalendarToolArguments {
    public var account: String
    public var calendar: String
    public var eventID: String
    public var title: String
    public var fromStart: String
    public var fromEnd: String
    public var start: String
    public var end: String
    /// The zone the new times are written in (the event's own, else the user's).
    public var timeZone: String
    public var notify: Bool

    public static let toolName = "calendar_move_event"

    public init(event: CalendarEvent, account: String, from: DateInterval, to: DateInterval, timeZone: TimeZone,
                notify: Bool) {
        self.account = account
        calendar = event.calendarID
        eventID = event.id
        title = event.title
        fromStart = ISOTime.format(from.start, in: timeZone)
        fromEnd = ISOTime.format(from.end, in: timeZone)
        start = ISOTime.format(to.start, in: timeZone)
        end = ISOTime.format(to.end, in: timeZone)
        self.timeZone = timeZone.identifier
        self.notify = notify
    }

    public func spans() throws -> (from: DateInterval, to: DateInterval) {
        guard let fromStart = ISOTime.parse(fromStart), let fromEnd = ISOTime.parse(fromEnd), fromEnd >= fromStart,
              let start = ISOTime.parse(start), let end = ISOTime.parse(end), end >= start else {
            throw CalendarError("the stored move has invalid times")
        }
        return (DateInterval(start: fromStart, end: fromEnd), DateInterval(start: start, end: end))
    }
}

/// Arguments of the `calendar_cancel_event` tool: which event and when it was when the card was made.
public struct CancelEventArguments: CalendarToolArguments {
    public var account: String
    public var calendar: String
    public var eventID: String
    public var title: String
    public var start: String
    public var end: String
    public var timeZone: String
    public var notify: Bool

    public static let toolName = "calendar_cancel_event"

    public init(event: CalendarEvent, account: String, span: DateInterval, timeZone: TimeZone, notify: Bool) {
        self.account = account
        calendar = event.calendarID
        eventID = event.id
        title = event.title
        start = ISOTime.format(span.start, in: timeZone)
        end = ISOTime.format(span.end, in: timeZone)
        self.timeZone = timeZone.identifier
        self.notify = notify
    }

    public func span() throws -> DateInterval {
        guard let start = ISOTime.parse(start), let end = ISOTime.parse(end), end >= start else {
            throw CalendarError("the stored cancellation has invalid times")
        }
        return DateInterval(start: start, end: end)
    }
}

/// ISO 8601 instants with the offset of a zone, whole seconds.
///
/// Making an `ISO8601DateFormatter` costs about 0.3 ms, a hundred times what using one does, and a plan of
/// 50 moves formats 200 times: one formatter per zone (and one for parsing) is kept, used under a lock
/// because a formatter is not safe to share between threads.
enum ISOTime {
    private static let formatters = Locked<[String: ISO8601DateFormatter]>([:])
    private static let parser: Locked<ISO8601DateFormatter> = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return Locked(formatter)
    }()

    static func format(_ date: Date, in zone: TimeZone) -> String {
        formatters.withLock { formatters in
            if let formatter = formatters[zone.identifier] { return formatter.string(from: date) }
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = zone
            formatter.formatOptions = [.withInternetDateTime]
            // A handful of zones in practice; the bound only keeps hostile input from growing it.
            if formatters.count < 64 { formatters[zone.identifier] = formatter }
            return formatter.string(from: date)
        }
    }

    static func parse(_ text: String) -> Date? {
        parser.withLock { $0.date(from: text) }
    }
}
