import Foundation

/// How stored events become what `events.list` shows: recurring series expanded into instances
/// (`singleEvents=true`), exceptions in place of the instances they replace, `self` flags filled in
/// for the calendar being read.
extension FakeGoogleState {
    struct Occurrence {
        var id: String
        var resource: [String: FakeJSON]
        var revision: Int
        var deleted: Bool
        var order: Int
    }

    /// The events of `calendarID`, series expanded when `expand`, within `horizon` for expansion.
    func occurrences(calendarID: String, expand: Bool, includeDeleted: Bool, horizon: (Date?, Date?)) -> [Occurrence] {
        let stored = events[calendarID] ?? [:]
        var result: [Occurrence] = []
        for (id, event) in stored.sorted(by: { $0.value.order < $1.value.order }) {
            let isException = event.resource["recurringEventId"] != nil
            let isSeries = event.resource["recurrence"] != nil
            if !expand || (!isSeries && !isException) {
                result.append(Occurrence(id: id, resource: event.resource, revision: event.revision, deleted: event.deleted, order: event.order))
                continue
            }
            if isException {
                // Shown through its series; kept on its own only when the series is gone from the store.
                if let series = event.resource["recurringEventId"]?.stringValue, stored[series] != nil { continue }
                result.append(Occurrence(id: id, resource: event.resource, revision: event.revision, deleted: event.deleted, order: event.order))
                continue
            }
            result += instances(of: id, event, in: calendarID, stored: stored, horizon: horizon)
        }
        return result.filter { includeDeleted || !$0.deleted }
    }

    private func instances(of seriesID: String, _ series: StoredEvent, in calendarID: String, stored: [String: StoredEvent],
                           horizon: (Date?, Date?)) -> [Occurrence] {
        let lines = series.resource["recurrence"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard let rule = FakeGoogleRecurrence(lines: lines), let start = series.resource["start"],
              let end = series.resource["end"], let first = instant(start, calendarID: calendarID),
              let firstEnd = instant(end, calendarID: calendarID) else { return [] }
        let allDay = start["date"] != nil
        let zone = zone(of: start, calendarID: calendarID)
        // Instances carry the series' zone name as written (Linux Foundation renames "UTC" to "GMT").
        let zoneName = start["timeZone"]?.stringValue ?? calendars[calendarID]?.timeZone ?? "UTC"
        let limit = horizon.1 ?? (horizon.0 ?? first).addingTimeInterval(400 * 86_400)
        let dayCalendar = FakeGoogleTime.calendar(zone)
        let spanDays = dayCalendar.dateComponents([.day], from: first, to: firstEnd).day ?? 1
        let span = firstEnd.timeIntervalSince(first)
        var result: [Occurrence] = []
        for instanceStart in rule.starts(first: first, zone: zone, limit: limit) {
            let instanceID = seriesID + "_" + FakeGoogleTime.instanceSuffix(instanceStart, allDay: allDay, zone: zone)
            if let exception = stored[instanceID] {
                result.append(Occurrence(id: instanceID, resource: exception.resource,
                                         revision: max(exception.revision, series.revision),
                                         deleted: exception.deleted || series.deleted, order: series.order))
                continue
            }
            var resource = series.resource
            resource["recurrence"] = nil
            resource["id"] = .string(instanceID)
            resource["recurringEventId"] = .string(seriesID)
            if allDay {
                let endDay = dayCalendar.date(byAdding: .day, value: spanDays, to: instanceStart) ?? instanceStart
                resource["start"] = ["date": .string(FakeGoogleTime.dayString(instanceStart, zone: zone))]
                resource["end"] = ["date": .string(FakeGoogleTime.dayString(endDay, zone: zone))]
            } else {
                resource["start"] = dateTime(instanceStart, zoneName: zoneName)
                resource["end"] = dateTime(instanceStart.addingTimeInterval(span), zoneName: zoneName)
            }
            resource["originalStartTime"] = resource["start"]
            if series.deleted { resource["status"] = "cancelled" }
            result.append(Occurrence(id: instanceID, resource: resource, revision: series.revision, deleted: series.deleted,
                                     order: series.order))
        }
        return result
    }

    /// An `EventDateTime` for `date`, written in the zone named `zoneName` (which must exist).
    func dateTime(_ date: Date, zoneName: String) -> FakeJSON {
        let zone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!
        return ["dateTime": .string(FakeGoogleTime.format(date, zone: zone)), "timeZone": .string(zoneName)]
    }

    /// The zone an `EventDateTime` is written in: its own, else its calendar's.
    func zone(of value: FakeJSON, calendarID: String) -> TimeZone {
        if let name = value["timeZone"]?.stringValue, let zone = TimeZone(identifier: name) { return zone }
        return TimeZone(identifier: calendars[calendarID]?.timeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
    }

    /// The instant an `EventDateTime` denotes (an all-day date starts at midnight in the calendar's zone).
    func instant(_ value: FakeJSON, calendarID: String) -> Date? {
        if let day = value["date"]?.stringValue {
            guard let parts = FakeGoogleTime.parseDay(day) else { return nil }
            let zone = TimeZone(identifier: calendars[calendarID]?.timeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
            return FakeGoogleTime.startOfDay(parts, zone: zone)
        }
        guard let text = value["dateTime"]?.stringValue else { return nil }
        if let date = FakeGoogleTime.parse(text) { return date }
        // Without an offset the time is wall-clock time in `timeZone`, which must then be given.
        guard value["timeZone"]?.stringValue != nil else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone(of: value, calendarID: calendarID)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: text)
    }

    func interval(of resource: [String: FakeJSON], calendarID: String) -> DateInterval? {
        guard let start = resource["start"].flatMap({ instant($0, calendarID: calendarID) }),
              let end = resource["end"].flatMap({ instant($0, calendarID: calendarID) }), end >= start else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// The resource as the reader of `calendarID` sees it: `self` set on organizer, creator and attendees.
    func presented(_ occurrence: Occurrence, calendarID: String) -> FakeJSON {
        if occurrence.deleted {
            var minimal: [String: FakeJSON] = ["kind": "calendar#event", "id": .string(occurrence.id), "status": "cancelled",
                                               "etag": .string("\"\(occurrence.revision)\"")]
            minimal["recurringEventId"] = occurrence.resource["recurringEventId"]
            minimal["originalStartTime"] = occurrence.resource["originalStartTime"]
            return .object(minimal)
        }
        var resource = occurrence.resource
        let owner = calendars[calendarID]?.owner ?? calendarID
        for key in ["organizer", "creator"] {
            guard var person = resource[key]?.objectValue else { continue }
            if person["email"]?.stringValue == owner || person["email"]?.stringValue == calendarID { person["self"] = true }
            resource[key] = .object(person)
        }
        if let attendees = resource["attendees"]?.arrayValue {
            resource["attendees"] = .array(attendees.map { attendee in
                guard var fields = attendee.objectValue else { return attendee }
                if fields["email"]?.stringValue == owner { fields["self"] = true }
                return .object(fields)
            })
        }
        resource["etag"] = .string("\"\(occurrence.revision)\"")
        return .object(resource)
    }
}
