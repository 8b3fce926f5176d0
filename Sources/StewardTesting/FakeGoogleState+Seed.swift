import Foundation

/// Seeding: accounts, calendars and the kinds of events that trip calendar code up — a weekly series
/// (expanded by `singleEvents=true`), an all-day event, an event written in another zone, a series that
/// crosses a DST change — plus changes "made elsewhere" for incremental sync.
extension FakeGoogleState {
    public enum SeedError: Error, CustomStringConvertible {
        case unknownAccount(String), unknownCalendar(String), unknownEvent(String), refused(String)
        public var description: String {
            switch self {
            case .unknownAccount(let email): "no fake Google account \(email)"
            case .unknownCalendar(let id): "no fake calendar \(id)"
            case .unknownEvent(let id): "no fake event \(id)"
            case .refused(let body): "the fake refused the seeded event: \(body)"
            }
        }
    }

    /// A Google account with its primary calendar (whose id is the address, as at Google).
    public func addAccount(email: String, timeZone: String = "UTC", calendarName: String? = nil) {
        guard accounts[email] == nil else { return }
        accounts[email] = Account(email: email, subject: String(format: "1%020d", accounts.count))
        accountOrder.append(email)
        calendars[email] = CalendarRecord(id: email, summary: calendarName ?? email, timeZone: timeZone, owner: email)
        accounts[email]?.entries.append(CalendarEntry(calendarID: email, accessRole: "owner", primary: true, selected: true, hidden: false))
    }

    /// Another calendar in `email`'s list. `owner` nil makes it shared with them (`accessRole` decides
    /// what they may do); `selected: false` is a calendar they hide in Google Calendar's UI.
    public func addCalendar(id: String, name: String, timeZone: String = "UTC", to email: String, accessRole: String = "owner",
                            selected: Bool = true, hidden: Bool = false, owner: String? = nil) throws {
        guard accounts[email] != nil else { throw SeedError.unknownAccount(email) }
        if calendars[id] == nil {
            calendars[id] = CalendarRecord(id: id, summary: name, timeZone: timeZone, owner: owner ?? (accessRole == "owner" ? email : nil))
        }
        accounts[email]?.entries.append(CalendarEntry(calendarID: id, accessRole: accessRole, primary: false, selected: selected,
                                                      hidden: hidden))
    }

    /// A calendar nobody connected, visible only through `freebusy.query` (another person's, by address).
    public func addPerson(email: String, timeZone: String = "UTC") {
        if calendars[email] == nil { calendars[email] = CalendarRecord(id: email, summary: email, timeZone: timeZone, owner: email) }
    }

    /// Stores an `Event` resource as given (checked against the discovery document); returns its id.
    @discardableResult
    public func addEvent(calendarID: String, _ event: FakeJSON) throws -> String {
        guard calendars[calendarID] != nil else { throw SeedError.unknownCalendar(calendarID) }
        guard case .object(let body) = event else { throw SeedError.refused("not an object") }
        switch store(body, in: calendarID, creator: nil) {
        case .success(let id): return id
        case .failure(let failure): throw SeedError.refused(String(decoding: failure.reply.body, as: UTF8.self))
        }
    }

    /// A timed event written in `timeZone` (not necessarily the calendar's). `organizer` other than the
    /// calendar's owner makes it an invitation from somebody else.
    @discardableResult
    public func addTimedEvent(calendarID: String, summary: String, start: Date, end: Date, timeZone: String,
                              organizer: String? = nil, transparent: Bool = false, attendees: [String] = []) throws -> String {
        guard TimeZone(identifier: timeZone) != nil else { throw SeedError.refused("unknown zone \(timeZone)") }
        var event: [String: FakeJSON] = ["summary": .string(summary), "start": dateTime(start, zoneName: timeZone),
                                         "end": dateTime(end, zoneName: timeZone)]
        if let organizer { event["organizer"] = ["email": .string(organizer)] }
        if transparent { event["transparency"] = "transparent" }
        if !attendees.isEmpty { event["attendees"] = .array(attendees.map { ["email": .string($0)] }) }
        return try addEvent(calendarID: calendarID, .object(event))
    }

    /// An all-day event from `firstDay` through `lastDay` (inclusive; `yyyy-MM-dd`). Google stores the
    /// end as the day after.
    @discardableResult
    public func addAllDayEvent(calendarID: String, summary: String, firstDay: String, lastDay: String? = nil) throws -> String {
        let utc = TimeZone(identifier: "UTC")!
        guard FakeGoogleTime.parseDay(firstDay) != nil, let last = FakeGoogleTime.parseDay(lastDay ?? firstDay),
              let lastDate = FakeGoogleTime.startOfDay(last, zone: utc) else {
            throw SeedError.refused("days must be yyyy-MM-dd")
        }
        let endDay = FakeGoogleTime.dayString(lastDate.addingTimeInterval(86_400), zone: utc)
        return try addEvent(calendarID: calendarID, ["summary": .string(summary), "start": ["date": .string(firstDay)],
                                                     "end": ["date": .string(endDay)]])
    }

    /// A weekly series starting at `firstStart` (wall-clock time kept in `timeZone`, so it crosses DST
    /// changes at the same local time), `count` occurrences or endless, on `byDay` (`MO`, `TU`…) or the
    /// first start's weekday.
    @discardableResult
    public func addWeeklyEvent(calendarID: String, summary: String, firstStart: Date, duration: TimeInterval, timeZone: String,
                               count: Int? = nil, byDay: [String] = []) throws -> String {
        guard TimeZone(identifier: timeZone) != nil else { throw SeedError.refused("unknown zone \(timeZone)") }
        var rule = "RRULE:FREQ=WEEKLY"
        if !byDay.isEmpty { rule += ";BYDAY=" + byDay.joined(separator: ",") }
        if let count { rule += ";COUNT=\(count)" }
        return try addEvent(calendarID: calendarID, [
            "summary": .string(summary), "start": dateTime(firstStart, zoneName: timeZone),
            "end": dateTime(firstStart.addingTimeInterval(duration), zoneName: timeZone), "recurrence": [.string(rule)],
        ])
    }

    /// Changes an event as if the user edited it in Google Calendar (sync sees it).
    public func modifyEvent(calendarID: String, eventID: String, _ changes: [String: FakeJSON]) throws {
        guard let current = findEvent(eventID, calendarID: calendarID), !current.deleted else { throw SeedError.unknownEvent(eventID) }
        var resource = current.resource
        for (key, value) in changes { resource[key] = value == .null ? nil : value }
        resource["updated"] = .string(FakeGoogleTime.utc(now))
        let order = events[calendarID]?[eventID]?.order ?? current.order
        events[calendarID, default: [:]][eventID] = StoredEvent(resource: resource, revision: nextRevision(), order: order)
    }

    /// Deletes an event, a series or one instance as if the user did it in Google Calendar.
    public func removeEvent(calendarID: String, eventID: String) throws {
        guard let current = findEvent(eventID, calendarID: calendarID), !current.deleted else { throw SeedError.unknownEvent(eventID) }
        markDeleted(eventID, current, calendarID: calendarID)
    }

    /// The stored resource of an event or instance (as `events.get` shows it to its calendar).
    public func event(calendarID: String, eventID: String) -> FakeJSON? {
        findEvent(eventID, calendarID: calendarID).map { presented($0, calendarID: calendarID) }
    }

    /// How many events (series count once; deleted ones not at all) a calendar holds.
    public func eventCount(calendarID: String) -> Int {
        (events[calendarID] ?? [:]).values.filter { !$0.deleted && $0.resource["recurringEventId"] == nil }.count
    }
}
