import Foundation
import StewardCore

extension ICalendarDocument {
    /// The most instances one series yields for one window (its earliest ones in the window): a daily
    /// series read over thousands of years costs this many events, not millions. Callers that show a long
    /// window cap their own output well below it.
    public static let occurrenceLimitPerSeries = 1_000

    /// Every occurrence overlapping `window`, recurring series expanded (at most `occurrenceLimitPerSeries`
    /// instances of each), sorted by start (all-day first on ties, then by title).
    ///
    /// - A series is expanded in its own zone (its TZID; UTC for `Z` times; `defaultTimeZone` for floating
    ///   times and unknown TZIDs). EXDATEs remove instances; a RECURRENCE-ID override replaces its instance
    ///   (and shows even when it moved into the window from outside it); a cancelled override removes it; a
    ///   cancelled series or single event is dropped.
    /// - Ids: the UID for a single event, `UID#<original start>` for instances of a series, where the
    ///   original start is `2026-10-26` for all-day series and `2026-10-26T08:00:00Z` otherwise — stable
    ///   across re-reads and the same for an instance and its override.
    /// - All-day events stay dates; without DTEND an all-day event lasts one day and a timed one lasts its
    ///   DURATION, or zero.
    /// - When several VEVENTs share a UID and neither is an override, the highest SEQUENCE wins (the later
    ///   one on a tie).
    public func occurrences(in window: DateInterval, defaultTimeZone: TimeZone, accountID: String,
                            calendarID: String) -> [CalendarEvent] {
        let resolver = ZoneResolver(defaultTimeZone: defaultTimeZone, aliases: timeZoneAliases)
        var masters: [String: Int] = [:]
        var overrides: [String: [Int]] = [:]
        // Indices, not `for event in events`: a VEvent is large, and copying each one costs more than the
        // rest of the work for a single event.
        for index in events.indices {
            let uid = events[index].uid
            if events[index].recurrenceIDValue != nil {
                overrides[uid, default: []].append(index)
            } else if let existing = masters[uid], events[existing].sequence > events[index].sequence {
                continue
            } else {
                masters[uid] = index
            }
        }
        var isChosenMaster = [Bool](repeating: false, count: events.count)
        for index in masters.values { isChosenMaster[index] = true }
        let context = OccurrenceContext(window: window, resolver: resolver, accountID: accountID,
                                        calendarID: calendarID)
        var result: [CalendarEvent] = []
        for index in events.indices where isChosenMaster[index] && !events[index].cancelled {
            let overridden = overrides[events[index].uid].map { $0.map { events[$0] } } ?? []
            let series = SeriesOverrides(master: events[index], overrides: overridden, resolver: resolver)
            context.expand(events[index], skipping: series, into: &result)
        }
        for (uid, indices) in overrides {
            // A cancelled series takes its overrides with it.
            if let master = masters[uid], events[master].cancelled { continue }
            let masterIsSingle = masters[uid].map { !events[$0].isRecurring } ?? false
            for override in SeriesOverrides.latest(indices.map { events[$0] }) where !override.cancelled {
                if let occurrence = context.single(override, keepUIDAsID: masterIsSingle) { result.append(occurrence) }
            }
        }
        // Sort keys computed once (an all-day start's instant needs a zone lookup), then indices, so that a
        // large window does not pay for moving whole events or recomputing instants in every comparison.
        let keys = result.map { event -> Date in
            switch event.start {
            case .date(let day): resolver.defaultClock.date(localDay: CivilCalendar.dayNumber(of: day), secondOfDay: 0)
            case .dateTime(let date, _): date
            }
        }
        let order = result.indices.sorted { a, b in
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            let lhs = result[a], rhs = result[b]
            if lhs.isAllDay != rhs.isAllDay { return lhs.isAllDay }
            if lhs.title != rhs.title { return lhs.title < rhs.title }
            return lhs.id < rhs.id
        }
        return order.map { result[$0] }
    }

