import Foundation

/// The Calendar v3 API: routing, the checks every call passes (shape, injected faults, credentials,
/// scopes), `calendarList` and `freebusy`. Events live in `FakeGoogleState+Events.swift`.
extension FakeGoogleState {
    static let calendarScopes: Set<String> = [
        "https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.readonly",
        "https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/calendar.events.readonly",
    ]
    static let calendarWriteScopes: Set<String> = [
        "https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.events",
    ]

    struct APICall {
        var methodID: String
        var calendarID: String?
        var resourceID: String?
        var query: [(name: String, value: String)]
        var body: FakeJSON?
        var email: String
        var scopes: [String]

        func query(_ name: String) -> String? { query.first { $0.name == name }?.value }
    }

    /// Serves `{method} /calendar/v3/{segments…}`.
    func api(httpMethod: String, segments: [String], query: [(name: String, value: String)], body: Data,
             contentType: String, bearer: String?) -> FakeGoogleReply {
        let path = "/calendar/v3/" + segments.joined(separator: "/")
        var request = FakeGoogleRequest(method: "unknown", httpMethod: httpMethod, path: path, query: query, body: nil,
                                        form: [:], status: 0, account: nil, receivedAt: now)
        let reply = serve(httpMethod: httpMethod, segments: segments, query: query, body: body,
                          contentType: contentType, bearer: bearer, request: &request)
        request.status = reply.status
        record(request)
        if ["calendar.events.insert", "calendar.events.patch", "calendar.events.delete"].contains(request.method),
           reply.status < 300 { calendarWritesServed += 1 }
        return reply
    }

    private func serve(httpMethod: String, segments: [String], query: [(name: String, value: String)], body: Data,
                       contentType: String, bearer: String?, request: inout FakeGoogleRequest) -> FakeGoogleReply {
        guard let (methodID, calendarID, resourceID) = Self.route(httpMethod, segments) else {
            return Self.apiError(404, reason: "notFound", message: "Not Found")
        }
        let writes = ["calendar.events.insert", "calendar.events.patch", "calendar.events.delete"].contains(methodID)
        let allowed = writes ? Self.calendarWriteScopes
            : Self.calendarScopes.union(methodID == "calendar.freebusy.query" ? ["https://www.googleapis.com/auth/calendar.freebusy"] : [])
        let admission: Admission
        switch admit(methodID: methodID, query: query, body: body, contentType: contentType, bearer: bearer,
                     scopes: allowed, request: &request) {
        case .success(let admitted): admission = admitted
        case .failure(let refusal): return refusal.reply
        }
        if writes, let status = resourceID.flatMap({ eventWriteFaults[$0] }) {
            return status == 403 ? Self.apiError(403, reason: "forbidden", message: "Forbidden")
                : Self.apiError(status, reason: "backendError", message: "Backend Error")
        }
        let (json, grant) = (admission.body, admission.grant)
        let call = APICall(methodID: methodID, calendarID: calendarID, resourceID: resourceID, query: query, body: json,
                           email: grant.email, scopes: grant.scopes)
        let (reply, schema) = dispatch(call)
        checkResponse(reply, methodID: methodID, schema: schema)
        return reply
    }

    /// The discovery method id and path parameters of a request, or nil for a path the API lacks.
    static func route(_ method: String, _ segments: [String]) -> (String, String?, String?)? {
        switch (method, segments.count) {
        case ("GET", 3) where segments[0] == "users" && segments[1] == "me" && segments[2] == "calendarList":
            return ("calendar.calendarList.list", nil, nil)
        case ("GET", 4) where segments[0] == "users" && segments[1] == "me" && segments[2] == "calendarList":
            return ("calendar.calendarList.get", segments[3], nil)
        case ("GET", 3) where segments[0] == "calendars" && segments[2] == "events":
            return ("calendar.events.list", segments[1], nil)
        case ("POST", 3) where segments[0] == "calendars" && segments[2] == "events":
            return ("calendar.events.insert", segments[1], nil)
        case ("GET", 4) where segments[0] == "calendars" && segments[2] == "events":
            return ("calendar.events.get", segments[1], segments[3])
        case ("PATCH", 4) where segments[0] == "calendars" && segments[2] == "events":
            return ("calendar.events.patch", segments[1], segments[3])
        case ("DELETE", 4) where segments[0] == "calendars" && segments[2] == "events":
            return ("calendar.events.delete", segments[1], segments[3])
        case ("POST", 1) where segments[0] == "freeBusy":
            return ("calendar.freebusy.query", nil, nil)
        default:
            return nil
        }
    }

