import Foundation
import StewardCore

/// Produces the local days on which a series' instances start, in increasing order.
///
/// Every instance of a supported rule starts at DTSTART's local time of day, so the expander only has to
/// pick days; the caller turns a day into an instant in the series' own zone, which is what keeps a 09:00
/// meeting at 09:00 local across DST changes. DTSTART itself is always the first instance and counts
/// towards COUNT (RFC 5545 §3.8.5.3).
///
/// Bounded by construction: it never looks at a period that starts after `lastDay`, and stops after a
/// fixed number of periods whatever the rule, so a rule that matches nothing (BYMONTHDAY=30 with
/// BYMONTH=2) or matches rarely costs a bounded number of integer steps.
struct RecurrenceExpander {
    let rule: RecurrenceRule
    let startDay: Int
    private let startYear: Int
    private let startMonth: Int
    private let startDayOfMonth: Int
    /// Plain weekdays of BYDAY (ordinals ignored), indexed by Foundation weekday number.
    private let weekdayFilter: [Bool]
    private let hasWeekdayFilter: Bool

    /// Enough for a daily rule over several thousand years; a safety net, not a limit users meet.
    static let maximumPeriods = 2_000_000

    init(rule: RecurrenceRule, startDay: Int) {
        self.rule = rule
        self.startDay = startDay
        (startYear, startMonth, startDayOfMonth) = CivilCalendar.date(ofDay: startDay)
        var filter = [Bool](repeating: false, count: 8)
        for entry in rule.byDay { filter[entry.weekday.rawValue] = true }
        weekdayFilter = filter
        hasWeekdayFilter = !rule.byDay.isEmpty
    }

    /// Calls `visit` with each instance day up to `lastDay` (inclusive) until it returns `false` or COUNT is
    /// reached. Periods that end before `firstUsefulDay` are skipped without being generated (DTSTART is
    /// still visited first) when the rule allows: always without COUNT, and with COUNT when every period
    /// holds exactly one instance (then the instances skipped are counted by arithmetic). Otherwise every
    /// period from the start is generated and counted, up to `maximumPeriods`.
    func forEachDay(firstUsefulDay: Int, lastDay: Int, _ visit: (Int) -> Bool) {
        guard rule.isExpandable else {
            _ = visit(startDay)
            return
        }
        guard startDay <= lastDay, visit(startDay) else { return }
        var emitted = 1
        if let count = rule.count, emitted >= count { return }
        var period = 0
        if rule.count == nil {
            period = fastForward(to: firstUsefulDay)
        } else if hasOneInstancePerPeriod {
            // Periods 0..<period held one instance each (period 0's is DTSTART), all before the window.
            period = fastForward(to: firstUsefulDay)
            emitted = max(1, period)
            if let count = rule.count, emitted >= count { return }
        }
        var days: [Int] = []
        var scratch: [Int] = []
        for _ in 0..<Self.maximumPeriods {
            days.removeAll(keepingCapacity: true)
            let periodStart = candidates(period: period, into: &days, scratch: &scratch)
            if periodStart > lastDay { return }
            for day in days where day > startDay {
                if day > lastDay { return }
                emitted += 1
                if !visit(day) { return }
                if let count = rule.count, emitted >= count { return }
            }
            period += 1
        }
    }

    /// Whether every period holds exactly one instance, on DTSTART's own day of the period: no BY* part, and
    /// no month too short for DTSTART's day (a monthly 29th–31st or a yearly 29 February skips periods).
    private var hasOneInstancePerPeriod: Bool {
        guard rule.byDay.isEmpty, rule.byMonthDay.isEmpty, rule.byMonth.isEmpty, rule.bySetPosition.isEmpty else {
            return false
        }
        switch rule.frequency {
        case .daily, .weekly: return true
        case .monthly: return startDayOfMonth <= 28
        case .yearly: return !(startMonth == 2 && startDayOfMonth == 29)
        default: return false
        }
    }

    private var weekAnchor: Int {
        let offset = (CivilCalendar.weekday(ofDay: startDay) - rule.weekStart.rawValue + 7) % 7
        return startDay - offset
    }

    /// The first period worth generating for instances on or after `day` (one period of slack).
    private func fastForward(to day: Int) -> Int {
        guard day > startDay else { return 0 }
        let interval = rule.interval
        let elapsed: Int
        switch rule.frequency {
        case .daily: elapsed = (day - startDay) / interval
        case .weekly: elapsed = (day - weekAnchor) / (7 * interval)
        case .monthly:
            let target = CivilCalendar.date(ofDay: day)
            elapsed = ((target.year - startYear) * 12 + target.month - startMonth) / interval
        case .yearly: elapsed = (CivilCalendar.date(ofDay: day).year - startYear) / interval
        default: elapsed = 0
        }
        return max(0, elapsed - 1)
    }