    /// The occurrence a provider reports for a just-written or already-present event: a single event as
    /// itself, a series as its first instance. `nil` when no live VEVENT has that UID.
    func firstOccurrence(uid: String, defaultTimeZone: TimeZone, accountID: String,
                         calendarID: String) -> CalendarEvent? {
        guard let event = events.last(where: { $0.uid == uid && $0.recurrenceIDValue == nil })
                ?? events.first(where: { $0.uid == uid }) else { return nil }
        let resolver = ZoneResolver(defaultTimeZone: defaultTimeZone, aliases: timeZoneAliases)
        let context = OccurrenceContext(window: DateInterval(start: .distantPast, end: .distantFuture),
                                        resolver: resolver, accountID: accountID, calendarID: calendarID)
        guard var occurrence = context.single(event, keepUIDAsID: true, checkWindow: false) else { return nil }
        if let recurrenceID = event.recurrenceIDValue {
            occurrence.id = uid + "#" + context.isoKey(recurrenceID)
        } else if event.isRecurring {
            occurrence.id = uid + "#" + context.isoKey(event.startValue)
        }
        return occurrence
    }
}

/// The instances of one series that EXDATEs or overrides take out, keyed the way instances are compared:
/// by instant for timed values, by local day for dates.
private struct SeriesOverrides {
    var instants: Set<Int> = []
    var days: Set<Int> = []

    init(master: VEvent, overrides: [VEvent], resolver: ZoneResolver) {
        let masterIsDate = master.startValue.isDate
        let values = master.exdateValues + overrides.compactMap(\.recurrenceIDValue)
        for value in values {
            if value.isDate || masterIsDate {
                days.insert(value.dayNumber)
            } else {
                instants.insert(CivilCalendar.seconds(resolver.instant(value)))
            }
        }
    }

    func removes(day: Int, instant: Int) -> Bool {
        days.contains(day) || instants.contains(instant)
    }

    /// One override per RECURRENCE-ID: the highest SEQUENCE, the later one on a tie.
    static func latest(_ overrides: [VEvent]) -> [VEvent] {
        var byID: [ICalendarDateTime: VEvent] = [:]
        var order: [ICalendarDateTime] = []
        for event in overrides {
            guard let id = event.recurrenceIDValue else { continue }
            if let existing = byID[id] {
                if event.sequence >= existing.sequence { byID[id] = event }
            } else {
                byID[id] = event
                order.append(id)
            }
        }
        return order.compactMap { byID[$0] }
    }
}

/// Turns VEVENTs into `CalendarEvent`s for one window.
private struct OccurrenceContext {
    let window: DateInterval
    let resolver: ZoneResolver
    let accountID: String
    let calendarID: String

    /// The window's first and last UTC day numbers.
    let windowFirstDay: Int
    let windowLastDay: Int

    init(window: DateInterval, resolver: ZoneResolver, accountID: String, calendarID: String) {
        self.window = window
        self.resolver = resolver
        self.accountID = accountID
        self.calendarID = calendarID
        windowFirstDay = CivilCalendar.floorDiv(CivilCalendar.seconds(window.start), CivilCalendar.secondsPerDay)
        windowLastDay = CivilCalendar.floorDiv(CivilCalendar.seconds(window.end), CivilCalendar.secondsPerDay)
    }

    /// A timed event of zero length counts when it starts inside the window.
    func overlaps(start: Date, end: Date) -> Bool {
        start < window.end && (end > window.start || (end <= start && start >= window.start))
    }

    func occurrence(_ event: VEvent, id: String, start: EventTime, end: EventTime) -> CalendarEvent {
        CalendarEvent(id: id, title: event.summary ?? "(No title)", start: start, end: end,
                      location: event.location, notes: event.description, accountID: accountID,
                      calendarID: calendarID, isFromOthers: event.isFromOthers, blocksTime: !event.transparent)
    }

