import Foundation
import StewardCore

/// A parsed RRULE (RFC 5545 §3.3.10).
///
/// Supported for expansion: FREQ=DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL, COUNT, UNTIL, BYDAY (with ordinals
/// for MONTHLY and YEARLY), BYMONTHDAY, BYMONTH, BYSETPOS, WKST. Sub-daily frequencies and the BYYEARDAY,
/// BYWEEKNO, BYHOUR, BYMINUTE and BYSECOND parts are kept as read but not expanded: such a series yields
/// its first instance only (see `isExpandable`), rather than a wrong set of instances.
public struct RecurrenceRule: Hashable, Sendable {
    public enum Frequency: String, Hashable, Sendable {
        case secondly = "SECONDLY", minutely = "MINUTELY", hourly = "HOURLY"
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    /// A BYDAY entry: `MO`, `1MO` (first Monday), `-1FR` (last Friday).
    public struct WeekdayOccurrence: Hashable, Sendable {
        public var weekday: Weekday
        /// `nil` = every such weekday in the period.
        public var ordinal: Int?

        public init(_ weekday: Weekday, ordinal: Int? = nil) {
            self.weekday = weekday
            self.ordinal = ordinal
        }
    }

    public var frequency: Frequency
    public var interval: Int
    public var count: Int?
    /// Inclusive. A DATE, or (as RFC 5545 requires when DTSTART has a zone) a UTC DATE-TIME.
    public var until: ICalendarDateTime?
    public var byDay: [WeekdayOccurrence]
    public var byMonthDay: [Int]
    public var byMonth: [Int]
    public var bySetPosition: [Int]
    public var weekStart: Weekday
    /// Parts read but not expanded (`BYHOUR`, `BYWEEKNO`, …), upper-cased names.
    public var unsupportedParts: [String]

    public init(frequency: Frequency, interval: Int = 1, count: Int? = nil, until: ICalendarDateTime? = nil,
                byDay: [WeekdayOccurrence] = [], byMonthDay: [Int] = [], byMonth: [Int] = [],
                bySetPosition: [Int] = [], weekStart: Weekday = .monday, unsupportedParts: [String] = []) {
        self.frequency = frequency
        self.interval = interval
        self.count = count
        self.until = until
        self.byDay = byDay
        self.byMonthDay = byMonthDay
        self.byMonth = byMonth
        self.bySetPosition = bySetPosition
        self.weekStart = weekStart
        self.unsupportedParts = unsupportedParts
    }

    /// Whether `RecurrenceExpander` can produce this rule's instances faithfully.
    public var isExpandable: Bool {
        unsupportedParts.isEmpty && [.daily, .weekly, .monthly, .yearly].contains(frequency)
    }

    /// Parses `FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T235959Z`. Unknown parts (including `X-` ones) are
    /// ignored; a known part with a bad value is an error, so a broken rule is reported rather than guessed.
    public init(parsing text: String) throws(RecurrenceRuleError) {
        var frequency: Frequency?
        var rule = RecurrenceRule(frequency: .daily)
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            guard let equals = part.firstIndex(of: "=") else { throw .init("'\(part)' is not NAME=VALUE") }
            let name = String(part[..<equals]).asciiUppercased
            let value = String(part[part.index(after: equals)...])
            switch name {
            case "FREQ":
                guard let parsed = Frequency(rawValue: value.asciiUppercased) else { throw .init("unknown FREQ \(value)") }
                frequency = parsed
            case "INTERVAL":
                guard let number = Int(value), number >= 1, number <= 10_000 else {
                    throw .init("INTERVAL must be a positive number, not \(value)")
                }
                rule.interval = number
            case "COUNT":
                guard let number = Int(value), number >= 1 else { throw .init("COUNT must be a positive number, not \(value)") }
                rule.count = number
            case "UNTIL":
                guard let until = ICalendarDateTime.parse(value, tzid: nil, forceDate: false) else {
                    throw .init("UNTIL \(value) is not a DATE or DATE-TIME")
                }
                rule.until = until
            case "BYDAY":
                rule.byDay = try Self.list(value, "BYDAY") { item in
                    let upper = item.asciiUppercased
                    guard upper.count >= 2, let weekday = Self.weekdays[String(upper.suffix(2))] else { return nil }
                    let prefix = upper.dropLast(2)
                    if prefix.isEmpty { return WeekdayOccurrence(weekday) }
                    guard let ordinal = Int(prefix), ordinal != 0, abs(ordinal) <= 53 else { return nil }
                    return WeekdayOccurrence(weekday, ordinal: ordinal)
                }
            case "BYMONTHDAY":
                rule.byMonthDay = try Self.list(value, name) { Int($0).flatMap { $0 != 0 && abs($0) <= 31 ? $0 : nil } }
            case "BYMONTH":
                rule.byMonth = try Self.list(value, name) { Int($0).flatMap { (1...12).contains($0) ? $0 : nil } }
            case "BYSETPOS":
                rule.bySetPosition = try Self.list(value, name) { Int($0).flatMap { $0 != 0 && abs($0) <= 366 ? $0 : nil } }
            case "WKST":
                guard let weekday = Self.weekdays[value.asciiUppercased] else { throw .init("unknown WKST \(value)") }
                rule.weekStart = weekday
            case "BYSECOND", "BYMINUTE", "BYHOUR", "BYYEARDAY", "BYWEEKNO":
                rule.unsupportedParts.append(name)
            default:
                continue // X- extensions and parts from later specifications
            }
        }
        guard let frequency else { throw .init("missing FREQ") }
        rule.frequency = frequency
        self = rule
    }

    /// The rule as an RRULE value.
    public var text: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if let count { parts.append("COUNT=\(count)") }
        if let until { parts.append("UNTIL=\(until)") }
        if !byDay.isEmpty {
            parts.append("BYDAY=" + byDay.map { ($0.ordinal.map(String.init) ?? "") + Self.code($0.weekday) }
                .joined(separator: ","))
        }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !byMonth.isEmpty { parts.append("BYMONTH=" + byMonth.map(String.init).joined(separator: ",")) }
        if !bySetPosition.isEmpty { parts.append("BYSETPOS=" + bySetPosition.map(String.init).joined(separator: ",")) }
        if weekStart != .monday { parts.append("WKST=" + Self.code(weekStart)) }
        return parts.joined(separator: ";")
    }

    static let weekdays: [String: Weekday] = [
        "SU": .sunday, "MO": .monday, "TU": .tuesday, "WE": .wednesday, "TH": .thursday, "FR": .friday, "SA": .saturday,
    ]

    static func code(_ weekday: Weekday) -> String {
        ["SU", "MO", "TU", "WE", "TH", "FR", "SA"][weekday.rawValue - 1]
    }

    private static func list<T>(_ value: String, _ name: String,
                                _ parse: (String) -> T?) throws(RecurrenceRuleError) -> [T] {
        var items: [T] = []
        for item in value.split(separator: ",") {
            guard let parsed = parse(String(item).trimmingBlanks) else {
                throw RecurrenceRuleError("bad \(name) value \(item)")
            }
            items.append(parsed)
        }
        guard !items.isEmpty else { throw RecurrenceRuleError("empty \(name)") }
        return items
    }
}

/// Why an RRULE value could not be read.
public struct RecurrenceRuleError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
