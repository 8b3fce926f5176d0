import Foundation

/// `events.list`, `get`, `insert`, `patch`, `delete`, with the rules Google states for them.
extension FakeGoogleState {
    /// Parameters Google refuses next to a `syncToken`.
    static let notWithSyncToken = ["iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty",
                                   "timeMin", "timeMax", "updatedMin"]

    /// The calendar behind a path's `calendarId` as `email` sees it, or the error to answer.
    func visibleCalendar(_ call: APICall, write: Bool) -> Result<(String, CalendarEntry), FakeGoogleFailure> {
        guard let requested = call.calendarID, let entry = entry(of: call.email, for: requested) else {
            return .failure(FakeGoogleFailure(Self.apiError(404, reason: "notFound", message: "Not Found")))
        }
        if write, entry.accessRole != "owner", entry.accessRole != "writer" {
            return .failure(FakeGoogleFailure(Self.apiError(403, reason: "requiredAccessLevel",
                                                            message: "You need to have writer access to this calendar.")))
        }
        return .success((entry.calendarID, entry))
    }

    func listEvents(_ call: APICall) -> FakeGoogleReply {
        let calendarID: String
        let entry: CalendarEntry
        switch visibleCalendar(call, write: false) {
        case .success(let found): (calendarID, entry) = found
        case .failure(let failure): return failure.reply
        }
        let singleEvents = call.query("singleEvents") == "true"
        let syncToken = call.query("syncToken")
        if syncToken != nil {
            if let clash = Self.notWithSyncToken.first(where: { call.query($0) != nil }) {
                return Self.apiError(400, reason: "invalid", message: "The \(clash) parameter cannot be used together with syncToken.")
            }
            if call.query("showDeleted") == "false" {
                return Self.apiError(400, reason: "invalid", message: "showDeleted cannot be false with syncToken.")
            }
        }
        if call.query("orderBy") == "startTime", !singleEvents {
            return Self.apiError(400, reason: "invalid", message: "The requested ordering is not available for the particular query.")
        }
        let timeMin = call.query("timeMin").flatMap(FakeGoogleTime.parse)
        let timeMax = call.query("timeMax").flatMap(FakeGoogleTime.parse)
        if let timeMin, let timeMax, timeMin >= timeMax {
            return Self.apiError(400, reason: "timeRangeEmpty", message: "The specified time range is empty.", location: "timeMax")
        }
        let size = min(Int(call.query("maxResults") ?? "") ?? 250, 2500, maxPageSize)
        if let pageToken = call.query("pageToken") {
            guard let cursor = pageCursors.removeValue(forKey: pageToken), cursor.calendarID == calendarID else {
                return Self.apiError(400, reason: "invalid", message: "Invalid page token value.")
            }
            return eventsPage(cursor.remaining, size: size, calendarID: calendarID, entry: entry, nextSyncToken: cursor.nextSyncToken)
        }
        var items: [FakeJSON]
        var window: (Date, Date)?
        if let syncToken {
            guard let point = syncPoints[syncToken] else {
                return Self.apiError(400, reason: "invalid", message: "Invalid sync token value.")
            }
            guard !point.expired, point.calendarID == calendarID else { return Self.reply(for: .syncTokenGone) }
            window = point.window
            items = occurrences(calendarID: calendarID, expand: singleEvents, includeDeleted: true,
                                horizon: (point.window?.0, point.window?.1))
                .filter { $0.revision > point.revision }
                .map { presented($0, calendarID: calendarID) }
        } else {
            if let timeMin, let timeMax { window = (timeMin, timeMax) }
            let showDeleted = call.query("showDeleted") == "true"
            var found = occurrences(calendarID: calendarID, expand: singleEvents, includeDeleted: showDeleted, horizon: (timeMin, timeMax))
                .filter { occurrence in
                    guard let span = interval(of: occurrence.resource, calendarID: calendarID) else { return occurrence.deleted }
                    // timeMin bounds the end, timeMax the start, both exclusive.
                    return (timeMin.map { span.end > $0 } ?? true) && (timeMax.map { span.start < $0 } ?? true)
                }
            if let text = call.query("q")?.lowercased() {
                found = found.filter { ($0.resource["summary"]?.stringValue ?? "").lowercased().contains(text) }
            }
            if call.query("orderBy") == "startTime" {
                found.sort {
                    let left = interval(of: $0.resource, calendarID: calendarID)?.start ?? .distantPast
                    let right = interval(of: $1.resource, calendarID: calendarID)?.start ?? .distantPast
                    return (left, $0.id) < (right, $1.id)
                }
            }
            items = found.map { presented($0, calendarID: calendarID) }
        }
        let incompatible = ["orderBy", "q", "updatedMin", "iCalUID", "privateExtendedProperty", "sharedExtendedProperty"]
        var nextSyncToken: String?
        if !incompatible.contains(where: { call.query($0) != nil }) {
            let token = randomToken("CPfake", length: 24)
            syncPoints[token] = SyncPoint(calendarID: calendarID, revision: revision, window: window)
            nextSyncToken = token
        }
        return eventsPage(items, size: size, calendarID: calendarID, entry: entry, nextSyncToken: nextSyncToken)
    }

