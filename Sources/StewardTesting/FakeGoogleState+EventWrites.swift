import Foundation

/// `events.insert`, `patch` and `delete`. Every write bumps the revision, so incremental sync sees it.
extension FakeGoogleState {
    func insertEvent(_ call: APICall) -> FakeGoogleReply {
        let calendarID: String
        switch visibleCalendar(call, write: true) {
        case .success(let found): calendarID = found.0
        case .failure(let failure): return failure.reply
        }
        guard case .object(let body)? = call.body else { return Self.apiError(400, reason: "required", message: "Missing event body.") }
        switch store(body, in: calendarID, creator: call.email) {
        case .success(let id):
            let stored = events[calendarID]![id]!
            return .json(presented(Occurrence(id: id, resource: stored.resource, revision: stored.revision, deleted: false,
                                              order: stored.order), calendarID: calendarID))
        case .failure(let failure):
            return failure.reply
        }
    }

    /// Checks and stores a new event (from the API or from a test's seed); returns its id.
    func store(_ body: [String: FakeJSON], in calendarID: String, creator: String?) -> Result<String, FakeGoogleFailure> {
        if let problem = FakeGoogleDiscovery.problem(.object(body), schema: "Event") {
            return .failure(FakeGoogleFailure(Self.apiError(400, reason: "invalid", message: problem)))
        }
        if let problem = timesProblem(body, calendarID: calendarID) { return .failure(FakeGoogleFailure(problem)) }
        let id: String
        if let requested = body["id"]?.stringValue {
            let base32hex = Set("0123456789abcdefghijklmnopqrstuv")
            guard (5...1024).contains(requested.count), requested.allSatisfy(base32hex.contains) else {
                return .failure(FakeGoogleFailure(Self.apiError(400, reason: "invalid", message: "Invalid resource id value.")))
            }
            guard events[calendarID]?[requested] == nil else {
                return .failure(FakeGoogleFailure(Self.apiError(409, reason: "duplicate", message: "The requested identifier already exists.")))
            }
            id = requested
        } else {
            id = String((0..<26).map { _ in Array("0123456789abcdefghijklmnopqrstuv").randomElement()! })
        }
        if let attendees = body["attendees"]?.arrayValue, attendees.contains(where: { $0["email"]?.stringValue == nil }) {
            return .failure(FakeGoogleFailure(Self.apiError(400, reason: "required", message: "Missing attendee email.")))
        }
        let stamp = FakeGoogleTime.utc(now)
        let owner = calendars[calendarID]?.owner ?? calendarID
        var resource = body
        resource["kind"] = "calendar#event"
        resource["id"] = .string(id)
        resource["status"] = body["status"] ?? "confirmed"
        resource["htmlLink"] = .string("https://www.google.com/calendar/event?eid=\(id)")
        resource["created"] = .string(stamp)
        resource["updated"] = .string(stamp)
        resource["creator"] = body["creator"] ?? ["email": .string(creator ?? owner)]
        resource["organizer"] = body["organizer"] ?? ["email": .string(owner)]
        resource["iCalUID"] = body["iCalUID"] ?? .string("\(id)@google.com")
        resource["sequence"] = body["sequence"] ?? 0
        resource["reminders"] = body["reminders"] ?? ["useDefault": true]
        resource["eventType"] = body["eventType"] ?? "default"
        if let attendees = body["attendees"]?.arrayValue {
            resource["attendees"] = .array(attendees.map { attendee in
                var fields = attendee.objectValue ?? [:]
                if fields["responseStatus"] == nil { fields["responseStatus"] = "needsAction" }
                return .object(fields)
            })
        }
        insertionCounter += 1
        events[calendarID, default: [:]][id] = StoredEvent(resource: resource, revision: nextRevision(), order: insertionCounter)
        return .success(id)
    }