    /// A non-recurring event, or an override, as one occurrence with its own times.
    func single(_ event: VEvent, keepUIDAsID: Bool, checkWindow: Bool = true) -> CalendarEvent? {
        let start = event.startValue
        let id: String
        if let recurrenceID = event.recurrenceIDValue, !keepUIDAsID {
            id = event.uid + "#" + isoKey(recurrenceID)
        } else {
            id = event.uid
        }
        if start.isDate {
            let length = dateLength(event)
            let from = resolver.defaultClock.date(localDay: start.dayNumber, secondOfDay: 0)
            let to = resolver.defaultClock.date(localDay: start.dayNumber + length, secondOfDay: 0)
            guard !checkWindow || overlaps(start: from, end: to) else { return nil }
            return occurrence(event, id: id, start: .date(start.localDate),
                              end: .date(CivilCalendar.localDate(ofDay: start.dayNumber + length)))
        }
        let (clock, zoneName) = resolver.clock(for: start.anchor)
        let from = clock.date(localDay: start.dayNumber, secondOfDay: start.secondOfDay)
        var to = from
        var endZone = zoneName
        if let end = event.endValue {
            to = max(from, resolver.instant(end))
            if !end.isDate { endZone = resolver.clock(for: end.anchor).name }
        } else if let duration = event.duration {
            to = max(from, clock.date(localDay: start.dayNumber + duration.days, secondOfDay: start.secondOfDay)
                .addingTimeInterval(TimeInterval(duration.seconds)))
        }
        guard !checkWindow || overlaps(start: from, end: to) else { return nil }
        return occurrence(event, id: id, start: .dateTime(from, timeZone: zoneName),
                          end: .dateTime(to, timeZone: endZone))
    }

    /// Days an all-day event covers: DTEND − DTSTART, or its DURATION's days, and at least one.
    func dateLength(_ event: VEvent) -> Int {
        if let end = event.endValue { return max(1, end.dayNumber - event.startValue.dayNumber) }
        if let duration = event.duration { return max(1, duration.days + (duration.seconds >= 86_400 ? duration.seconds / 86_400 : 0)) }
        return 1
    }

    func isoKey(_ value: ICalendarDateTime) -> String {
        value.isDate ? value.localDate.description : CivilCalendar.isoUTC(resolver.instant(value))
    }

