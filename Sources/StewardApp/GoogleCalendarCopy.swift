import Foundation
import GoogleWorkspace
import StewardCore

/// One Google account as the orchestrator sees it: reads come from the local copy (milliseconds, no
/// network), writes go to Google and show up in the copy at once.
struct GoogleCalendarCopy: CalendarProvider {
    let account: Account
    let google: GoogleCalendars
    /// The user's zone: all-day events are whole days there.
    let zone: TimeZone

    var accountID: String { account.reference }

    func calendars() async throws -> [CalendarInfo] {
        try await google.connection(for: account).remote.calendars()
    }

    func events(in window: DateInterval) async throws -> [CalendarEvent] {
        guard let copy = try await google.copy(of: account) else {
            // Never synced yet (just connected): ask Google directly this once.
            return try await google.connection(for: account).remote.events(in: window)
        }
        return copy.events.events(in: window, zone: zone)
    }

    func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
        let event = try await google.connection(for: account).remote.createEvent(draft, calendarID: calendarID)
        google.remember(event, in: account)
        return event
    }

    func stalenessNote() async -> String? {
        guard let copy = try? await google.copy(of: account), let syncedAt = copy.syncedAt else { return nil }
        let age = Date().timeIntervalSince(syncedAt)
        // One missed sync is normal (the job runs every interval); three are worth saying.
        guard copy.lastError != nil || age > 3 * google.syncInterval + 60 else { return nil }
        let minutes = max(1, Int(age / 60))
        return "from a copy synced \(minutes) min ago" + (copy.lastError.map { "; the last sync failed: \($0)" } ?? "")
    }
}