    /// Google's rules for `start` and `end`: both present and of one kind (`date` or `dateTime`), known
    /// zones, and the end after the start.
    func timesProblem(_ resource: [String: FakeJSON], calendarID: String) -> FakeGoogleReply? {
        guard let start = resource["start"], let end = resource["end"] else {
            return Self.apiError(400, reason: "required", message: "Missing end time.")
        }
        for (name, value) in [("start", start), ("end", end)] {
            let hasDate = value["date"] != nil && value["date"] != .null
            let hasDateTime = value["dateTime"] != nil && value["dateTime"] != .null
            guard hasDate != hasDateTime else {
                return Self.apiError(400, reason: "invalid", message: "Invalid \(name) time: give either date or dateTime.")
            }
            if let zone = value["timeZone"]?.stringValue, TimeZone(identifier: zone) == nil {
                return Self.apiError(400, reason: "timeZoneNotValid", message: "Invalid time zone definition for \(name) time.")
            }
            guard instant(value, calendarID: calendarID) != nil else {
                return Self.apiError(400, reason: "invalid", message: "Invalid \(name) time.")
            }
        }
        guard (start["date"] != nil) == (end["date"] != nil) else {
            return Self.apiError(400, reason: "invalid", message: "Start and end times must either both be date or both be dateTime.")
        }
        if resource["recurrence"] != nil, start["date"] == nil, start["timeZone"] == nil {
            return Self.apiError(400, reason: "invalid", message: "Missing time zone definition for start time.")
        }
        guard let from = instant(start, calendarID: calendarID), let to = instant(end, calendarID: calendarID), to > from else {
            return Self.apiError(400, reason: "timeRangeEmpty", message: "The specified time range is empty.")
        }
        return nil
    }

    func patchEvent(_ call: APICall) -> FakeGoogleReply {
        let calendarID: String
        switch visibleCalendar(call, write: true) {
        case .success(let found): calendarID = found.0
        case .failure(let failure): return failure.reply
        }
        guard let eventID = call.resourceID, let current = findEvent(eventID, calendarID: calendarID) else {
            return Self.apiError(404, reason: "notFound", message: "Not Found")
        }
        guard !current.deleted else { return Self.apiError(410, reason: "deleted", message: "Resource has been deleted") }
        guard case .object(let changes)? = call.body else { return Self.apiError(400, reason: "required", message: "Missing event body.") }
        var resource = current.resource
        for (key, value) in changes where !["id", "kind", "etag", "created", "updated", "htmlLink", "iCalUID"].contains(key) {
            resource[key] = value == .null ? nil : value
        }
        if let problem = timesProblem(resource, calendarID: calendarID) { return problem }
        resource["updated"] = .string(FakeGoogleTime.utc(now))
        resource["sequence"] = .int((resource["sequence"]?.intValue ?? 0) + 1)
        let order = events[calendarID]?[eventID]?.order ?? current.order
        events[calendarID, default: [:]][eventID] = StoredEvent(resource: resource, revision: nextRevision(), order: order)
        let stored = events[calendarID]![eventID]!
        return .json(presented(Occurrence(id: eventID, resource: stored.resource, revision: stored.revision, deleted: false,
                                          order: stored.order), calendarID: calendarID))
    }

    func deleteEvent(_ call: APICall) -> FakeGoogleReply {
        let calendarID: String
        switch visibleCalendar(call, write: true) {
        case .success(let found): calendarID = found.0
        case .failure(let failure): return failure.reply
        }
        guard let eventID = call.resourceID, let current = findEvent(eventID, calendarID: calendarID) else {
            return Self.apiError(404, reason: "notFound", message: "Not Found")
        }
        guard !current.deleted else { return Self.apiError(410, reason: "deleted", message: "Resource has been deleted") }
        markDeleted(eventID, current, calendarID: calendarID)
        return FakeGoogleReply(status: 204)
    }

    /// Deletes an event, a series (all its instances) or one instance (stored as a cancelled exception).
    func markDeleted(_ eventID: String, _ current: Occurrence, calendarID: String) {
        var resource = current.resource
        resource["status"] = "cancelled"
        resource["updated"] = .string(FakeGoogleTime.utc(now))
        let order = events[calendarID]?[eventID]?.order ?? current.order
        events[calendarID, default: [:]][eventID] = StoredEvent(resource: resource, revision: nextRevision(), deleted: true, order: order)
    }
}
