import Foundation

/// Wall-clock arithmetic in one zone for the parsers: local days are day numbers (`CivilDays`), and the
/// zone's offset table says where each local midnight or wall time falls.
///
/// Stepping a day is integer arithmetic on the local date, never "add 86 400 seconds", so a local day runs
/// from its midnight to the next one: 23 or 25 hours on DST change days. The offset table is read through
/// `TimeZone.secondsFromGMT(for:)` (about 50 ns); a `Calendar` round trip would cost microseconds per call
/// (`startOfDay` alone ~4.5 µs on Linux), which the intent parser's budget cannot afford.
struct LocalClock: Sendable {
    let zone: TimeZone

    /// The local day number and minute of the day (0..<1440) at `instant`.
    func local(_ instant: Date) -> (day: Int, minute: Int) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (day, (seconds - day * 86_400) / 60)
    }

    /// The instant a wall clock in the zone shows `minute` (0...1440; 1440 = the next midnight) on local
    /// day `day`.
    /// - A wall time repeated by a fall-back change resolves to its first occurrence.
    /// - A wall time skipped by a spring-forward change resolves to the next valid instant: the moment of
    ///   the change (02:30 on a day that jumps 02:00 → 03:00 gives 03:00). A skipped midnight therefore
    ///   gives the first instant of the day, as `Calendar.startOfDay` does.
    func instant(day: Int, minute: Int) -> Date {
        let wall = day * 86_400 + minute * 60
        // Offsets a day either side of the target: they differ only when a change is near.
        let before = offset(wall - 86_400)
        let after = offset(wall + 86_400)
        var best: Int?
        for candidate in before == after ? [before] : [before, after] {
            let utc = wall - candidate
            if offset(utc) == candidate, best.map({ utc < $0 }) ?? true { best = utc }
        }
        if let best { return Date(timeIntervalSince1970: TimeInterval(best)) }
        // In a gap: the change happens somewhere in (wall - high, wall - low]; find its first instant.
        var low = wall - max(before, after)
        var high = wall - min(before, after)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(middle) == after { high = middle } else { low = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }

    func startOfDay(_ day: Int) -> Date { instant(day: day, minute: 0) }

    /// Whole local days `[first, first + count)`.
    func days(_ first: Int, count: Int = 1) -> DateInterval {
        DateInterval(start: startOfDay(first), end: startOfDay(first + count))
    }

    /// The whole local days an instant or span touches (an instant: its own day).
    func wholeDays(covering ref: TimeRef) -> DateInterval {
        switch ref {
        case .days(let interval): return interval
        case .instant(let date): return days(local(date).day)
        }
    }

    private func offset(_ utcSeconds: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcSeconds)))
    }
}

extension LocalClock {
    static func dayNumber(_ date: LocalDate) -> Int {
        CivilDays.number(year: date.year, month: date.month, day: date.day)
    }

    static func localDate(_ day: Int) -> LocalDate {
        let (year, month, dayOfMonth) = CivilDays.date(day)
        return LocalDate(year: year, month: month, day: dayOfMonth)
    }

    static func weekday(_ day: Int) -> Weekday {
        Weekday(rawValue: CivilDays.weekday(day))!
    }

    /// The day number of a valid calendar date, nil for `feb 30` and the like.
    static func validDay(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let number = CivilDays.number(year: year, month: month, day: day)
        let back = CivilDays.date(number)
        return back.month == month && back.day == day ? number : nil
    }
}