    /// Appends the occurrences of `event` (a series or a single event) that overlap the window.
    func expand(_ event: VEvent, skipping removed: SeriesOverrides, into result: inout [CalendarEvent]) {
        let start = event.startValue
        guard event.isRecurring else {
            // Most single events are nowhere near the window: rule them out on day numbers alone (local days
            // are within a day of UTC days; two days of margin) before any zone arithmetic.
            var lastDay = max(start.dayNumber, event.endValue?.dayNumber ?? start.dayNumber)
            if let duration = event.duration { lastDay += max(0, duration.days) + max(0, duration.seconds) / 86_400 + 1 }
            if start.dayNumber > windowLastDay + 2 || lastDay < windowFirstDay - 2 { return }
            if removed.removes(day: start.dayNumber, instant: start.isDate ? Int.min
                               : CivilCalendar.seconds(resolver.instant(start))) { return }
            if let occurrence = single(event, keepUIDAsID: true) { result.append(occurrence) }
            return
        }
        let isDate = start.isDate
        let (clock, zoneName) = isDate ? (resolver.defaultClock, nil) : resolver.clock(for: start.anchor)
        let seconds = isDate ? 0 : start.secondOfDay
        let lengthDays = isDate ? dateLength(event) : 0
        // Timed instances last as long as DTSTART→DTEND does in exact seconds (RFC 5545 §3.8.5.3).
        let exactLength: TimeInterval? = event.endValue.map {
            max(0, resolver.instant($0).timeIntervalSince(resolver.instant(start)))
        }
        let approximateLength = isDate ? TimeInterval(lengthDays * 86_400)
            : exactLength ?? event.duration.map { max(0, $0.approximateInterval) } ?? 0

        let windowStartDay = clock.local(window.start.addingTimeInterval(-approximateLength)).day - 2
        let windowEndDay = clock.local(window.end).day + 1
        let untilLimit = untilBound(event.rrule?.until, clock: clock)
        let untilDay: Int = if case .instant(let last)? = untilLimit { clock.local(last).day } else { Int.max - 1 }

        // The cap counts instances from the window's start on; instances starting before it (that may
        // still overlap it) get a cap of their own, for series whose instances are each very long.
        let limit = ICalendarDocument.occurrenceLimitPerSeries
        var fromWindowStart = 0
        var instances: [(day: Int, start: Date)] = []
        if let rule = event.rrule {
            RecurrenceExpander(rule: rule, startDay: start.dayNumber)
                .forEachDay(firstUsefulDay: windowStartDay, lastDay: windowEndDay) { day in
                    // Before the window (a COUNT rule counted from DTSTART) only UNTIL matters, and day numbers
                    // settle it: no zone arithmetic for instances that are never shown.
                    if day < windowStartDay {
                        switch untilLimit {
                        case .day(let last)? where day > last: return false
                        case .instant? where day > untilDay + 1: return false
                        default: return true
                        }
                    }
                    let instant = clock.date(localDay: day, secondOfDay: seconds)
                    switch untilLimit {
                    case .day(let last)? where day > last: return false
                    case .instant(let last)? where !isDate && instant > last: return false
                    case .instant? where isDate && day > untilDay: return false
                    default: break
                    }
                    if instant >= window.end { return false }
                    instances.append((day, instant))
                    if instant >= window.start { fromWindowStart += 1 }
                    return fromWindowStart < limit && instances.count < 2 * limit
                }
        } else {
            instances.append((start.dayNumber, clock.date(localDay: start.dayNumber, secondOfDay: seconds)))
        }
        for extra in event.rdateValues {
            let instant = extra.isDate ? clock.date(localDay: extra.dayNumber, secondOfDay: seconds) : resolver.instant(extra)
            instances.append((isDate || extra.isDate ? extra.dayNumber : clock.local(instant).day, instant))
        }
        if !event.rdateValues.isEmpty {
            instances.sort { $0.start < $1.start }
        }
        var seen = Set<Int>()
        var yielded = 0
        for instance in instances where yielded < limit {
            let key = CivilCalendar.seconds(instance.start)
            guard seen.insert(key).inserted else { continue }
            if removed.removes(day: instance.day, instant: isDate ? Int.min : key) { continue }
            let end: Date
            if isDate {
                end = clock.date(localDay: instance.day + lengthDays, secondOfDay: 0)
            } else if let exactLength {
                end = instance.start.addingTimeInterval(exactLength)
            } else if let duration = event.duration {
                end = max(instance.start, clock.date(localDay: instance.day + duration.days, secondOfDay: seconds)
                    .addingTimeInterval(TimeInterval(duration.seconds)))
            } else {
                end = instance.start
            }
            guard overlaps(start: instance.start, end: end) else { continue }
            yielded += 1
            if isDate {
                let date = CivilCalendar.localDate(ofDay: instance.day)
                result.append(occurrence(event, id: event.uid + "#" + date.description, start: .date(date),
                                         end: .date(CivilCalendar.localDate(ofDay: instance.day + lengthDays))))
            } else {
                result.append(occurrence(event, id: event.uid + "#" + CivilCalendar.isoUTC(instance.start),
                                         start: .dateTime(instance.start, timeZone: zoneName),
                                         end: .dateTime(end, timeZone: zoneName)))
            }
        }
    }

    private enum UntilBound { case day(Int), instant(Date) }

    /// UNTIL as a DATE bounds by local day; as a DATE-TIME by instant (UTC as RFC 5545 requires; a floating
    /// UNTIL, common in hand-made files, is read in the series' zone).
    private func untilBound(_ until: ICalendarDateTime?, clock: ZoneClock) -> UntilBound? {
        guard let until else { return nil }
        if until.isDate { return .day(until.dayNumber) }
        if until.anchor == .utc { return .instant(resolver.instant(until)) }
        return .instant(clock.date(localDay: until.dayNumber, secondOfDay: until.secondOfDay))
    }
}
