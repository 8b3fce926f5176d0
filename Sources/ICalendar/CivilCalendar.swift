import Foundation
import StewardCore

/// Proleptic Gregorian date arithmetic on plain integers.
///
/// Parsing and recurrence expansion do all their date math here instead of through `Calendar`, so that a
/// 5,000-event file costs a few integer operations per date rather than a Foundation call each. A "day
/// number" counts days since 1970-01-01 (negative before it).
enum CivilCalendar {
    static let secondsPerDay = 86_400

    /// Days since 1970-01-01 of a valid Gregorian date.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        CivilDays.number(year: year, month: month, day: day)
    }

    /// The date of a day number (inverse of `dayNumber`).
    static func date(ofDay dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        CivilDays.date(dayNumber)
    }

    static func localDate(ofDay dayNumber: Int) -> LocalDate {
        let parts = date(ofDay: dayNumber)
        return LocalDate(year: parts.year, month: parts.month, day: parts.day)
    }

    static func dayNumber(of date: LocalDate) -> Int {
        dayNumber(year: date.year, month: date.month, day: date.day)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Foundation's weekday numbering (Sunday = 1 … Saturday = 7).
    static func weekday(ofDay dayNumber: Int) -> Int {
        CivilDays.weekday(dayNumber)
    }

    /// Floor division, so that instants before 1970 land on the right day.
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Whole seconds since 1970, clamped to ±300 million years so that no `Date` (not even an infinite
    /// one) can trap the conversion to `Int`.
    static func seconds(_ date: Date) -> Int {
        let value = date.timeIntervalSince1970
        guard value.isFinite else { return value > 0 ? 10_000_000_000_000_000 : -10_000_000_000_000_000 }
        return Int(min(max(value, -1e16), 1e16).rounded(.down))
    }

    /// `2026-10-26T08:00:00Z`
    static func isoUTC(_ date: Date) -> String {
        let seconds = CivilCalendar.seconds(date)
        let day = floorDiv(seconds, secondsPerDay)
        let secondOfDay = seconds - day * secondsPerDay
        let parts = self.date(ofDay: day)
        return pad(parts.year, 4) + "-" + pad(parts.month, 2) + "-" + pad(parts.day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Zero-padded decimal (no `String(format:)`: it is slow and locale-sensitive).
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        return value < 0 ? "-" + padded : padded
    }
}

/// Converts between local wall-clock times in one zone and instants.
///
/// Offsets are memoised per UTC week: a week whose first and last second share an offset is assumed to have
/// no transition inside it (no zone changes its offset twice within a week and back), so a whole file's
/// dates cost a handful of time-zone database lookups. Not thread-safe: each parse or expansion makes its own.
final class ZoneClock {
    let timeZone: TimeZone
    private let isUTC: Bool
    private static let bucketSeconds = 7 * 86_400
    /// Week number → offset in seconds, or `Int.min` when the offset changes during that week.
    private var weekOffsets: [Int: Int] = [:]

    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        isUTC = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "GMT+0000"].contains(timeZone.identifier)
    }

    private func lookup(_ seconds: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    func offset(atUTC seconds: Int) -> Int {
        if isUTC { return 0 }
        let week = CivilCalendar.floorDiv(seconds, Self.bucketSeconds)
        if let known = weekOffsets[week] {
            return known == Int.min ? lookup(seconds) : known
        }
        let first = lookup(week * Self.bucketSeconds)
        let last = lookup(week * Self.bucketSeconds + Self.bucketSeconds - 1)
        weekOffsets[week] = first == last ? first : Int.min
        return first == last ? first : lookup(seconds)
    }

    /// The instant of a local wall-clock time, in UTC seconds since 1970.
    ///
    /// A time skipped by a spring-forward gap is read with the offset before the gap (02:30 → 03:30), and a
    /// time repeated by a fall-back is its first occurrence, as RFC 5545 §3.3.5 prescribes.
    func utcSeconds(localDay: Int, secondOfDay: Int) -> Int {
        let local = localDay * CivilCalendar.secondsPerDay + secondOfDay
        if isUTC { return local }
        let earlier = offset(atUTC: local - 86_400)
        let later = offset(atUTC: local + 86_400)
        if earlier == later { return local - earlier }
        let first = local - earlier
        let second = local - later
        let firstValid = offset(atUTC: first) == earlier
        let secondValid = offset(atUTC: second) == later
        switch (firstValid, secondValid) {
        case (true, true): return min(first, second)
        case (true, false): return first
        case (false, true): return second
        case (false, false): return first
        }
    }

    func date(localDay: Int, secondOfDay: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(utcSeconds(localDay: localDay, secondOfDay: secondOfDay)))
    }

    /// The local day number and second of day of an instant.
    func local(_ date: Date) -> (day: Int, secondOfDay: Int) {
        let utc = CivilCalendar.seconds(date)
        let local = utc + offset(atUTC: utc)
        let day = CivilCalendar.floorDiv(local, CivilCalendar.secondsPerDay)
        return (day, local - day * CivilCalendar.secondsPerDay)
    }
}