    private func dispatch(_ call: APICall) -> (FakeGoogleReply, String?) {
        switch call.methodID {
        case "calendar.calendarList.list": (calendarListReply(call), "CalendarList")
        case "calendar.calendarList.get": (calendarListEntryReply(call), "CalendarListEntry")
        case "calendar.events.list": (listEvents(call), "Events")
        case "calendar.events.get": (getEvent(call), "Event")
        case "calendar.events.insert": (insertEvent(call), "Event")
        case "calendar.events.patch": (patchEvent(call), "Event")
        case "calendar.events.delete": (deleteEvent(call), nil)
        case "calendar.freebusy.query": (freeBusy(call), "FreeBusyResponse")
        default: (Self.apiError(404, reason: "notFound", message: "Not Found"), nil)
        }
    }

    // MARK: Errors

    /// Google's error body: `{"error": {"errors": [{domain, reason, message, …}], "code", "message"}}`.
    static func apiError(_ status: Int, reason: String, message: String, domain: String = "global", location: String? = nil,
                         headers: [(String, String)] = []) -> FakeGoogleReply {
        var item: [String: FakeJSON] = ["domain": .string(domain), "reason": .string(reason), "message": .string(message)]
        if let location {
            item["locationType"] = location == "Authorization" ? "header" : "parameter"
            item["location"] = .string(location)
        }
        return .json(["error": ["errors": [.object(item)], "code": .int(Int64(status)), "message": .string(message)]],
                     status: status, headers: headers)
    }

    static func reply(for fault: FakeGoogleFault) -> FakeGoogleReply {
        switch fault {
        case .unauthorized:
            apiError(401, reason: "authError", message: "Invalid Credentials", location: "Authorization")
        case .rateLimitExceeded:
            apiError(403, reason: "rateLimitExceeded", message: "Rate Limit Exceeded", domain: "usageLimits")
        case .userRateLimitExceeded:
            apiError(403, reason: "userRateLimitExceeded", message: "User Rate Limit Exceeded", domain: "usageLimits")
        case .tooManyRequests(let seconds):
            apiError(429, reason: "rateLimitExceeded", message: "Rate Limit Exceeded", domain: "usageLimits",
                     headers: seconds.map { [("Retry-After", String($0))] } ?? [])
        case .syncTokenGone:
            apiError(410, reason: "fullSyncRequired", message: "Sync token is no longer valid, a full sync is required.",
                     domain: "calendar")
        case .serverError(let status):
            apiError(status, reason: "backendError", message: "Backend Error")
        case .historyExpired:
            apiError(404, reason: "notFound", message: "Requested entity was not found.")
        }
    }

    // MARK: calendarList

    func entryResource(_ entry: CalendarEntry) -> FakeJSON {
        let calendar = calendars[entry.calendarID]
        var resource: [String: FakeJSON] = [
            "kind": "calendar#calendarListEntry", "etag": .string("\"\(entry.calendarID.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) })\""),
            "id": .string(entry.calendarID), "summary": .string(calendar?.summary ?? entry.calendarID),
            "timeZone": .string(calendar?.timeZone ?? "UTC"), "colorId": "14", "backgroundColor": "#9fe1e7",
            "foregroundColor": "#000000", "accessRole": .string(entry.accessRole), "defaultReminders": [],
        ]
        if entry.selected { resource["selected"] = true }
        if entry.hidden { resource["hidden"] = true }
        if entry.primary { resource["primary"] = true }
        return .object(resource)
    }

