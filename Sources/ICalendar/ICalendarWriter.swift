import Foundation
import StewardCore

/// Writes RFC 5545 text that `ICalendarParser` reads back to the same values.
///
/// Guarantees: CRLF line ends; every physical line at most 75 octets, folded only between Unicode scalars
/// (never inside a UTF-8 sequence); TEXT escaped (`\\ \; \, \n`; line breaks of any kind become `\n`, other
/// control characters are dropped); UIDs and addresses kept on one line so no input can inject properties.
public enum ICalendarWriter {
    public static let productID = "-//Steward//Steward//EN"

    /// A VEVENT block (ending in CRLF) for `draft`: `VALUE=DATE` dates for an all-day draft (end exclusive),
    /// else local times with `TZID=<draft.timeZone>`, or UTC times
    /// when that is not a known zone; `DTSTAMP` is `now` in UTC; marked `X-STEWARD-CREATED:TRUE`.
    public static func event(_ draft: EventDraft, now: Date) -> String {
        var block = EventLines(uid: draft.uid, stamp: now)
        if let days = draft.allDay {
            // RFC 5545 3.6.1: an all-day event is a DATE start and an exclusive DATE end, with no zone.
            block.date("DTSTART", day: CivilCalendar.dayNumber(of: days.lowerBound))
            block.date("DTEND", day: CivilCalendar.dayNumber(of: days.upperBound) + 1)
        } else if let zone = TimeZone(identifier: draft.timeZone), !isUTC(draft.timeZone) {
            block.dateTime("DTSTART", draft.start, zoneID: draft.timeZone, zone: zone)
            block.dateTime("DTEND", max(draft.start, draft.end), zoneID: draft.timeZone, zone: zone)
        } else {
            block.utc("DTSTART", draft.start)
            block.utc("DTEND", max(draft.start, draft.end))
        }
        block.text("SUMMARY", draft.title)
        for attendee in draft.attendees {
            block.participant("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE", attendee)
        }
        block.raw("X-STEWARD-CREATED:TRUE")
        return block.finished()
    }

    /// A VCALENDAR with no events.
    public static func emptyCalendar() -> String {
        calendar(events: [])
    }

