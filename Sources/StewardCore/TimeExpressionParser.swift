import Foundation

/// Turns what people type about time — "tomorrow", "friday at 3pm", "next week", "in 2 hours",
/// "at 15:00 on dec 5" — into a `TimeRef` in the user's zone, relative to `context.now`.
///
/// Guarantees:
/// - A day alone (or a range of days) is `.days`: whole local days, each from its local midnight to the
///   next (23 or 25 hours on DST change days). A day with a time, a bare time, or `in 2 hours` is `.instant`.
/// - Words are case-insensitive, in either order (`3pm friday` = `friday at 3pm`), with optional `at`,
///   `on`, `the`; a phrase with any word it does not understand is `nil` — it never guesses around one.
///
/// Conventions for ambiguous phrases:
/// - A bare weekday (`friday`, `this friday`) is the soonest such day, counting today. With a time that has
///   already passed today (`friday 3pm` said on a Friday at 16:00) it is the same weekday a week later.
/// - `next friday` is the Friday of the following Monday–Sunday week: said on Wednesday 18 Nov it is
///   Friday 27 Nov (not 20 Nov); said on Sunday, `next monday` is the next day.
/// - `this week` / `next week` are Monday–Sunday of the current / following week (past days included).
///   `this weekend` is the Saturday–Sunday of the current week — on a Saturday or Sunday, the weekend in
///   progress; `next weekend` is the one after it. `weekend` alone = `this weekend`.
/// - A bare time already past today (`3pm` at 16:00) is that time tomorrow. A time with a named day keeps
///   the day, even if that makes it past (`today 9am` at 10:00): callers decide what the past means.
/// - `at 3`, `3:30` (hour 1–7, no am/pm, no leading zero) are pm; 8–12 are taken as written (`at 9` =
///   09:00, `at 12` = noon). `03:30`, `15h` and hours 13–23 are 24-hour readings. A part of the day
///   overrides: `tomorrow morning at 7` = 07:00, `tonight at 9` = 21:00.
/// - `midnight` is the end of the named day (`friday midnight` = Saturday 00:00); alone, the coming
///   midnight. `noon`/`midday` = 12:00. `12am` = 00:00, `12pm` = 12:00.
/// - `tonight` alone is today as a whole day; when an instant is needed (`parseInstant`) it is 20:00.
///   Likewise `morning` 09:00, `afternoon` 14:00, `evening` 18:00, `night` 20:00.
/// - A month and day without a year (`dec 5`, `5th of december`) is the next occurrence, today counting;
///   `feb 29` is the next leap day. `the 5th` is the next 5th of a month, today counting. ISO dates
///   (`2026-12-05`) are taken as written. Numeric dates like `12/5` or `5.12` are rejected: day and month
///   order differs between countries.
/// - `in 3 days` / `in 2 weeks` are whole days; `in 2 hours` / `in 30 minutes` are exact elapsed time from
///   now (across a DST change too), and cannot be combined with a day or time.
/// - A wall time skipped by a spring-forward change (02:30 when clocks jump 02:00 → 03:00) resolves to the
///   next valid instant, the moment of the change (03:00). A wall time repeated by a fall-back change
///   (01:30 on the day clocks go 02:00 → 01:00) is its first occurrence.
///
/// Cost: one pass of tokenizing and a few zone-offset look-ups; no `Calendar`, formatter or regex.
public struct TimeExpressionParser: Sendable {
    public let context: ParseContext
    let clock: LocalClock
    /// Today's local day number and the current minute of the day, computed once per parser.
    let today: Int
    let nowMinute: Int

    public init(context: ParseContext) {
        self.context = context
        clock = LocalClock(zone: context.timeZone)
        (today, nowMinute) = clock.local(context.now)
    }

    /// A day, a span of days, or an instant; nil when the text is not (only) a time expression.
    public func parse(_ text: String) -> TimeRef? {
        resolve(Phrase.tokens(text)[...])?.timeRef
    }

    /// An instant, for callers that need one (booking, "am I free …"): a day alone is nil, but a day with a
    /// part of the day gets its default time (`tonight` = 20:00, `tomorrow morning` = 09:00).
    public func parseInstant(_ text: String) -> Date? {
        resolve(Phrase.tokens(text)[...])?.instant
    }

    /// A clock time on its own: `9`, `09:00`, `9am`, `3:30pm`, `15h`, `noon`, `midnight` (= 00:00).
    /// Taken as written: `3` is 03:00 here (the pm convention is for phrases about a day, not settings).
    public static func parseTimeOfDay(_ text: String) -> TimeOfDay? {
        let tokens = Phrase.tokens(text)
        let words = tokens.map(\.word)
        switch words {
        case ["noon"], ["midday"]: return TimeOfDay(hour: 12)
        case ["midnight"]: return TimeOfDay(hour: 0)
        default: break
        }
        guard (1...2).contains(words.count), let reading = TimeOfDayText(words[0]) else { return nil }
        var meridiem = reading.meridiem
        if words.count == 2 {
            guard meridiem == nil, reading.form != .hourSuffix, let second = TimeOfDayText.meridiem(words[1])
            else { return nil }
            meridiem = second
        }
        switch reading.clock(meridiem: meridiem) {
        case .exact(let minutes)?: return TimeOfDay(minutes: minutes % (24 * 60))
        case .loose(let hour, let minute)?: return TimeOfDay(hour: hour, minute: minute)
        case nil: return nil
        }
    }