    /// Appends the sorted candidate days of period `index` to `days`; returns the period's first day.
    private func candidates(period index: Int, into days: inout [Int], scratch: inout [Int]) -> Int {
        let step = index * rule.interval
        let periodStart: Int
        switch rule.frequency {
        case .daily:
            periodStart = startDay + step
            if matchesFilters(periodStart, checkWeekday: true, checkMonthDay: true) { days.append(periodStart) }
        case .weekly:
            periodStart = weekAnchor + 7 * step
            let ownWeekday = CivilCalendar.weekday(ofDay: startDay)
            for day in periodStart..<(periodStart + 7) {
                let weekday = CivilCalendar.weekday(ofDay: day)
                guard hasWeekdayFilter ? weekdayFilter[weekday] : weekday == ownWeekday else { continue }
                if matchesFilters(day, checkWeekday: false, checkMonthDay: false) { days.append(day) }
            }
        case .monthly:
            let months = startMonth - 1 + step
            let year = startYear + CivilCalendar.floorDiv(months, 12)
            let month = months - CivilCalendar.floorDiv(months, 12) * 12 + 1
            periodStart = CivilCalendar.dayNumber(year: year, month: month, day: 1)
            if rule.byMonth.isEmpty || rule.byMonth.contains(month) {
                monthDays(year: year, month: month, into: &days, scratch: &scratch)
            }
        case .yearly:
            let year = startYear + step
            periodStart = CivilCalendar.dayNumber(year: year, month: 1, day: 1)
            yearDays(year: year, into: &days, scratch: &scratch)
        default:
            return Int.max
        }
        days.sort()
        removeDuplicates(&days)
        if !rule.bySetPosition.isEmpty { applySetPositions(&days) }
        return periodStart
    }

    /// BYMONTH, BYMONTHDAY and plain BYDAY as limits (DAILY and WEEKLY).
    private func matchesFilters(_ day: Int, checkWeekday: Bool, checkMonthDay: Bool) -> Bool {
        if checkWeekday && hasWeekdayFilter && !weekdayFilter[CivilCalendar.weekday(ofDay: day)] { return false }
        if rule.byMonth.isEmpty && (!checkMonthDay || rule.byMonthDay.isEmpty) { return true }
        let date = CivilCalendar.date(ofDay: day)
        if !rule.byMonth.isEmpty && !rule.byMonth.contains(date.month) { return false }
        if checkMonthDay && !rule.byMonthDay.isEmpty {
            let length = CivilCalendar.daysInMonth(year: date.year, month: date.month)
            return rule.byMonthDay.contains { ($0 > 0 ? $0 : length + 1 + $0) == date.day }
        }
        return true
    }

    /// The days of one month per BYMONTHDAY / BYDAY, or DTSTART's day of month (skipped when the month is
    /// too short: the 31st never falls back to the 30th).
    private func monthDays(year: Int, month: Int, into days: inout [Int], scratch: inout [Int]) {
        let first = CivilCalendar.dayNumber(year: year, month: month, day: 1)
        let length = CivilCalendar.daysInMonth(year: year, month: month)
        if !rule.byMonthDay.isEmpty {
            scratch.removeAll(keepingCapacity: true)
            if hasWeekdayFilter { expandWeekdays(from: first, through: first + length - 1, into: &scratch) }
            for monthDay in rule.byMonthDay {
                let dayOfMonth = monthDay > 0 ? monthDay : length + 1 + monthDay
                guard dayOfMonth >= 1 && dayOfMonth <= length else { continue }
                let day = first + dayOfMonth - 1
                if !hasWeekdayFilter || scratch.contains(day) { days.append(day) }
            }
        } else if hasWeekdayFilter {
            expandWeekdays(from: first, through: first + length - 1, into: &days)
        } else if startDayOfMonth <= length {
            days.append(first + startDayOfMonth - 1)
        }
    }

    private func yearDays(year: Int, into days: inout [Int], scratch: inout [Int]) {
        if !rule.byMonth.isEmpty {
            for month in rule.byMonth { monthDays(year: year, month: month, into: &days, scratch: &scratch) }
        } else if !rule.byMonthDay.isEmpty {
            for month in 1...12 { monthDays(year: year, month: month, into: &days, scratch: &scratch) }
        } else if hasWeekdayFilter {
            let first = CivilCalendar.dayNumber(year: year, month: 1, day: 1)
            expandWeekdays(from: first, through: CivilCalendar.dayNumber(year: year, month: 12, day: 31), into: &days)
        } else if startDayOfMonth <= CivilCalendar.daysInMonth(year: year, month: startMonth) {
            days.append(CivilCalendar.dayNumber(year: year, month: startMonth, day: startDayOfMonth))
        }
    }

    /// BYDAY within `first...last`: every such weekday, or the n-th / n-th-from-last one.
    private func expandWeekdays(from first: Int, through last: Int, into days: inout [Int]) {
        let firstWeekday = CivilCalendar.weekday(ofDay: first)
        let lastWeekday = CivilCalendar.weekday(ofDay: last)
        for entry in rule.byDay {
            let weekday = entry.weekday.rawValue
            let firstMatch = first + (weekday - firstWeekday + 7) % 7
            switch entry.ordinal {
            case nil:
                var day = firstMatch
                while day <= last {
                    days.append(day)
                    day += 7
                }
            case let n? where n > 0:
                let day = firstMatch + 7 * (n - 1)
                if day <= last { days.append(day) }
            case let n?:
                let lastMatch = last - (lastWeekday - weekday + 7) % 7
                let day = lastMatch - 7 * (-n - 1)
                if day >= first { days.append(day) }
            }
        }
    }

    private func applySetPositions(_ days: inout [Int]) {
        let all = days
        days.removeAll(keepingCapacity: true)
        for position in rule.bySetPosition {
            let index = position > 0 ? position - 1 : all.count + position
            if index >= 0 && index < all.count { days.append(all[index]) }
        }
        days.sort()
        removeDuplicates(&days)
    }

    private func removeDuplicates(_ days: inout [Int]) {
        guard days.count > 1 else { return }
        var write = 1
        for read in 1..<days.count where days[read] != days[write - 1] {
            days[write] = days[read]
            write += 1
        }
        days.removeLast(days.count - write)
    }
}
