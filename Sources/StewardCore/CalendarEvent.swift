import Foundation

/// When an event starts or ends: a date for all-day events, an instant otherwise.
public enum EventTime: Hashable, Codable, Sendable {
    case date(LocalDate)
    /// An instant; `timeZone` is the zone the event was written in (its TZID), when known.
    case dateTime(Date, timeZone: String?)

    public var isAllDay: Bool {
        if case .date = self { return true }
        return false
    }

    /// The instant this time denotes for someone in `zone` (an all-day date starts at local midnight).
    public func instant(in zone: TimeZone) -> Date {
        switch self {
        case .date(let day): day.startOfDay(in: zone)
        case .dateTime(let date, _): date
        }
    }
}

/// One occurrence of an event (recurring events are expanded before they reach the core).
public struct CalendarEvent: Hashable, Codable, Sendable {
    /// Stable id of the occurrence: the series UID, plus the recurrence id for expanded instances.
    public var id: String
    public var title: String
    public var start: EventTime
    /// Exclusive end (an all-day event on 23 Nov ends on `.date(24 Nov)`).
    public var end: EventTime
    public var location: String?
    public var notes: String?
    /// The account and calendar it came from, e.g. `ics:3` / `primary`.
    public var accountID: String
    public var calendarID: String
    /// True when somebody else created it (an invitation): its text is untrusted data.
    public var isFromOthers: Bool
    /// `busy` unless the event is marked transparent / free.
    public var blocksTime: Bool

    public init(id: String, title: String, start: EventTime, end: EventTime, location: String? = nil,
                notes: String? = nil, accountID: String = "", calendarID: String = "",
                isFromOthers: Bool = false, blocksTime: Bool = true) {
        self.id = id
        self.title = title
        self.start = start
        self.end = end
        self.location = location
        self.notes = notes
        self.accountID = accountID
        self.calendarID = calendarID
        self.isFromOthers = isFromOthers
        self.blocksTime = blocksTime
    }

    public var isAllDay: Bool { start.isAllDay }

    /// The span this event covers for someone in `zone`.
    public func interval(in zone: TimeZone) -> DateInterval {
        let from = start.instant(in: zone)
        let to = max(from, end.instant(in: zone))
        return DateInterval(start: from, end: to)
    }
}

/// What `/book` asks a provider to create.
public struct EventDraft: Hashable, Codable, Sendable {
    /// Chosen by Steward so that writing the same approved draft twice is detectable and skipped.
    public var uid: String
    public var title: String
    public var start: Date
    public var end: Date
    /// The user's zone, written as the event's TZID.
    public var timeZone: String
    public var attendees: [String]

    public init(uid: String, title: String, start: Date, end: Date, timeZone: String, attendees: [String] = []) {
        self.uid = uid
        self.title = title
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.attendees = attendees
    }
}

/// A calendar inside an account.
public struct CalendarInfo: Hashable, Codable, Sendable {
    public var id: String
    public var name: String
    public var isPrimary: Bool
    public var isWritable: Bool

    public init(id: String, name: String, isPrimary: Bool, isWritable: Bool) {
        self.id = id
        self.name = name
        self.isPrimary = isPrimary
        self.isWritable = isWritable
    }
}

/// A source of calendar events: an .ics file or URL, CalDAV, Google Calendar.
public protocol CalendarProvider: Sendable {
    /// The account this provider reads, e.g. `ics:3`.
    var accountID: String { get }
    func calendars() async throws -> [CalendarInfo]
    /// Every occurrence overlapping `window`, recurring events expanded.
    func events(in window: DateInterval) async throws -> [CalendarEvent]
    /// Writes the event; when an event with `draft.uid` already exists it is returned unchanged
    /// (so an approval retried after a crash never writes twice).
    func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent
    /// Set when `events(in:)` answered from a local copy that is behind the server: what the user should
    /// know, e.g. "copy from 14:02; Google unreachable". Nil when the answer is current.
    func stalenessNote() async -> String?
}

extension CalendarProvider {
    /// Providers that read their source directly are never stale.
    public func stalenessNote() async -> String? { nil }
}

/// Why a calendar operation failed, in words the user can act on.
public struct CalendarError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The small piece of HTTP the core-level providers need (an .ics URL with ETag caching),
/// so they do not depend on the HTTP stack.
public protocol HTTPFetching: Sendable {
    /// GET `url`; when `etag` is given, sends `If-None-Match` and returns status 304 with no body if unchanged.
    func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data)
}
