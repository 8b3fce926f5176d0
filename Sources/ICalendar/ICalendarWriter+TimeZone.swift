import Foundation
import StewardCore

extension ICalendarWriter {
    /// A VTIMEZONE block for an IANA zone, so that files Steward writes stay valid RFC 5545 for other
    /// programs (every TZID a file uses should be defined in it). `nil` for an unknown identifier.
    ///
    /// The rules are those in force in the year of `date`: each DST transition of that year becomes a
    /// STANDARD or DAYLIGHT observance repeating yearly on the same nth (or last) weekday of its month,
    /// anchored in 1970 as calendar programs write them. A zone without DST gets one STANDARD observance.
    /// Steward's own parser reads zones from the system database, so this only matters to other readers.
    public static func timeZone(_ identifier: String, around date: Date) -> String? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        let clock = ZoneClock(zone)
        let year = CivilCalendar.date(ofDay: clock.local(date).day).year
        let yearStart = Date(timeIntervalSince1970: TimeInterval(CivilCalendar.dayNumber(year: year, month: 1, day: 1)
            * CivilCalendar.secondsPerDay - CivilCalendar.secondsPerDay))
        let yearEnd = yearStart.addingTimeInterval(368 * 86_400)
        var transitions: [Date] = []
        var cursor = yearStart
        while transitions.count < 2, let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < yearEnd {
            transitions.append(next)
            cursor = next
        }

        var lines = ["BEGIN:VTIMEZONE", "TZID:" + identifier, "X-LIC-LOCATION:" + identifier]
        if transitions.count < 2 {
            let offset = zone.secondsFromGMT(for: date)
            lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offsetText(offset),
                      "TZOFFSETTO:" + offsetText(offset), "END:STANDARD"]
        } else {
            for transition in transitions {
                let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
                let after = zone.secondsFromGMT(for: transition)
                let kind = zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD"
                // The onset is written in the wall-clock time in force before the change (RFC 5545 §3.6.5).
                let local = CivilCalendar.seconds(transition) + before
                let day = CivilCalendar.floorDiv(local, CivilCalendar.secondsPerDay)
                let secondOfDay = local - day * CivilCalendar.secondsPerDay
                let (onsetYear, month, dayOfMonth) = CivilCalendar.date(ofDay: day)
                let weekday = CivilCalendar.weekday(ofDay: day)
                let last = dayOfMonth > CivilCalendar.daysInMonth(year: onsetYear, month: month) - 7
                let ordinal = last ? -1 : (dayOfMonth - 1) / 7 + 1
                let onset1970 = nthWeekday(ordinal, weekday, year: 1970, month: month)
                lines += ["BEGIN:" + kind,
                          "DTSTART:" + dateStamp(day: onset1970) + "T" + CivilCalendar.pad(secondOfDay / 3600, 2)
                            + CivilCalendar.pad(secondOfDay / 60 % 60, 2) + CivilCalendar.pad(secondOfDay % 60, 2),
                          "RRULE:FREQ=YEARLY;BYMONTH=\(month);BYDAY=\(ordinal)"
                            + RecurrenceRule.code(Weekday(rawValue: weekday) ?? .sunday),
                          "TZOFFSETFROM:" + offsetText(before), "TZOFFSETTO:" + offsetText(after),
                          "END:" + kind]
            }
        }
        lines.append("END:VTIMEZONE")
        return ICalendarWriter.lines(lines)
    }

    /// `+0100`, `-0500`, `+0545` (seconds only when the offset has them).
    static func offsetText(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        var text = (seconds < 0 ? "-" : "+") + CivilCalendar.pad(magnitude / 3600, 2) + CivilCalendar.pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { text += CivilCalendar.pad(magnitude % 60, 2) }
        return text
    }

    /// The day number of the `ordinal`-th (`-1` = last) `weekday` of a month.
    private static func nthWeekday(_ ordinal: Int, _ weekday: Int, year: Int, month: Int) -> Int {
        let first = CivilCalendar.dayNumber(year: year, month: month, day: 1)
        let length = CivilCalendar.daysInMonth(year: year, month: month)
        if ordinal < 0 {
            let lastDay = first + length - 1
            return lastDay - (CivilCalendar.weekday(ofDay: lastDay) - weekday + 7) % 7
        }
        return first + (weekday - CivilCalendar.weekday(ofDay: first) + 7) % 7 + 7 * (ordinal - 1)
    }

    /// `calendar` with a VTIMEZONE for `identifier` added before its first VEVENT (or its end) unless it
    /// already defines that TZID; unchanged when the identifier is not a known zone.
    static func addingTimeZone(_ identifier: String, around date: Date, to calendar: String) -> String {
        let usesCRLF = calendar.contains("\r\n")
        guard !calendar.contains("TZID:" + identifier + (usesCRLF ? "\r\n" : "\n")),
              let block = timeZone(identifier, around: date) else { return calendar }
        let text = usesCRLF ? block : block.replacingOccurrences(of: "\r\n", with: "\n")
        if let range = calendar.range(of: "BEGIN:VEVENT", options: .caseInsensitive),
           range.lowerBound == calendar.startIndex || calendar[calendar.index(before: range.lowerBound)].isNewline {
            return String(calendar[..<range.lowerBound]) + text + String(calendar[range.lowerBound...])
        }
        return inserting(text, into: calendar) ?? calendar
    }
}