    private func calendarListReply(_ call: APICall) -> FakeGoogleReply {
        let roles = ["freeBusyReader", "reader", "writer", "owner"]
        let minimum = call.query("minAccessRole").flatMap { roles.firstIndex(of: $0 == "writerWithoutPrivateAccess" ? "writer" : $0) } ?? 0
        let showHidden = call.query("showHidden") == "true"
        let entries = (accounts[call.email]?.entries ?? []).filter {
            (roles.firstIndex(of: $0.accessRole) ?? 0) >= minimum && (showHidden || !$0.hidden)
        }
        let size = min(Int(call.query("maxResults") ?? "") ?? 100, 250)
        let offset = Int(call.query("pageToken")?.dropFirst("cl-".count) ?? "") ?? 0
        guard offset <= entries.count else { return Self.apiError(400, reason: "invalid", message: "Invalid page token value.") }
        let page = Array(entries.dropFirst(offset).prefix(size))
        var body: [String: FakeJSON] = ["kind": "calendar#calendarList", "etag": .string("\"\(revision)\""),
                                        "items": .array(page.map(entryResource))]
        if offset + page.count < entries.count {
            body["nextPageToken"] = .string("cl-\(offset + page.count)")
        } else {
            body["nextSyncToken"] = .string("cls-\(revision)")
        }
        return .json(.object(body))
    }

    private func calendarListEntryReply(_ call: APICall) -> FakeGoogleReply {
        let id = call.calendarID ?? ""
        guard let entry = accounts[call.email]?.entries.first(where: { id == "primary" ? $0.primary : $0.calendarID == id }) else {
            return Self.apiError(404, reason: "notFound", message: "Not Found")
        }
        return .json(entryResource(entry))
    }

    /// The entry through which `email` sees `calendarID` (`primary` = their own), or nil.
    func entry(of email: String, for calendarID: String) -> CalendarEntry? {
        accounts[email]?.entries.first { calendarID == "primary" ? $0.primary : $0.calendarID == calendarID }
    }

    // MARK: freebusy

    private func freeBusy(_ call: APICall) -> FakeGoogleReply {
        guard let body = call.body, let minText = body["timeMin"]?.stringValue, let maxText = body["timeMax"]?.stringValue,
              let timeMin = FakeGoogleTime.parse(minText), let timeMax = FakeGoogleTime.parse(maxText) else {
            return Self.apiError(400, reason: "required", message: "Missing timeMin or timeMax, or not RFC 3339.")
        }
        guard timeMin < timeMax else { return Self.apiError(400, reason: "timeRangeEmpty", message: "The specified time range is empty.") }
        let items = body["items"]?.arrayValue ?? []
        guard items.count <= 50 else { return Self.apiError(400, reason: "tooManyCalendarsRequested", message: "Too many calendars requested.") }
        var result: [String: FakeJSON] = [:]
        for item in items {
            guard let id = item["id"]?.stringValue else { continue }
            let calendarID = id == "primary" ? (entry(of: call.email, for: "primary")?.calendarID ?? id) : id
            guard calendars[calendarID] != nil else {
                result[id] = ["errors": [["domain": "global", "reason": "notFound"]], "busy": []]
                continue
            }
            let spans = busySpans(calendarID: calendarID, from: timeMin, to: timeMax)
            result[id] = ["busy": .array(spans.map {
                ["start": .string(FakeGoogleTime.utc($0.start)), "end": .string(FakeGoogleTime.utc($0.end))]
            })]
        }
        return .json(["kind": "calendar#freeBusy", "timeMin": .string(FakeGoogleTime.utc(timeMin)),
                      "timeMax": .string(FakeGoogleTime.utc(timeMax)), "calendars": .object(result)])
    }

    /// Merged busy spans of opaque, confirmed occurrences, clipped to the window.
    func busySpans(calendarID: String, from start: Date, to end: Date) -> [DateInterval] {
        let spans = occurrences(calendarID: calendarID, expand: true, includeDeleted: false, horizon: (start, end))
            .filter { $0.resource["transparency"]?.stringValue != "transparent" }
            .compactMap { interval(of: $0.resource, calendarID: calendarID) }
            .filter { $0.end > start && $0.start < end }
            .map { DateInterval(start: max($0.start, start), end: min($0.end, end)) }
            .sorted { $0.start < $1.start }
        var merged: [DateInterval] = []
        for span in spans {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, span.end))
            } else {
                merged.append(span)
            }
        }
        return merged
    }
}
