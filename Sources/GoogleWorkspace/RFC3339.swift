import Foundation

/// RFC 3339 timestamps as Google's APIs write and expect them: `2026-03-29T14:00:00+02:00`,
/// `…Z`, optionally with fractional seconds (ignored by Google, accepted here).
enum RFC3339 {
    /// Parses a timestamp with a mandatory offset; nil for anything else.
    static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[from..<(from + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard scalars.count >= 20, scalars[4] == 45, scalars[7] == 45, scalars[10] == 84 || scalars[10] == 116,
              scalars[13] == 58, scalars[16] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == 46 {
            index += 1
            var scale = 0.1
            while index < scalars.count, (48...57).contains(scalars[index]) {
                fraction += Double(scalars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < scalars.count else { return nil }
        var offset = 0
        switch scalars[index] {
        case 90, 122:  // Z
            guard index + 1 == scalars.count else { return nil }
        case 43, 45:  // + -
            guard index + 6 == scalars.count, scalars[index + 3] == 58,
                  let hours = number(index + 1, 2), let minutes = number(index + 4, 2) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (scalars[index] == 45 ? -1 : 1)
        default:
            return nil
        }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61,
              let local = utcCalendar.date(from: components) else { return nil }
        return local.addingTimeInterval(fraction - TimeInterval(offset))
    }

    /// `date` in UTC with `Z`, as query parameters and free/busy bodies carry it.
    static func format(_ date: Date) -> String {
        format(date, in: TimeZone(secondsFromGMT: 0)!, zulu: true)
    }

    /// `date` as wall-clock time in `zone` with that zone's offset (`+00:00` for a zero offset), whole seconds.
    static func format(_ date: Date, in zone: TimeZone) -> String {
        format(date, in: zone, zulu: false)
    }

    private static func format(_ date: Date, in zone: TimeZone, zulu: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let stamp = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                           parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        if zulu { return stamp + "Z" }
        let offset = zone.secondsFromGMT(for: whole)
        let sign = offset < 0 ? "-" : "+"
        return stamp + sign + String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
