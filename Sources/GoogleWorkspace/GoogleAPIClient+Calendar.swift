import Foundation

/// Calendar v3 endpoints (`{GOOGLE_API_URL}/calendar/v3/…`), each shaped as the discovery document
/// describes the method: only documented query parameters, only documented body fields.
extension GoogleAPIClient {
    /// `calendarList.list`, every page.
    public func calendarList() async throws -> [GoogleCalendarListEntry] {
        var entries: [GoogleCalendarListEntry] = []
        var pageToken: String?
        repeat {
            var query: [(name: String, value: String)] = [("maxResults", "250")]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page: GoogleCalendarList = try await call(GoogleAPIRequest(
                name: "calendar.calendarList.list", path: ["calendar", "v3", "users", "me", "calendarList"], query: query))
            entries += page.items ?? []
            pageToken = page.nextPageToken
        } while pageToken != nil
        return entries
    }

    /// `calendarList.get`; `primary` names the account's main calendar, whose id is the account's address.
    public func calendarListEntry(id: String = "primary") async throws -> GoogleCalendarListEntry {
        try await call(GoogleAPIRequest(name: "calendar.calendarList.get",
                                        path: ["calendar", "v3", "users", "me", "calendarList", id]))
    }

    /// `events.list` with `singleEvents=true`, `orderBy=startTime` and a window, up to `maxPages` pages: the
    /// occurrences overlapping `window`, recurring events expanded by Google.
    /// - Throws: `GoogleError.tooManyEvents` when Google still has pages after `maxPages` (20 pages of up to
    ///   2,500 events): a daily series over centuries would otherwise be read for hours, all into memory.
    public func listEvents(calendarID: String, in window: DateInterval, maxPages: Int = 20) async throws -> GoogleEventsListing {
        var listing = GoogleEventsListing()
        var pageToken: String?
        var pages = 0
        repeat {
            guard pages < maxPages else {
                throw GoogleError.make(.tooManyEvents, status: nil, reason: "",
                                       message: "more than \(maxPages) pages of events from \(RFC3339.format(window.start)) "
                                           + "to \(RFC3339.format(window.end))")
            }
            pages += 1
            var query: [(name: String, value: String)] = [
                ("singleEvents", "true"), ("orderBy", "startTime"),
                ("timeMin", RFC3339.format(window.start)), ("timeMax", RFC3339.format(window.end)),
                ("maxResults", "2500"),
            ]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page = try await eventsPage(calendarID: calendarID, query: query)
            listing.append(page)
            pageToken = page.nextPageToken
        } while pageToken != nil
        return listing
    }

    /// `events.list` for a local copy: with `syncToken` nil a full listing of `window` (no ordering, as
    /// sync requires); with a token only what changed since, deleted events included as `cancelled`.
    /// Every page is read; the result carries the `nextSyncToken` of the last page.
    /// - Throws: `GoogleError.syncTokenExpired` when Google answers 410: list again without a token.
    public func syncEvents(calendarID: String, syncToken: String?, window: DateInterval?) async throws -> GoogleEventsListing {
        var listing = GoogleEventsListing()
        var pageToken: String?
        repeat {
            var query: [(name: String, value: String)] = [("singleEvents", "true"), ("maxResults", "2500")]
            if let syncToken {
                // Google forbids timeMin, timeMax and orderBy next to a sync token.
                query.append(("syncToken", syncToken))
            } else if let window {
                query.append(("timeMin", RFC3339.format(window.start)))
                query.append(("timeMax", RFC3339.format(window.end)))
            }
            if let pageToken { query.append(("pageToken", pageToken)) }
            do {
                let page = try await eventsPage(calendarID: calendarID, query: query)
                listing.append(page)
                pageToken = page.nextPageToken
            } catch let error as GoogleError where syncToken != nil && (error == .gone || error == .syncTokenExpired) {
                throw GoogleError.make(.syncTokenExpired, status: error.status, reason: error.reason, message: error.message)
            }
        } while pageToken != nil
        return listing
    }

    private func eventsPage(calendarID: String, query: [(name: String, value: String)]) async throws -> GoogleEvents {
        try await call(GoogleAPIRequest(name: "calendar.events.list", path: ["calendar", "v3", "calendars", calendarID, "events"],
                                        query: query))
    }

    /// `events.get`.
    public func event(calendarID: String, eventID: String) async throws -> GoogleEvent {
        try await call(GoogleAPIRequest(name: "calendar.events.get",
                                        path: ["calendar", "v3", "calendars", calendarID, "events", eventID]))
    }

    /// `events.insert`.
    public func insertEvent(calendarID: String, _ event: GoogleEventWrite, sendUpdates: GoogleSendUpdates) async throws -> GoogleEvent {
        try await call(GoogleAPIRequest(name: "calendar.events.insert", method: "POST",
                                        path: ["calendar", "v3", "calendars", calendarID, "events"],
                                        query: [("sendUpdates", sendUpdates.rawValue)], body: try Self.jsonBody(event)))
    }

    /// `events.patch`: changes only the fields set in `changes`.
    public func patchEvent(calendarID: String, eventID: String, _ changes: GoogleEventWrite,
                           sendUpdates: GoogleSendUpdates) async throws -> GoogleEvent {
        try await call(GoogleAPIRequest(name: "calendar.events.patch", method: "PATCH",
                                        path: ["calendar", "v3", "calendars", calendarID, "events", eventID],
                                        query: [("sendUpdates", sendUpdates.rawValue)], body: try Self.jsonBody(changes)))
    }

    /// `events.delete`.
    public func deleteEvent(calendarID: String, eventID: String, sendUpdates: GoogleSendUpdates) async throws {
        _ = try await send(GoogleAPIRequest(name: "calendar.events.delete", method: "DELETE",
                                            path: ["calendar", "v3", "calendars", calendarID, "events", eventID],
                                            query: [("sendUpdates", sendUpdates.rawValue)]))
    }

    /// `freebusy.query` for calendars or people's addresses (their primary calendars).
    public func freeBusy(ids: [String], in window: DateInterval, timeZone: String? = nil) async throws -> GoogleFreeBusyResponse {
        let request = GoogleFreeBusyRequest(timeMin: RFC3339.format(window.start), timeMax: RFC3339.format(window.end),
                                            timeZone: timeZone, items: ids.map { .init(id: $0) })
        return try await call(GoogleAPIRequest(name: "calendar.freebusy.query", method: "POST",
                                               path: ["calendar", "v3", "freeBusy"], body: try Self.jsonBody(request)))
    }
}

/// Every page of one `events.list`, joined.
public struct GoogleEventsListing: Sendable {
    public var items: [GoogleEvent] = []
    /// From the last page; nil when the listing cannot be continued incrementally.
    public var nextSyncToken: String?
    /// The calendar's own zone.
    public var timeZone: String?

    public init() {}

    mutating func append(_ page: GoogleEvents) {
        items += page.items ?? []
        if let token = page.nextSyncToken { nextSyncToken = token }
        if let zone = page.timeZone { timeZone = zone }
    }
}
