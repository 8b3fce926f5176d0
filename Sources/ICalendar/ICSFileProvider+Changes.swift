import Foundation
import StewardCore

/// `/move` and `/cancel` on events in the file, like any other calendar.
///
/// Guarantees: the event keeps its UID (a moved event is the same event to every program that reads the
/// file); only the VEVENT blocks of that event change, the rest of the file stays byte for byte; writes
/// are atomic and serialised with `createEvent`; afterwards the cached parse is the file as written.
/// A moved single event gets its new DTSTART/DTEND (in the zone asked for), a higher SEQUENCE and a new
/// DTSTAMP. Cancelling a single event removes it (with any overrides); cancelling one occurrence of a
/// repeating event adds an EXDATE to the series (and drops that occurrence's override). Moving one
/// occurrence of a repeating event is refused before any card, in one line. Nobody is e-mailed.
extension ICSFileProvider {
    public var canChangeEvents: Bool { true }

    /// Attendees are only written down in the file: nothing sends them anything.
    public var canNotifyAttendees: Bool { false }

    public func moveRefusal(for event: CalendarEvent) -> String? {
        guard Self.instanceKey(of: event.id) != nil else { return nil }
        return "it is one occurrence of a repeating event in \(fileURL.lastPathComponent), and I can't move a single "
            + "occurrence in a calendar file: move it in the app that keeps that calendar."
    }

    public func moveEvent(id: String, calendarID: String, start: Date, end: Date, timeZone: String,
                          notifyAttendees: Bool) async throws -> CalendarEvent {
        try checkCalendar(calendarID)
        guard end >= start else { throw CalendarError("The event would end before it starts.") }
        return try Self.writeLock.withLock { try move(id: id, start: start, end: end, timeZone: timeZone) }
    }

    public func cancelEvent(id: String, calendarID: String, notifyAttendees: Bool) async throws {
        try checkCalendar(calendarID)
        try Self.writeLock.withLock { try cancel(id: id) }
    }

    // MARK: - Under the write lock

    private func move(id: String, start: Date, end: Date, timeZone: String) throws -> CalendarEvent {
        let (text, document) = try current()
        let masters = document.events.filter { $0.uid == id && $0.recurrenceIDValue == nil }
        guard !masters.isEmpty else {
            if let refusal = moveRefusal(for: CalendarEvent(id: id, title: "", start: .dateTime(start, timeZone: nil),
                                                            end: .dateTime(end, timeZone: nil))) {
                throw CalendarError.unsupported(refusal)
            }
            throw CalendarError("The event is no longer in \(fileURL.lastPathComponent).")
        }
        guard !masters.contains(where: \.isRecurring) else {
            throw CalendarError.unsupported("It is a repeating event in \(fileURL.lastPathComponent); I can't move a whole series there.")
        }
        guard !masters.contains(where: \.startValue.isDate) else {
            throw CalendarError.unsupported("It is an all-day event; I can only move events that have a start time.")
        }
        let stamp = "DTSTAMP:" + ICalendarWriter.utcStamp(Date())
        let times = ICalendarWriter.timedLines(start: start, end: end, timeZone: timeZone)
        let sequence = "SEQUENCE:\((masters.map(\.sequence).max() ?? 0) + 1)"
        var edit = ICalendarTextEdit(text)
        // Overrides of a single event would show instead of the moved event: they go. Bottom to top, so
        // the line numbers of the blocks still to do stay right.
        let overrides = document.events.filter { $0.uid == id && $0.recurrenceIDValue != nil }.map(\.line)
        for line in (masters.map(\.line) + overrides).sorted(by: >) {
            let done = overrides.contains(line) ? edit.removeBlocks(at: [line]) : edit.rewrite(blockAt: line) { name, _ in
                switch name {
                case "DTSTART": times + [sequence]
                case "DTEND", "DURATION", "SEQUENCE": []
                case "DTSTAMP": [stamp]
                default: nil
                }
            }
            guard done else { throw unreadable() }
        }
        var text2 = edit.text
        if !ICalendarWriter.isUTC(timeZone) {
            text2 = ICalendarWriter.addingTimeZone(timeZone, around: start, to: text2)
        }
        let written = try write(text2)
        guard let moved = written.firstOccurrence(uid: id, defaultTimeZone: defaultTimeZone, accountID: accountID,
                                                  calendarID: Self.calendarID) else {
            throw CalendarError("The event was moved in \(fileURL.lastPathComponent) but could not be read back.")
        }
        return moved
    }

