import Foundation

/// Walks the user's local days forward, knowing each day's bounds and working window.
///
/// A day's working window is wall-clock time on that local date (so it stays 09:00–18:00 local across DST
/// changes) and is computed once, when the cursor first lands on the day; days the sweep jumps over are
/// never computed.
struct WorkingDayCursor {
    private let clock: ZoneClock
    private let hours: DailyWindow
    /// Indexed by `Weekday.rawValue` (Sunday = 1); a lookup table beats hashing a Set per day.
    private let isWorkday: [Bool]
    /// The current local date as days since 1970-01-01.
    private var dayNumber = 0
    /// First instant of the current local day.
    private(set) var dayStart: TimeInterval = 0
    /// First instant of the next local day.
    private(set) var dayEnd: TimeInterval = 0
    /// Working hours of the current day; nil on a day off.
    private(set) var workingWindow: (start: TimeInterval, end: TimeInterval)?

    init(settings: UserSettings, clock: ZoneClock, at instant: TimeInterval) {
        self.clock = clock
        hours = settings.workingHours
        isWorkday = (0...7).map { $0 > 0 && settings.workdays.contains(Weekday(rawValue: $0)!) }
        load(clock.dayNumber(of: instant), start: nil)
    }

    /// Makes the current day the local day containing `instant`, if that is later than the current one.
    mutating func moveTo(containing instant: TimeInterval) {
        if instant >= dayEnd { load(clock.dayNumber(of: instant), start: nil) }
    }

    mutating func advance() {
        load(dayNumber + 1, start: dayEnd)
    }

    /// Rounds `instant` up to the next quarter hour of local wall-clock time (itself if already on one).
    /// Uses the zone's offset at `instant`: every offset and transition in use is a whole number of
    /// quarter hours (+05:30, +05:45, Lord Howe's 30-minute DST), so the result is a local quarter hour too.
    func alignUpToQuarterHour(_ instant: TimeInterval) -> TimeInterval {
        let offset = clock.offset(of: instant)
        // The reference date (2001-01-01 00:00 UTC) is itself on a quarter hour.
        return ((instant + offset) / 900).rounded(.up) * 900 - offset
    }

    private mutating func load(_ number: Int, start: TimeInterval?) {
        dayNumber = number
        dayStart = start ?? clock.startOfDay(number)
        dayEnd = clock.startOfDay(number + 1)
        guard isWorkday[CivilDays.weekday(number)] else {
            workingWindow = nil
            return
        }
        // Kept inside the day: a time skipped by a DST change resolves as Calendar resolves it, clamped.
        let open = min(max(clock.instant(day: number, minutes: hours.start.minutes), dayStart), dayEnd)
        let close = hours.end.minutes >= 24 * 60 ? dayEnd
            : min(max(clock.instant(day: number, minutes: hours.end.minutes), dayStart), dayEnd)
        workingWindow = close > open ? (open, close) : nil
    }
}
