import Foundation
import StewardCore

/// What changed in one calendar since the last sync.
public struct GoogleCalendarChanges: Sendable {
    /// True for a complete listing of the window: the caller replaces its whole copy of this calendar.
    /// That happens on the first sync and whenever Google expired the sync token.
    public var isFullSync: Bool
    /// True when this full listing was forced by Google answering 410 to the previous token.
    public var syncTokenExpired: Bool
    /// New or changed occurrences. On an incremental sync they may lie outside the original window.
    public var events: [CalendarEvent]
    /// Occurrences deleted or cancelled since the last sync.
    public var removedEventIDs: [String]
    /// Pass it to the next `changes(…)`; nil when Google gave none (then sync in full next time).
    public var nextSyncToken: String?
}

/// Someone's availability from `freebusy.query`.
public enum GoogleAvailability: Sendable, Hashable {
    /// Busy spans inside the window asked for (free the rest of the time).
    case busy([DateInterval])
    /// Google could not tell (`notFound`, no permission to see it…): the reason it gave.
    case unknown(String)
}

extension GoogleCalendarProvider {
    /// Brings a local copy of `calendarID` up to date.
    ///
    /// With `syncToken` nil this lists `window` in full. With a token it asks only for what changed;
    /// when Google answers 410 (the token is too old) it lists `window` in full instead and says so
    /// (`isFullSync` and `syncTokenExpired`), so the caller drops what it kept before.
    public func changes(calendarID: String, since syncToken: String?, window: DateInterval) async throws -> GoogleCalendarChanges {
        if let syncToken {
            do {
                let listing = try await client.syncEvents(calendarID: calendarID, syncToken: syncToken, window: nil)
                return changes(from: listing, calendarID: calendarID, full: false, expired: false)
            } catch let error as GoogleError where error == .syncTokenExpired {
                let listing = try await client.syncEvents(calendarID: calendarID, syncToken: nil, window: window)
                return changes(from: listing, calendarID: calendarID, full: true, expired: true)
            }
        }
        let listing = try await client.syncEvents(calendarID: calendarID, syncToken: nil, window: window)
        return changes(from: listing, calendarID: calendarID, full: true, expired: false)
    }

    private func changes(from listing: GoogleEventsListing, calendarID: String, full: Bool, expired: Bool) -> GoogleCalendarChanges {
        var events: [CalendarEvent] = []
        var removed: [String] = []
        for item in listing.items {
            if let event = item.calendarEvent(accountID: accountID, calendarID: calendarID, calendarTimeZone: listing.timeZone) {
                events.append(event)
            } else {
                // Cancelled, or unreadable: either way it must not stay in the copy.
                removed.append(item.id)
            }
        }
        return GoogleCalendarChanges(isFullSync: full, syncTokenExpired: expired, events: events,
                                     removedEventIDs: full ? [] : removed, nextSyncToken: listing.nextSyncToken)
    }

    /// Busy times of people (by address) or calendars (by id) in `window`, keyed by what was asked.
    /// Anyone Google said nothing about comes back `.unknown`.
    public func freeBusy(for ids: [String], in window: DateInterval) async throws -> [String: GoogleAvailability] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: GoogleAvailability] = [:]
        // Google accepts at most 50 calendars per query.
        for start in stride(from: 0, to: ids.count, by: 50) {
            let chunk = Array(ids[start..<min(start + 50, ids.count)])
            let answer = try await client.freeBusy(ids: chunk, in: window)
            for id in chunk {
                guard let calendar = answer.calendars?[id] ?? answer.calendars?.first(where: {
                    $0.key.caseInsensitiveCompare(id) == .orderedSame
                })?.value else {
                    result[id] = .unknown("not in Google's answer")
                    continue
                }
                if let problem = calendar.errors?.first {
                    result[id] = .unknown(problem.reason ?? "unknown")
                    continue
                }
                let spans = (calendar.busy ?? []).compactMap { period -> DateInterval? in
                    guard let from = RFC3339.parse(period.start), let to = RFC3339.parse(period.end), to > from else { return nil }
                    return DateInterval(start: from, end: to)
                }
                result[id] = .busy(spans.sorted { $0.start < $1.start })
            }
        }
        return result
    }
}