    private func cancel(id: String) throws {
        let (text, document) = try current()
        var edit = ICalendarTextEdit(text)
        let whole = document.events.filter { $0.uid == id }
        if !whole.isEmpty {
            // A single event (or a whole series named by its UID): every block of it goes.
            guard edit.removeBlocks(at: whole.map(\.line)) else { throw unreadable() }
        } else if let (uid, key) = Self.instanceKey(of: id) {
            guard let exclusion = ICalendarWriter.exclusion(ofInstance: key) else { throw unreadable() }
            let resolver = ZoneResolver(defaultTimeZone: defaultTimeZone, aliases: document.timeZoneAliases)
            let series = document.events.filter { $0.uid == uid && $0.recurrenceIDValue == nil }
            let overrides = document.events.filter { event in
                guard event.uid == uid, let value = event.recurrenceIDValue else { return false }
                return (value.isDate ? value.localDate.description : CivilCalendar.isoUTC(resolver.instant(value))) == key
            }
            guard !series.isEmpty || !overrides.isEmpty else { return }
            let stamp = "DTSTAMP:" + ICalendarWriter.utcStamp(Date())
            for event in (series + overrides).sorted(by: { $0.line > $1.line }) {
                let done = event.recurrenceIDValue != nil ? edit.removeBlocks(at: [event.line])
                    : edit.rewrite(blockAt: event.line, appending: [exclusion]) { name, _ in name == "DTSTAMP" ? [stamp] : nil }
                guard done else { throw unreadable() }
            }
        } else {
            // Already gone: the outcome the user asked for.
            return
        }
        _ = try write(edit.text)
    }

    /// The file's text and its parse, read now (not from cache): a change is made to what is on disk.
    private func current() throws -> (String, ICalendarDocument) {
        guard FileManager.default.fileExists(atPath: fileURL.path) else {
            throw CalendarError("The calendar file \(fileURL.lastPathComponent) does not exist any more.")
        }
        let text = try readText()
        do {
            return (text, try ICalendarParser.parse(Data(text.utf8), defaultTimeZone: defaultTimeZone))
        } catch let error as ICalendarError {
            throw CalendarError("The calendar file \(fileURL.lastPathComponent) is not valid iCalendar (\(error)); Steward will not change it.")
        }
    }

    /// Writes `text`, then caches the file as written so the next answer shows the change.
    private func write(_ text: String) throws -> ICalendarDocument {
        try writeAtomically(text)
        let (document, stamp) = try read()
        if let stamp { cache.withLock { $0 = CachedFile(stamp: stamp, document: document) } }
        return document
    }

    private func checkCalendar(_ calendarID: String) throws {
        guard calendarID == Self.calendarID else {
            throw CalendarError("The calendar file \(fileURL.lastPathComponent) has one calendar, '\(Self.calendarID)'; there is no calendar '\(calendarID)'.")
        }
    }

    private func unreadable() -> CalendarError {
        CalendarError("The event's lines in \(fileURL.lastPathComponent) are not where its parse says; nothing was changed.")
    }

    /// `(uid, key)` of an occurrence id `UID#<original start>`; nil for a single event's id.
    static func instanceKey(of id: String) -> (uid: String, key: String)? {
        guard let hash = id.lastIndex(of: "#") else { return nil }
        let key = String(id[id.index(after: hash)...])
        guard ICalendarWriter.exclusion(ofInstance: key) != nil else { return nil }
        return (String(id[..<hash]), key)
    }
}
