import Foundation

/// A calendar date with no time and no zone: what an all-day event is (never "midnight UTC").
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The local date of `date` as seen in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let parts = Calendar.gregorian(timeZone).dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD`.
    public init?(iso text: String) {
        let digits = text.filter { $0 != "-" }
        guard digits.count == 8, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let candidate = LocalDate(year: value / 10000, month: value / 100 % 100, day: value % 100)
        guard candidate.isValid else { return nil }
        self = candidate
    }

    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        var parts = DateComponents(year: year, month: month, day: 1)
        parts.calendar = Calendar.gregorian(TimeZone(identifier: "UTC")!)
        guard let first = parts.date,
              let range = Calendar.gregorian(TimeZone(identifier: "UTC")!).range(of: .day, in: .month, for: first)
        else { return false }
        return range.contains(day)
    }

    /// Local midnight of this date in `timeZone` (DST-safe: the first instant of the day).
    public func startOfDay(in timeZone: TimeZone) -> Date {
        let calendar = Calendar.gregorian(timeZone)
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        return calendar.startOfDay(for: noon)
    }

    /// The whole local day as an interval (23 or 25 hours on DST change days).
    public func interval(in timeZone: TimeZone) -> DateInterval {
        DateInterval(start: startOfDay(in: timeZone), end: adding(days: 1).startOfDay(in: timeZone))
    }

    public func adding(days: Int) -> LocalDate {
        let utc = TimeZone(identifier: "UTC")!
        let calendar = Calendar.gregorian(utc)
        let moved = calendar.date(byAdding: .day, value: days, to: startOfDay(in: utc))!
        return LocalDate(moved, in: utc)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: LocalDate) -> Int {
        let utc = TimeZone(identifier: "UTC")!
        return Int((other.startOfDay(in: utc).timeIntervalSince(startOfDay(in: utc)) / 86_400).rounded())
    }

    public var weekday: Weekday {
        let utc = TimeZone(identifier: "UTC")!
        return Weekday(rawValue: Calendar.gregorian(utc).component(.weekday, from: startOfDay(in: utc)))!
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `2026-11-23`
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// Days of the week, numbered as Foundation's Gregorian calendar numbers them (Sunday = 1).
public enum Weekday: Int, Codable, Sendable, CaseIterable, Comparable {
    case sunday = 1, monday, tuesday, wednesday, thursday, friday, saturday

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.mondayFirstIndex < rhs.mondayFirstIndex }

    /// Monday = 0 … Sunday = 6, the order people write `mon-fri` in.
    public var mondayFirstIndex: Int { (rawValue + 5) % 7 }

    public var shortName: String {
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][rawValue - 1]
    }

    /// Accepts `mon`, `monday`, `Mon.` and the like.
    public init?(name: String) {
        let key = name.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        guard key.count >= 2,
              let index = names.firstIndex(where: { key.hasPrefix($0) || ($0.hasPrefix(key) && key.count >= 2) })
        else { return nil }
        let full = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        guard key.count <= 3 || full[index].hasPrefix(key) || key == "tues" || key == "thur" || key == "thurs"
        else { return nil }
        self.init(rawValue: index + 1)
    }
}

extension Calendar {
    /// A Gregorian calendar fixed to `timeZone`; every date computation in Steward goes through one.
    public static func gregorian(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }
}
