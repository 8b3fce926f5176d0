import Foundation

/// What `/free` (and the `calendar_find_free_slots` tool) asks the finder.
public struct FreeSlotRequest: Sendable {
    /// Where to look; slots never start before `window.start` nor end after `window.end`.
    public var window: DateInterval
    /// Required length in minutes (values below 1 are treated as 1).
    public var minutes: Int
    /// The user's events from every selected calendar, in any order, possibly overlapping.
    public var ownEvents: [CalendarEvent]
    /// Attendees' busy time (freeBusy answers); used as is, without the user's buffer.
    public var othersBusy: [DateInterval]
    /// Zone, working hours, working days and buffer come from here.
    public var settings: UserSettings
    public var now: Date
    /// At most this many slots are returned (0 or less: none).
    public var limit: Int

    public init(window: DateInterval, minutes: Int, ownEvents: [CalendarEvent], othersBusy: [DateInterval],
                settings: UserSettings, now: Date, limit: Int = 5) {
        self.window = window
        self.minutes = minutes
        self.ownEvents = ownEvents
        self.othersBusy = othersBusy
        self.settings = settings
        self.now = now
        self.limit = limit
    }
}

/// Finds the earliest free windows long enough for a meeting.
///
/// Every returned slot is a **maximal free window** that
/// - lies inside the working hours (`settings.workingHours`, wall-clock time in `settings.zone` on that
///   local date, so 09:00–18:00 stays 09:00–18:00 local on DST change days) of a working day
///   (`settings.workdays`, judged by the local date);
/// - lies inside `window` and does not start before `now`;
/// - starts on a quarter hour of local wall-clock time (…:00, :15, :30, :45), rounded **up** from where
///   the free time begins (so in +05:30 and +05:45 zones the starts are local quarter hours too);
/// - ends exactly where the free time ends (a busy period, the end of working hours, or `window.end`);
/// - is at least `minutes` long.
///
/// Busy time is the union of
/// - the user's own events that `blocksTime`: a timed event widened by `settings.bufferMinutes` on both
///   sides; an all-day event blocks the whole local day(s) it covers in the user's zone (its dates, never
///   UTC midnights), without buffer; a timed event with no length (end ≤ start) blocks nothing;
/// - `othersBusy`, exactly as given.
/// Events written in another zone are just instants: their TZID plays no part.
///
/// Slots come back earliest first, never overlapping, at most `limit` of them. Working hours whose end is
/// not after their start (crossing midnight) and an empty set of working days give no slots.
///
/// Cost: one pass over the events to collect busy spans inside the window, a bucket sort by start (no
/// full comparison sort), and one merging sweep that stops as soon as `limit` slots are found; each
/// local day's working window is computed once, and only for days the sweep reaches.
public enum FreeSlotFinder {
    public static func find(_ request: FreeSlotRequest) -> [DateInterval] {
        let settings = request.settings
        let lower = max(request.window.start, request.now).timeIntervalSinceReferenceDate
        let upper = request.window.end.timeIntervalSinceReferenceDate
        guard request.limit > 0, upper > lower, !settings.workingHours.crossesMidnight,
              !settings.workdays.isEmpty
        else { return [] }

        let clock = ZoneClock(zone: settings.zone, from: lower, to: upper)
        let spans = BusySpans.collect(request, from: lower, to: upper, clock: clock)
        var collector = SlotCollector(
            days: WorkingDayCursor(settings: settings, clock: clock, at: lower),
            needed: Double(max(request.minutes, 1) * 60),
            limit: request.limit)

        // The sweep: `freeFrom` is where the current free stretch begins. A span starting after it closes
        // a gap [freeFrom, span.start); spans are visited in start order, one bucket at a time.
        var freeFrom = lower
        var ordered = spans.orderedByStart()
        for bucket in ordered.buckets {
            ordered.sortBucket(bucket)
            for index in bucket {
                let span = ordered.spans[index]
                if span.start > freeFrom {
                    if collector.offer(gapFrom: freeFrom, to: min(span.start, upper)) { return collector.slots }
                }
                if span.end > freeFrom { freeFrom = span.end }
                if freeFrom >= upper { return collector.slots }
            }
        }
        _ = collector.offer(gapFrom: freeFrom, to: upper)
        return collector.slots
    }
}

/// Turns free gaps into slots: clips them to each working window they overlap, aligns the start.
struct SlotCollector {
    var days: WorkingDayCursor
    let needed: TimeInterval
    let limit: Int
    private(set) var slots: [DateInterval] = []

    init(days: WorkingDayCursor, needed: TimeInterval, limit: Int) {
        self.days = days
        self.needed = needed
        self.limit = limit
        slots.reserveCapacity(min(limit, 64))
    }

    /// Offers the free gap `[start, end)` (gaps arrive in time order); returns true once `limit` is reached.
    mutating func offer(gapFrom start: TimeInterval, to end: TimeInterval) -> Bool {
        guard end > start else { return false }
        days.moveTo(containing: start)
        while true {
            if let work = days.workingWindow, work.end > start, work.start < end {
                let slotStart = days.alignUpToQuarterHour(max(start, work.start))
                let slotEnd = min(end, work.end)
                if slotEnd - slotStart >= needed {
                    slots.append(DateInterval(start: Date(timeIntervalSinceReferenceDate: slotStart),
                                              end: Date(timeIntervalSinceReferenceDate: slotEnd)))
                    if slots.count >= limit { return true }
                }
            }
            // Later days begin at `dayEnd`; if the gap is over by then, the next gap may still need today.
            if days.dayEnd >= end { return false }
            days.advance()
        }
    }
}
