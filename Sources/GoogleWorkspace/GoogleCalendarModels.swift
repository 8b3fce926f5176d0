import Foundation

// Calendar v3 resources as the discovery document describes them (revision 20261030), reduced to the
// fields Steward reads or writes. Unknown fields in answers are ignored; requests carry only these.

/// `EventDateTime`: `date` for all-day events, `dateTime` (RFC 3339) otherwise; `timeZone` is the
/// IANA zone the event was written in.
public struct GoogleEventDateTime: Codable, Sendable, Hashable {
    public var date: String?
    public var dateTime: String?
    public var timeZone: String?

    public init(date: String? = nil, dateTime: String? = nil, timeZone: String? = nil) {
        self.date = date
        self.dateTime = dateTime
        self.timeZone = timeZone
    }
}

/// The organizer or creator of an event.
public struct GooglePerson: Codable, Sendable, Hashable {
    public var email: String?
    public var displayName: String?
    /// True when this person is the calendar the event was read from.
    public var isSelf: Bool?

    enum CodingKeys: String, CodingKey {
        case email, displayName
        case isSelf = "self"
    }
}

/// `EventAttendee`.
public struct GoogleAttendee: Codable, Sendable, Hashable {
    public var email: String?
    public var displayName: String?
    /// `needsAction`, `declined`, `tentative`, `accepted`.
    public var responseStatus: String?
    public var isSelf: Bool?
    public var organizer: Bool?
    public var optional: Bool?
    public var resource: Bool?

    public init(email: String) { self.email = email }

    enum CodingKeys: String, CodingKey {
        case email, displayName, responseStatus, organizer, optional, resource
        case isSelf = "self"
    }
}

/// `Event` as read.
public struct GoogleEvent: Codable, Sendable, Hashable {
    public var id: String
    /// `confirmed`, `tentative` or `cancelled` (deleted).
    public var status: String?
    public var summary: String?
    public var description: String?
    public var location: String?
    public var start: GoogleEventDateTime?
    public var end: GoogleEventDateTime?
    /// `opaque` (default, blocks time) or `transparent`.
    public var transparency: String?
    public var organizer: GooglePerson?
    public var creator: GooglePerson?
    public var attendees: [GoogleAttendee]?
    public var recurringEventId: String?
    public var originalStartTime: GoogleEventDateTime?
    public var recurrence: [String]?
    public var iCalUID: String?
    public var htmlLink: String?
    public var updated: String?
    public var eventType: String?
}

/// `Events`: one page of `events.list`.
public struct GoogleEvents: Codable, Sendable {
    public var items: [GoogleEvent]?
    public var nextPageToken: String?
    /// Present on the last page only.
    public var nextSyncToken: String?
    /// The calendar's zone: what events without their own `timeZone` were written in.
    public var timeZone: String?
    public var summary: String?
}

/// `CalendarListEntry`.
public struct GoogleCalendarListEntry: Codable, Sendable, Hashable {
    public var id: String
    public var summary: String?
    public var summaryOverride: String?
    public var primary: Bool?
    /// `freeBusyReader`, `reader`, `writer`, `owner`.
    public var accessRole: String?
    /// Shown in the user's Google Calendar UI.
    public var selected: Bool?
    public var hidden: Bool?
    public var deleted: Bool?
    public var timeZone: String?

    /// The name the user sees.
    public var displayName: String { summaryOverride ?? summary ?? id }
    public var isWritable: Bool { accessRole == "owner" || accessRole == "writer" }
}

/// `CalendarList`: one page of `calendarList.list`.
public struct GoogleCalendarList: Codable, Sendable {
    public var items: [GoogleCalendarListEntry]?
    public var nextPageToken: String?
    public var nextSyncToken: String?
}

/// The body of `events.insert` and `events.patch`: only the fields that are set are sent.
public struct GoogleEventWrite: Codable, Sendable, Hashable {
    /// Chosen by Steward on insert (base32hex, 5–1024 characters) so a retried insert is detected.
    public var id: String?
    public var summary: String?
    public var description: String?
    public var location: String?
    public var start: GoogleEventDateTime?
    public var end: GoogleEventDateTime?
    public var attendees: [GoogleAttendee]?

    public init(id: String? = nil, summary: String? = nil, description: String? = nil, location: String? = nil,
                start: GoogleEventDateTime? = nil, end: GoogleEventDateTime? = nil, attendees: [GoogleAttendee]? = nil) {
        self.id = id
        self.summary = summary
        self.description = description
        self.location = location
        self.start = start
        self.end = end
        self.attendees = attendees
    }
}

/// `sendUpdates` on insert, patch and delete: who Google emails about the change.
public enum GoogleSendUpdates: String, Sendable, Hashable, Codable {
    /// Every guest.
    case all
    /// Guests outside Google Calendar only.
    case externalOnly
    /// Nobody.
    case none
}

/// `FreeBusyRequest`.
public struct GoogleFreeBusyRequest: Codable, Sendable {
    public struct Item: Codable, Sendable { public var id: String }
    public var timeMin: String
    public var timeMax: String
    public var timeZone: String?
    public var items: [Item]
}

/// `FreeBusyResponse`.
public struct GoogleFreeBusyResponse: Codable, Sendable {
    public struct Period: Codable, Sendable, Hashable {
        public var start: String
        public var end: String
    }
    public struct Problem: Codable, Sendable, Hashable {
        public var domain: String?
        public var reason: String?
    }
    public struct Calendar: Codable, Sendable {
        public var busy: [Period]?
        public var errors: [Problem]?
    }
    public var timeMin: String?
    public var timeMax: String?
    public var calendars: [String: Calendar]?
}
