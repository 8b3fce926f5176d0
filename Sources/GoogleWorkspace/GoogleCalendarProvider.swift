import Crypto
import Foundation
import StewardCore

/// One Google account's calendars as a `CalendarProvider`, plus what only Google offers: free/busy of
/// other people, moving and cancelling events with `sendUpdates`, and incremental sync for a local copy.
///
/// Guarantees: reads expand recurring events (`singleEvents=true`) and never show cancelled
/// instances; all-day events stay dates and timed events keep their own zone; writing the same
/// `EventDraft` twice creates one event (its Google id is derived from the draft's uid, and a
/// duplicate insert returns the event already there). Errors are `GoogleError`s, whose descriptions
/// say what to do and never contain a token.
public final class GoogleCalendarProvider: CalendarProvider {
    /// `google:<account id>`.
    public let accountID: String
    public let client: any GoogleAPIClient
    private let calendarIDs: [String]?

    /// - Parameter calendarIDs: the calendars `events(in:)` reads; nil = those the user shows in
    ///   Google Calendar (`selected`), and always the primary one.
    public init(accountID: String, client: any GoogleAPIClient, calendarIDs: [String]? = nil) {
        self.accountID = accountID
        self.client = client
        self.calendarIDs = calendarIDs
    }

    /// Google e-mails attendees when asked to (`sendUpdates`).
    public var canNotifyAttendees: Bool { true }

    /// `start.date` / `end.date` events.
    public var canCreateAllDayEvents: Bool { true }

    public func calendars() async throws -> [CalendarInfo] {
        try await client.calendarList().filter { $0.deleted != true }.map {
            CalendarInfo(id: $0.id, name: $0.displayName, isPrimary: $0.primary == true, isWritable: $0.isWritable)
        }
    }

    /// The calendars `events(in:)` and a sync read.
    public func readableCalendarIDs() async throws -> [String] {
        if let calendarIDs { return calendarIDs }
        return try await client.calendarList()
            .filter { $0.deleted != true && ($0.primary == true || ($0.selected == true && $0.hidden != true)) }
            .map(\.id)
    }

    public func events(in window: DateInterval) async throws -> [CalendarEvent] {
        var events: [CalendarEvent] = []
        for calendarID in try await readableCalendarIDs() {
            let listing = try await client.listEvents(calendarID: calendarID, in: window)
            events += listing.items.compactMap {
                $0.calendarEvent(accountID: accountID, calendarID: calendarID, calendarTimeZone: listing.timeZone)
            }
        }
        return events.sorted { ($0.start.instant(in: .gmt), $0.id) < ($1.start.instant(in: .gmt), $1.id) }
    }

    /// Notifies attendees when there are any.
    public func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
        try await createEvent(draft, calendarID: calendarID, sendUpdates: draft.attendees.isEmpty ? .none : .all)
    }

    /// `events.insert` with an id derived from `draft.uid`; when Google already has that id (an approval
    /// retried after a crash, or a retry after a lost answer), the existing event is returned.
    public func createEvent(_ draft: EventDraft, calendarID: String?, sendUpdates: GoogleSendUpdates) async throws -> CalendarEvent {
        let calendar = calendarID ?? "primary"
        let body = GoogleEventWrite(
            id: Self.eventID(forDraftUID: draft.uid), summary: draft.title,
            start: GoogleEventDateTime.start(of: draft), end: GoogleEventDateTime.end(of: draft),
            attendees: draft.attendees.isEmpty ? nil : draft.attendees.map(GoogleAttendee.init(email:)))
        let event: GoogleEvent
        do {
            event = try await client.insertEvent(calendarID: calendar, body, sendUpdates: sendUpdates)
        } catch let error as GoogleError where error == .conflict {
            event = try await client.event(calendarID: calendar, eventID: Self.eventID(forDraftUID: draft.uid))
        }
        return try mapped(event, calendarID: calendar, fallbackZone: draft.timeZone)
    }

    /// Moves an event (`events.patch` of start and end), written in `timeZone`.
    public func moveEvent(id eventID: String, calendarID: String?, start: Date, end: Date, timeZone: String,
                          sendUpdates: GoogleSendUpdates) async throws -> CalendarEvent {
        let calendar = calendarID ?? "primary"
        let changes = GoogleEventWrite(start: GoogleEventDateTime(start, timeZone: timeZone),
                                       end: GoogleEventDateTime(end, timeZone: timeZone))
        let event = try await client.patchEvent(calendarID: calendar, eventID: eventID, changes, sendUpdates: sendUpdates)
        return try mapped(event, calendarID: calendar, fallbackZone: timeZone)
    }

    /// Renames an event or changes its guests (`events.patch` of the fields given).
    public func updateEvent(id eventID: String, calendarID: String?, changes: GoogleEventWrite,
                            sendUpdates: GoogleSendUpdates) async throws -> CalendarEvent {
        let calendar = calendarID ?? "primary"
        let event = try await client.patchEvent(calendarID: calendar, eventID: eventID, changes, sendUpdates: sendUpdates)
        return try mapped(event, calendarID: calendar, fallbackZone: nil)
    }

    /// Deletes an event. Deleting one that is already gone succeeds (the outcome the user wanted).
    public func cancelEvent(id eventID: String, calendarID: String?, sendUpdates: GoogleSendUpdates) async throws {
        do {
            try await client.deleteEvent(calendarID: calendarID ?? "primary", eventID: eventID, sendUpdates: sendUpdates)
        } catch let error as GoogleError where error == .gone || error == .notFound {
            return
        }
    }

    /// The address of the account: its primary calendar's id.
    public func accountEmail() async throws -> String {
        try await client.calendarListEntry(id: "primary").id
    }

    /// The Google event id for a draft: base32hex (`0-9a-v`), as Google requires of ids chosen by the
    /// client, and the same for the same uid.
    public static func eventID(forDraftUID uid: String) -> String {
        let digest = SHA256.hash(data: Data(uid.utf8))
        return "st" + digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    private func mapped(_ event: GoogleEvent, calendarID: String, fallbackZone: String?) throws -> CalendarEvent {
        guard let mapped = event.calendarEvent(accountID: accountID, calendarID: calendarID, calendarTimeZone: fallbackZone) else {
            throw GoogleError.malformed(status: 200, "the event \(event.id) came back cancelled or without times")
        }
        return mapped
    }
}