    /// A VCALENDAR around `events` (VEVENT blocks as `event(_:now:)` returns them), with a VTIMEZONE for
    /// each IANA id in `timeZones` (rules as of `date`; see `timeZone(_:around:)`) — what a CalDAV PUT or a
    /// new file needs.
    public static func calendar(events: [String], timeZones: [String] = [], around date: Date = Date(),
                                name: String? = nil) -> String {
        var text = lines(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN"])
        if let name { text += lines(["X-WR-CALNAME:" + ICalendarText.escape(name)]) }
        for identifier in Set(timeZones).sorted() where !isUTC(identifier) {
            text += timeZone(identifier, around: date) ?? ""
        }
        for event in events { text += event }
        return text + lines(["END:VCALENDAR"])
    }

    /// UTC is written with `Z`, never as a TZID.
    static func isUTC(_ identifier: String) -> Bool {
        ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Z"].contains(identifier)
    }

    /// `calendar` with `block` inserted before its last `END:VCALENDAR`, in the calendar's own line-ending
    /// style; `nil` when there is no such line.
    static func inserting(_ block: String, into calendar: String) -> String? {
        var searchEnd = calendar.endIndex
        while let range = calendar.range(of: "END:VCALENDAR", options: [.backwards, .caseInsensitive],
                                         range: calendar.startIndex..<searchEnd) {
            let atLineStart = range.lowerBound == calendar.startIndex
                || calendar[calendar.index(before: range.lowerBound)] == "\n"
                || calendar[calendar.index(before: range.lowerBound)] == "\r\n"
            if atLineStart {
                let usesCRLF = calendar.contains("\r\n")
                let text = usesCRLF ? block : block.replacingOccurrences(of: "\r\n", with: "\n")
                return String(calendar[..<range.lowerBound]) + text + String(calendar[range.lowerBound...])
            }
            searchEnd = range.lowerBound
        }
        return nil
    }

    /// Each line folded and ended with CRLF.
    static func lines(_ lines: [String]) -> String {
        var text = ""
        for line in lines { text += fold(line) + "\r\n" }
        return text
    }

    /// Splits a content line into physical lines of at most 75 octets, continuation lines starting with a
    /// space (which counts towards their 75), breaking only between Unicode scalars.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var used = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if used + size > limit {
                out += "\r\n "
                used = 1
                limit = 75
            }
            out.unicodeScalars.append(scalar)
            used += size
        }
        return out
    }

    /// `20261123T090000` in `clock`'s zone (whole seconds).
    static func localStamp(_ date: Date, _ clock: ZoneClock) -> String {
        let local = clock.local(date)
        return stamp(day: local.day, secondOfDay: local.secondOfDay)
    }

    /// `20261123T080000Z`
    static func utcStamp(_ date: Date) -> String {
        let seconds = CivilCalendar.seconds(date)
        let day = CivilCalendar.floorDiv(seconds, CivilCalendar.secondsPerDay)
        return stamp(day: day, secondOfDay: seconds - day * CivilCalendar.secondsPerDay) + "Z"
    }

    static func dateStamp(day: Int) -> String {
        let date = CivilCalendar.date(ofDay: day)
        return CivilCalendar.pad(date.year, 4) + CivilCalendar.pad(date.month, 2) + CivilCalendar.pad(date.day, 2)
    }

    private static func stamp(day: Int, secondOfDay: Int) -> String {
        dateStamp(day: day) + "T" + CivilCalendar.pad(secondOfDay / 3600, 2) + CivilCalendar.pad(secondOfDay / 60 % 60, 2)
            + CivilCalendar.pad(secondOfDay % 60, 2)
    }
}

/// The lines of one VEVENT being written.
struct EventLines {
    private var lines: [String]

    init(uid: String, stamp: Date) {
        lines = ["BEGIN:VEVENT", "UID:" + ICalendarText.singleLine(uid), "DTSTAMP:" + ICalendarWriter.utcStamp(stamp)]
    }

    mutating func raw(_ line: String) { lines.append(line) }

    mutating func text(_ name: String, _ value: String) {
        lines.append(name + ":" + ICalendarText.escape(value))
    }

    mutating func dateTime(_ name: String, _ date: Date, zoneID: String, zone: TimeZone) {
        lines.append(name + ";TZID=" + Self.parameterValue(zoneID) + ":" + ICalendarWriter.localStamp(date, ZoneClock(zone)))
    }

    mutating func utc(_ name: String, _ date: Date) {
        lines.append(name + ":" + ICalendarWriter.utcStamp(date))
    }

    mutating func date(_ name: String, day: Int) {
        lines.append(name + ";VALUE=DATE:" + ICalendarWriter.dateStamp(day: day))
    }

    /// `mailto:` added unless the address already is a URI.
    mutating func participant(_ nameAndParameters: String, _ address: String, commonName: String? = nil) {
        let clean = ICalendarText.singleLine(address).trimmingCharacters(in: .whitespaces)
        let uri = clean.contains(":") ? clean : "mailto:" + clean
        let name = commonName.map { ";CN=" + Self.parameterValue($0) } ?? ""
        lines.append(nameAndParameters + name + ":" + uri)
    }

    func finished() -> String {
        ICalendarWriter.lines(lines + ["END:VEVENT"])
    }

    /// A parameter value, quoted when it contains `:`, `;` or `,` (a DQUOTE cannot be represented, so it
    /// is dropped).
    static func parameterValue(_ value: String) -> String {
        let clean = ICalendarText.singleLine(value).replacingOccurrences(of: "\"", with: "")
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"" + clean + "\"" : clean
    }
}