    private func eventsPage(_ items: [FakeJSON], size: Int, calendarID: String, entry: CalendarEntry,
                            nextSyncToken: String?) -> FakeGoogleReply {
        let calendar = calendars[calendarID]
        var body: [String: FakeJSON] = [
            "kind": "calendar#events", "etag": .string("\"\(revision)\""), "summary": .string(calendar?.summary ?? calendarID),
            "description": "", "updated": .string(FakeGoogleTime.utc(now)), "timeZone": .string(calendar?.timeZone ?? "UTC"),
            "accessRole": .string(entry.accessRole), "defaultReminders": [],
            "items": .array(Array(items.prefix(size))),
        ]
        if items.count > size {
            let token = randomToken("EjYKfake", length: 24)
            pageCursors[token] = PageCursor(calendarID: calendarID, remaining: Array(items.dropFirst(size)), pageSize: size,
                                            nextSyncToken: nextSyncToken)
            body["nextPageToken"] = .string(token)
        } else if let nextSyncToken {
            body["nextSyncToken"] = .string(nextSyncToken)
        }
        return .json(.object(body))
    }

    /// The stored event or synthesized instance `eventID` of `calendarID`.
    func findEvent(_ eventID: String, calendarID: String) -> Occurrence? {
        if let stored = events[calendarID]?[eventID] {
            return Occurrence(id: eventID, resource: stored.resource, revision: stored.revision, deleted: stored.deleted,
                              order: stored.order)
        }
        // An instance of a series: `<seriesId>_<suffix>`.
        guard let separator = eventID.lastIndex(of: "_"), events[calendarID]?[String(eventID[..<separator])] != nil else { return nil }
        return occurrences(calendarID: calendarID, expand: true, includeDeleted: true, horizon: (nil, nil))
            .first { $0.id == eventID }
    }

    func getEvent(_ call: APICall) -> FakeGoogleReply {
        let calendarID: String
        switch visibleCalendar(call, write: false) {
        case .success(let found): calendarID = found.0
        case .failure(let failure): return failure.reply
        }
        guard let eventID = call.resourceID, var occurrence = findEvent(eventID, calendarID: calendarID) else {
            return Self.apiError(404, reason: "notFound", message: "Not Found")
        }
        // `get` always returns cancelled events, with their fields.
        if occurrence.deleted { occurrence.resource["status"] = "cancelled" }
        occurrence.deleted = false
        return .json(presented(occurrence, calendarID: calendarID))
    }
}

/// An error answer carried through a `Result`.
struct FakeGoogleFailure: Error {
    var reply: FakeGoogleReply
    init(_ reply: FakeGoogleReply) { self.reply = reply }
}
