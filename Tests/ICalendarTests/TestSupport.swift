import Foundation
import StewardCore
@testable import ICalendar

/// Wraps VEVENT/VTIMEZONE lines in a VCALENDAR (LF line ends: the parser must accept them too).
func calendarText(_ body: String) -> String {
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//Test//EN\n" + body + "\nEND:VCALENDAR\n"
}

func zone(_ id: String) -> TimeZone {
    TimeZone(identifier: id) ?? TimeZone(secondsFromGMT: 0)!
}

let utcZone = zone("UTC")
let berlin = zone("Europe/Berlin")
let newYork = zone("America/New_York")

/// `2026-10-26T08:00:00Z`
func utc(_ iso: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: iso)!
}

/// A wall-clock time in `zone`.
func local(_ zone: TimeZone, _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
    Calendar.gregorian(zone).date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

/// `2026-10-26 09:00` as seen in `zone`.
func wallClock(_ date: Date, _ zone: TimeZone) -> String {
    let parts = Calendar.gregorian(zone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
}

/// A window of whole days in `zone`, `from` inclusive, `to` exclusive.
func window(_ zone: TimeZone, from: (Int, Int, Int), to: (Int, Int, Int)) -> DateInterval {
    DateInterval(start: local(zone, from.0, from.1, from.2), end: local(zone, to.0, to.1, to.2))
}

func occurrences(_ text: String, in window: DateInterval, zone: TimeZone = utcZone) throws -> [CalendarEvent] {
    try ICalendarParser.parse(text).occurrences(in: window, defaultTimeZone: zone, accountID: "ics:test",
                                                calendarID: "default")
}

/// Start times of a series' occurrences, as wall-clock strings in `zone`.
func starts(_ events: [CalendarEvent], _ zone: TimeZone) -> [String] {
    events.map { event in
        switch event.start {
        case .date(let day): day.description
        case .dateTime(let date, _): wallClock(date, zone)
        }
    }
}

func fixture(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "ics", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile)
    }
    return try Data(contentsOf: url)
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ical-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension EventTime {
    var dateValue: Date? {
        if case .dateTime(let date, _) = self { return date }
        return nil
    }

    var zoneName: String? {
        if case .dateTime(_, let zone) = self { return zone }
        return nil
    }

    var localDateValue: LocalDate? {
        if case .date(let day) = self { return day }
        return nil
    }
}
