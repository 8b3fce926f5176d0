import Foundation

/// Wall-clock arithmetic in one zone over a bounded stretch of time, without a Calendar call per question.
///
/// The zone's UTC offset is constant between transitions, and a search window holds only a few of them,
/// so the clock splits the stretch into pieces of constant offset once. A wall time that belongs to
/// exactly one piece converts with one subtraction; one that falls into a DST gap or overlap (or any
/// doubt) is handed to Foundation's Calendar, so the answers are exactly Calendar's.
struct ZoneClock {
    let zone: TimeZone
    let calendar: Calendar
    /// Pieces of constant offset, in order: `starts[i]` is where piece `i` begins (the first is open to the
    /// past, the last to the future); `offsets[i]` its offset in seconds.
    private var starts: [TimeInterval] = []
    private var offsets: [TimeInterval] = []

    /// Covers `[lower, upper)` padded by three days each side (room for a day's bounds and its neighbours).
    init(zone: TimeZone, from lower: TimeInterval, to upper: TimeInterval) {
        self.zone = zone
        calendar = Calendar.gregorian(zone)
        var from = lower - 3 * 86_400
        let until = upper + 3 * 86_400
        starts.append(-.infinity)
        offsets.append(offset(at: from))
        // A zone has a couple of transitions a year; the cap only guards against a broken zone database.
        while starts.count < 64, let next = zone.nextDaylightSavingTimeTransition(after: date(from)),
              next.timeIntervalSinceReferenceDate < until, next.timeIntervalSinceReferenceDate > from {
            from = next.timeIntervalSinceReferenceDate
            starts.append(from)
            offsets.append(offset(at: from))
        }
        if starts.count == 64 { (starts, offsets) = ([], []) }
    }

    /// The offset in force at `instant`.
    func offset(of instant: TimeInterval) -> TimeInterval {
        guard !starts.isEmpty else { return offset(at: instant) }
        var index = starts.count - 1
        while index > 0 && starts[index] > instant { index -= 1 }
        return offsets[index]
    }

    /// The local date of `instant` as a day number (days since 1970-01-01); 2001-01-01 is day 11,323.
    func dayNumber(of instant: TimeInterval) -> Int {
        Int(((instant + offset(of: instant)) / 86_400).rounded(.down)) + 11_323
    }

    /// The first instant of local day `day` (local midnight, or the moment the day begins when DST skips
    /// midnight).
    func startOfDay(_ day: Int) -> TimeInterval {
        if let instant = uniqueInstant(wall: TimeInterval(day - 11_323) * 86_400) { return instant }
        let (year, month, dayOfMonth) = CivilDays.date(day)
        return LocalDate(year: year, month: month, day: dayOfMonth).startOfDay(in: zone).timeIntervalSinceReferenceDate
    }

    /// The instant a wall clock on local day `day` shows `minutes` after midnight (as Calendar reads it).
    func instant(day: Int, minutes: Int) -> TimeInterval {
        let wall = TimeInterval(day - 11_323) * 86_400 + TimeInterval(minutes * 60)
        if let instant = uniqueInstant(wall: wall) { return instant }
        let (year, month, dayOfMonth) = CivilDays.date(day)
        let parts = DateComponents(year: year, month: month, day: dayOfMonth, hour: minutes / 60, minute: minutes % 60)
        return calendar.date(from: parts)?.timeIntervalSinceReferenceDate ?? wall - offset(of: wall)
    }

    /// The one instant whose wall-clock time is `wall` (seconds since 2001-01-01 00:00 local), or nil when
    /// there are none (a DST gap) or two (an overlap) among the pieces, or the clock has no pieces.
    private func uniqueInstant(wall: TimeInterval) -> TimeInterval? {
        var found: TimeInterval?
        for index in starts.indices {
            let candidate = wall - offsets[index]
            let end = index + 1 < starts.count ? starts[index + 1] : .infinity
            guard candidate >= starts[index], candidate < end else { continue }
            if found != nil { return nil }
            found = candidate
        }
        return found
    }

    private func offset(at instant: TimeInterval) -> TimeInterval {
        TimeInterval(zone.secondsFromGMT(for: date(instant)))
    }

    private func date(_ instant: TimeInterval) -> Date { Date(timeIntervalSinceReferenceDate: instant) }
}
