import Foundation
import StewardCore

/// One Google account as the orchestrator sees it: reads come from the local copy (milliseconds, no
/// network), writes go to Google and show up in the copy at once; checks before a change and other
/// people's availability ask Google directly.
public struct GoogleCalendarCopy: CalendarProvider {
    public let account: Account
    public let google: GoogleCalendars
    /// The user's zone: all-day events are whole days there.
    public let zone: TimeZone

    public init(account: Account, google: GoogleCalendars, zone: TimeZone) {
        self.account = account
        self.google = google
        self.zone = zone
    }

    public var accountID: String { account.reference }

    public func calendars() async throws -> [CalendarInfo] {
        try await google.connection(for: account).remote.calendars()
    }

    public func events(in window: DateInterval) async throws -> [CalendarEvent] {
        guard let copy = try await google.copy(of: account) else {
            // Never synced yet (just connected): ask Google directly this once.
            return try await google.connection(for: account).remote.events(in: window)
        }
        return copy.events.events(in: window, zone: zone)
    }

    public func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
        let remote = try await google.connection(for: account).remote
        let event = try await remote.createEvent(draft, calendarID: calendarID,
                                                 sendUpdates: Self.sendUpdates(draft.notifyAttendees && !draft.attendees.isEmpty))
        await google.remember(event, in: account)
        return event
    }

    public var canChangeEvents: Bool { true }

    /// Google e-mails attendees when asked to (`sendUpdates`).
    public var canNotifyAttendees: Bool { true }

    /// `start.date` / `end.date` events.
    public var canCreateAllDayEvents: Bool { true }

    /// `events.get`, so a card and its execution see the event as Google has it now, not as last synced.
    public func currentEvent(id: String, calendarID: String, near window: DateInterval) async throws -> CalendarEvent? {
        let remote = try await google.connection(for: account).remote
        let found: GoogleEvent
        do {
            found = try await remote.client.event(calendarID: calendarID, eventID: id)
        } catch let error as GoogleError where error == .notFound || error == .gone {
            await google.forget(eventID: id, calendarID: calendarID, in: account)
            return nil
        }
        guard let event = found.calendarEvent(accountID: accountID, calendarID: calendarID, calendarTimeZone: nil) else {
            await google.forget(eventID: id, calendarID: calendarID, in: account)
            return nil
        }
        await google.remember(event, in: account)
        return event
    }

    public func moveEvent(id: String, calendarID: String, start: Date, end: Date, timeZone: String,
                          notifyAttendees: Bool) async throws -> CalendarEvent {
        let remote = try await google.connection(for: account).remote
        let moved = try await remote.moveEvent(id: id, calendarID: calendarID, start: start, end: end, timeZone: timeZone,
                                               sendUpdates: Self.sendUpdates(notifyAttendees))
        await google.remember(moved, in: account)
        return moved
    }

    public func cancelEvent(id: String, calendarID: String, notifyAttendees: Bool) async throws {
        let remote = try await google.connection(for: account).remote
        try await remote.cancelEvent(id: id, calendarID: calendarID, sendUpdates: Self.sendUpdates(notifyAttendees))
        await google.forget(eventID: id, calendarID: calendarID, in: account)
    }

    /// `freebusy.query` for the people's primary calendars (by address).
    public func busyTimes(of people: [String], in window: DateInterval) async throws -> [String: Availability] {
        let answers = try await google.connection(for: account).remote.freeBusy(for: people, in: window)
        return answers.mapValues { answer in
            switch answer {
            case .busy(let spans): .busy(spans)
            case .unknown(let reason): .unknown(reason)
            }
        }
    }

    private static func sendUpdates(_ notify: Bool) -> GoogleSendUpdates { notify ? .all : .none }

    public func stalenessNote() async -> String? {
        guard let copy = try? await google.copy(of: account), let syncedAt = copy.syncedAt else { return nil }
        let age = Date().timeIntervalSince(syncedAt)
        // One missed sync is normal (the job runs every interval); three are worth saying.
        guard copy.lastError != nil || age > 3 * google.syncInterval + 60 else { return nil }
        let minutes = max(1, Int(age / 60))
        return "from a copy synced \(minutes) min ago" + (copy.lastError.map { "; the last sync failed: \($0)" } ?? "")
    }
}