    /// Same as the static `parseTimeOfDay(_:)`.
    public func parseTimeOfDay(_ text: String) -> TimeOfDay? { Self.parseTimeOfDay(text) }

    /// The outcome of a phrase, keeping the default time of `tonight`-like days for `parseInstant`.
    enum Resolved: Sendable {
        case instant(Date)
        case days(DateInterval)
        /// A day named with a part of the day but no clock time.
        case dayWithDefault(DateInterval, Date)

        var timeRef: TimeRef {
            switch self {
            case .instant(let date): .instant(date)
            case .days(let interval), .dayWithDefault(let interval, _): .days(interval)
            }
        }

        var instant: Date? {
            switch self {
            case .instant(let date), .dayWithDefault(_, let date): date
            case .days: nil
            }
        }
    }

    func resolve(_ tokens: ArraySlice<PhraseToken>) -> Resolved? {
        guard !tokens.isEmpty, let pieces = TimeGrammar.pieces(tokens) else { return nil }
        return resolve(pieces)
    }

    func resolve(_ pieces: TimePieces) -> Resolved? {
        if let minutes = pieces.relativeMinutes {
            return .instant(context.now.addingTimeInterval(TimeInterval(minutes * 60)))
        }
        let weekIndex = LocalClock.weekday(today).mondayFirstIndex
        let monday = today - weekIndex
        var rollsWeekly = false
        var day: Int?
        switch pieces.day {
        case nil: break
        case .offset(let offset)?: day = today + offset
        case .weekday(let weekday, let next)?:
            if next {
                day = monday + 7 + weekday.mondayFirstIndex
            } else {
                day = today + (weekday.mondayFirstIndex - weekIndex + 7) % 7
                rollsWeekly = true
            }
        case .monthDay(let month, let dayOfMonth, let year)?:
            guard let found = monthDay(month: month, day: dayOfMonth, year: year) else { return nil }
            day = found
        case .dayOfMonth(let dayOfMonth)?:
            guard let found = nextDayOfMonth(dayOfMonth) else { return nil }
            day = found
        case .week(let next)?:
            guard pieces.clock == nil, pieces.part == nil else { return nil }
            return .days(clock.days(monday + (next ? 7 : 0), count: 7))
        case .weekend(let next)?:
            guard pieces.clock == nil, pieces.part == nil else { return nil }
            return .days(clock.days(monday + 5 + (next ? 7 : 0), count: 2))
        }

        guard let pieceClock = pieces.clock else {
            guard let part = pieces.part else { return day.map { .days(clock.days($0)) } }
            let target = day ?? today
            return .dayWithDefault(clock.days(target), clock.instant(day: target, minute: part.defaultMinute))
        }
        let minute = minuteOfDay(pieceClock, part: pieces.part)
        guard let target = day else {
            let instant = clock.instant(day: today, minute: minute)
            return .instant(instant < context.now ? clock.instant(day: today + 1, minute: minute) : instant)
        }
        let instant = clock.instant(day: target, minute: minute)
        if rollsWeekly, instant < context.now { return .instant(clock.instant(day: target + 7, minute: minute)) }
        return .instant(instant)
    }

    /// Applies the am/pm conventions to a clock reading. May exceed 1440 (`tonight at 12:30` = 00:30 of
    /// the next day); `LocalClock` carries it over.
    private func minuteOfDay(_ reading: TimePieces.Clock, part: TimePieces.PartOfDay?) -> Int {
        switch reading {
        case .exact(let minute):
            return minute
        case .loose(let hour, let minute):
            switch part {
            case .morning?:
                return (hour % 12) * 60 + minute + (hour == 12 ? 12 * 60 : 0)
            case .afternoon?:
                return (hour == 12 ? 12 : hour + 12) * 60 + minute
            case .evening?, .night?:
                return (hour + 12) * 60 + minute  // 12 at night is midnight
            case nil:
                return ((1...7).contains(hour) ? hour + 12 : hour) * 60 + minute
            }
        }
    }

    /// The next occurrence of a month and day, today counting, or the given year's.
    private func monthDay(month: Int, day: Int, year: Int?) -> Int? {
        if let year { return LocalClock.validDay(year: year, month: month, day: day) }
        let thisYear = LocalClock.localDate(today).year
        // Eight years always reach a leap year's Feb 29.
        for candidate in thisYear...(thisYear + 8) {
            if let found = LocalClock.validDay(year: candidate, month: month, day: day), found >= today {
                return found
            }
        }
        return nil
    }

    private func nextDayOfMonth(_ day: Int) -> Int? {
        let now = LocalClock.localDate(today)
        for step in 0..<12 {
            let month = (now.month - 1 + step) % 12 + 1
            let year = now.year + (now.month - 1 + step) / 12
            if let found = LocalClock.validDay(year: year, month: month, day: day), found >= today { return found }
        }
        return nil
    }
}
