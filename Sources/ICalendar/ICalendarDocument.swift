import Foundation
import StewardCore

/// The events of one or more VCALENDAR objects, as written: recurring events are series, not instances.
/// Call `occurrences(in:defaultTimeZone:accountID:calendarID:)` for what a user sees in a window.
public struct ICalendarDocument: Hashable, Sendable {
    /// Every VEVENT in file order, including cancelled ones and RECURRENCE-ID overrides.
    public var events: [VEvent]
    /// `X-WR-CALNAME`, when present.
    public var calendarName: String?
    /// `X-WR-TIMEZONE`, when present (informational: floating times are read in the caller's default zone).
    public var calendarTimeZone: String?
    /// The file's VTIMEZONE TZIDs mapped to their `X-LIC-LOCATION`, used to resolve non-IANA TZIDs.
    public var timeZoneAliases: [String: String]

    public init(events: [VEvent] = [], calendarName: String? = nil, calendarTimeZone: String? = nil,
                timeZoneAliases: [String: String] = [:]) {
        self.events = events
        self.calendarName = calendarName
        self.calendarTimeZone = calendarTimeZone
        self.timeZoneAliases = timeZoneAliases
    }

    /// Whether some VEVENT (a series master, an override, or a single event) has this UID.
    public func contains(uid: String) -> Bool {
        events.contains { $0.uid == uid }
    }
}

/// One VEVENT with the properties Steward uses.
///
/// `start`, `end`, `exdates` and `recurrenceID` are resolved instants (floating times and unknown TZIDs in
/// the zone given to the parser); the `…Value` twins keep the values as written, which is what recurrence
/// expansion works from so that a series keeps its local time across DST changes.
public struct VEvent: Hashable, Sendable {
    public var uid: String
    public var summary: String?
    public var description: String?
    public var location: String?
    public var start: EventTime
    /// DTEND as written (`nil` when absent; see `duration`).
    public var end: EventTime?
    public var duration: ICalendarDuration?
    public var rrule: RecurrenceRule?
    /// RDATE values (DATE or DATE-TIME; PERIOD values are ignored).
    public var rdates: [EventTime]
    public var exdates: [EventTime]
    /// Set on an override of one instance of a series.
    public var recurrenceID: EventTime?
    public var sequence: Int
    /// `TRANSP:TRANSPARENT`: shown, but does not make the owner busy.
    public var transparent: Bool
    /// `STATUS:CANCELLED`
    public var cancelled: Bool
    public var organizer: ICalendarParticipant?
    public var attendees: [ICalendarParticipant]
    /// The event carries an `X-STEWARD-…` property: Steward wrote it.
    public var isStewardWritten: Bool

    public var startValue: ICalendarDateTime
    public var endValue: ICalendarDateTime?
    public var rdateValues: [ICalendarDateTime]
    public var exdateValues: [ICalendarDateTime]
    public var recurrenceIDValue: ICalendarDateTime?
    /// The line of its `BEGIN:VEVENT`.
    public var line: Int

    /// Whether somebody else created the event (so its text is untrusted data).
    ///
    /// Rule: it has an ORGANIZER and at least one ATTENDEE — the shape of an invitation — and Steward did not
    /// write it (no `X-STEWARD-…` property). A plain event the owner made in their own calendar program has
    /// no ORGANIZER, or no ATTENDEEs, and counts as the owner's.
    public var isFromOthers: Bool {
        organizer != nil && !attendees.isEmpty && !isStewardWritten
    }

    /// Whether this VEVENT is a series with instances beyond its first.
    public var isRecurring: Bool { rrule != nil || !rdateValues.isEmpty }

    init(uid: String, startValue: ICalendarDateTime, line: Int) {
        self.uid = uid
        self.start = .date(startValue.localDate)
        self.startValue = startValue
        self.line = line
        rdates = []
        exdates = []
        rdateValues = []
        exdateValues = []
        sequence = 0
        transparent = false
        cancelled = false
        attendees = []
        isStewardWritten = false
    }

    /// Fills the resolved twins of the raw values.
    mutating func resolve(with resolver: ZoneResolver) {
        start = resolver.eventTime(startValue)
        end = endValue.map(resolver.eventTime)
        rdates = rdateValues.map(resolver.eventTime)
        exdates = exdateValues.map(resolver.eventTime)
        recurrenceID = recurrenceIDValue.map(resolver.eventTime)
    }
}

extension ZoneResolver {
    func eventTime(_ value: ICalendarDateTime) -> EventTime {
        if value.isDate { return .date(value.localDate) }
        let (clock, name) = clock(for: value.anchor)
        return .dateTime(clock.date(localDay: value.dayNumber, secondOfDay: value.secondOfDay), timeZone: name)
    }
}
