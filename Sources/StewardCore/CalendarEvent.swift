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
    /// Addresses of the other people invited (the user and rooms not included); they are told of changes
    /// when the user agrees.
    public var attendees: [String]

    public init(id: String, title: String, start: EventTime, end: EventTime, location: String? = nil,
                notes: String? = nil, accountID: String = "", calendarID: String = "",
                isFromOthers: Bool = false, blocksTime: Bool = true, attendees: [String] = []) {
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
        self.attendees = attendees
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, start, end, location, notes, accountID, calendarID, isFromOthers, blocksTime, attendees
    }

    /// Local copies stored before events carried attendees still decode (with none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        start = try container.decode(EventTime.self, forKey: .start)
        end = try container.decode(EventTime.self, forKey: .end)
        location = try container.decodeIfPresent(String.self, forKey: .location)
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        accountID = try container.decode(String.self, forKey: .accountID)
        calendarID = try container.decode(String.self, forKey: .calendarID)
        isFromOthers = try container.decode(Bool.self, forKey: .isFromOthers)
        blocksTime = try container.decode(Bool.self, forKey: .blocksTime)
        attendees = try container.decodeIfPresent([String].self, forKey: .attendees) ?? []
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
    /// Whether the attendees get the calendar's invitation e-mails (nobody to tell without attendees).
    public var notifyAttendees: Bool
    /// For an all-day event, the dates it covers (last inclusive; calendars store the day after as the
    /// exclusive end); `start`/`end` are then those dates' local midnights. Nil for a timed event.
    public var allDay: ClosedRange<LocalDate>?

    public init(uid: String, title: String, start: Date, end: Date, timeZone: String, attendees: [String] = [],
                notifyAttendees: Bool? = nil) {
        self.uid = uid
        self.title = title
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.attendees = attendees
        self.notifyAttendees = notifyAttendees ?? !attendees.isEmpty
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

/// A source of calendar events: a calendar file or URL, or a calendar service.
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
    /// know, e.g. "copy from 14:02; the calendar service is unreachable". Nil when the answer is current.
    func stalenessNote() async -> String?

    /// True when `createEvent` works here (a published feed is read-only), so a booking only targets a
    /// calendar that can take it.
    var canCreateEvents: Bool { get }
    /// True when `moveEvent` and `cancelEvent` work here, so a card is only offered for what can be done.
    var canChangeEvents: Bool { get }
    /// True when the calendar itself tells invited people of a new, moved or cancelled event (it
    /// e-mails them). False where attendees are only written down (an .ics file): then no card offers a
    /// choice about notifying and no result says anyone was told. Core decides by this, never by the
    /// provider's kind.
    var canNotifyAttendees: Bool { get }
    /// True when `createEvent` can write an all-day event (an `EventDraft` with `allDay`); where false,
    /// an all-day booking is refused in one line before any card.
    var canCreateAllDayEvents: Bool { get }
    /// Why this one event can't be moved here although others can (e.g. one instance of a repeating event
    /// in a file), in one line; nil when it can. Asked before a card is made.
    func moveRefusal(for event: CalendarEvent) -> String?
    /// The event as the calendar has it right now (not from a copy), nil when it is gone. `window` is
    /// where it was last seen, for providers that can only list spans.
    func currentEvent(id: String, calendarID: String, near window: DateInterval) async throws -> CalendarEvent?
    /// Moves the event to `[start, end)`, written in `timeZone`; attendees get an update only when
    /// `notifyAttendees`. Returns the event as it is now.
    func moveEvent(id: String, calendarID: String, start: Date, end: Date, timeZone: String,
                   notifyAttendees: Bool) async throws -> CalendarEvent
    /// Deletes the event; attendees get a cancellation only when `notifyAttendees`.
    func cancelEvent(id: String, calendarID: String, notifyAttendees: Bool) async throws
    /// Other people's busy times in `window`, keyed by the addresses asked for.
    func busyTimes(of people: [String], in window: DateInterval) async throws -> [String: Availability]
}

/// What a calendar service could tell about someone else's time.
public enum Availability: Hashable, Sendable {
    /// Busy spans inside the window asked for (free the rest of the time).
    case busy([DateInterval])
    /// Their calendar is not visible (unknown address, not shared): the reason given.
    case unknown(String)
}

extension CalendarProvider {
    /// Providers that read their source directly are never stale.
    public func stalenessNote() async -> String? { nil }

    public var canCreateEvents: Bool { true }

    public var canChangeEvents: Bool { false }

    /// Only a provider that knows its service sends invitations says so.
    public var canNotifyAttendees: Bool { false }

    /// Only a provider that writes date-only events says so.
    public var canCreateAllDayEvents: Bool { false }

    public func moveRefusal(for event: CalendarEvent) -> String? { nil }

    public func currentEvent(id: String, calendarID: String, near window: DateInterval) async throws -> CalendarEvent? {
        try await events(in: window).first { $0.id == id && $0.calendarID == calendarID }
    }

    public func moveEvent(id: String, calendarID: String, start: Date, end: Date, timeZone: String,
                          notifyAttendees: Bool) async throws -> CalendarEvent {
        throw CalendarError.unsupported("this calendar can't move events through Steward; change it where the calendar lives")
    }

    public func cancelEvent(id: String, calendarID: String, notifyAttendees: Bool) async throws {
        throw CalendarError.unsupported("this calendar can't cancel events through Steward; change it where the calendar lives")
    }

    public func busyTimes(of people: [String], in window: DateInterval) async throws -> [String: Availability] {
        throw CalendarError.unsupported("this calendar can't see other people's availability")
    }
}

/// Why a calendar operation failed, in words the user can act on.
public struct CalendarError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True when the calendar can't do this at all (as opposed to failing this time).
    public var isUnsupported: Bool
    public init(_ message: String) {
        self.message = message
        isUnsupported = false
    }
    public static func unsupported(_ message: String) -> CalendarError {
        var error = CalendarError(message)
        error.isUnsupported = true
        return error
    }
    public var description: String { message }
}

/// The small piece of HTTP the core-level providers need (an .ics URL with ETag caching),
/// so they do not depend on the HTTP stack.
public protocol HTTPFetching: Sendable {
    /// GET `url`; when `etag` is given, sends `If-None-Match` and returns status 304 with no body if unchanged.
    func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data)
}
