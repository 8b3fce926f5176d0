import Foundation

/// Times as Calendar v3 writes them, for the fake. Written independently of the client's parser so a
/// mistake in one is not mirrored by the other.
enum FakeGoogleTime {
    /// RFC 3339 with a mandatory offset (`Z` or `±hh:mm`), optional fractional seconds.
    static func parse(_ text: String) -> Date? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#
        guard let match = text.range(of: pattern, options: .regularExpression), match == text.startIndex..<text.endIndex else {
            return nil
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Wall-clock time in `zone` with its offset, as Google writes `dateTime` (`2026-03-29T09:00:00+02:00`).
    static func format(_ date: Date, zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: date)
        // ISO8601DateFormatter writes `Z` for a zero offset; Google writes `Z` only for UTC itself.
        if text.hasSuffix("Z"), zone.identifier != "UTC", zone.identifier != "GMT" {
            return String(text.dropLast()) + "+00:00"
        }
        return text
    }

    static func utc(_ date: Date) -> String { format(date, zone: TimeZone(identifier: "UTC")!) }

    /// `2026-03-29`, checked.
    static func parseDay(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return DateComponents(year: year, month: month, day: day)
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Midnight starting `day` in `zone`.
    static func startOfDay(_ day: DateComponents, zone: TimeZone) -> Date? {
        calendar(zone).date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }

    static func dayString(_ date: Date, zone: TimeZone) -> String {
        let parts = calendar(zone).dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The suffix Google gives instance ids: `20260329T070000Z` for timed, `20260329` for all-day.
    static func instanceSuffix(_ start: Date, allDay: Bool, zone: TimeZone) -> String {
        if allDay { return dayString(start, zone: zone).replacingOccurrences(of: "-", with: "") }
        let parts = calendar(TimeZone(identifier: "UTC")!).dateComponents([.year, .month, .day, .hour, .minute, .second], from: start)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}

/// The subset of RFC 5545 recurrence rules the fake expands: `FREQ=DAILY|WEEKLY` with `INTERVAL`,
/// `COUNT`, `UNTIL` and (weekly) `BYDAY`. Expansion keeps the wall-clock time in the event's zone, so a
/// weekly 09:00 stays 09:00 across a DST change, as Google does.
struct FakeGoogleRecurrence: Sendable {
    enum Frequency: String, Sendable { case daily = "DAILY", weekly = "WEEKLY" }
    var frequency: Frequency
    var interval = 1
    var count: Int?
    var until: Date?
    var byDay: [Int] = []  // Foundation weekdays, Sunday = 1

    /// Reads the `RRULE:` line of an event's `recurrence`; nil when absent or not supported.
    init?(lines: [String]) {
        guard let rule = lines.first(where: { $0.hasPrefix("RRULE:") }) else { return nil }
        var frequency: Frequency?
        for part in rule.dropFirst("RRULE:".count).split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            switch pair[0] {
            case "FREQ": frequency = Frequency(rawValue: pair[1])
            case "INTERVAL": interval = max(1, Int(pair[1]) ?? 1)
            case "COUNT": count = Int(pair[1])
            case "UNTIL": until = Self.parseUntil(pair[1])
            case "BYDAY":
                let names = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
                byDay = pair[1].split(separator: ",").compactMap { names.firstIndex(of: String($0)).map { $0 + 1 } }
            case "WKST": break
            default: return nil
            }
        }
        guard let frequency else { return nil }
        self.frequency = frequency
    }

    private static func parseUntil(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = text.count == 8 ? "yyyyMMdd" : "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }

    /// Starts of the occurrences, in order, from `first` while before `limit` (at most `cap` of them).
    func starts(first: Date, zone: TimeZone, limit: Date, cap: Int = 3000) -> [Date] {
        let calendar = FakeGoogleTime.calendar(zone)
        let time = calendar.dateComponents([.hour, .minute, .second], from: first)
        let firstDay = calendar.startOfDay(for: first)
        var result: [Date] = []
        var period = 0
        while result.count < cap {
            let stepDays = frequency == .daily ? period * interval : period * interval * 7
            guard let base = calendar.date(byAdding: .day, value: stepDays, to: firstDay) else { break }
            var days = [base]
            if frequency == .weekly, !byDay.isEmpty {
                let baseWeekday = calendar.component(.weekday, from: base)
                let mondayFirst = { (weekday: Int) in (weekday + 5) % 7 }
                days = byDay.sorted { mondayFirst($0) < mondayFirst($1) }.compactMap {
                    calendar.date(byAdding: .day, value: mondayFirst($0) - mondayFirst(baseWeekday), to: base)
                }
            }
            for day in days {
                var parts = calendar.dateComponents([.year, .month, .day], from: day)
                parts.hour = time.hour
                parts.minute = time.minute
                parts.second = time.second
                guard let start = calendar.date(from: parts), start >= first else { continue }
                if let until, start > until { return result }
                if start >= limit { return result }
                if let count, result.count >= count { return result }
                result.append(start)
            }
            period += 1
        }
        return result
    }
}
