import Foundation

/// One account's events held in memory, answering "what overlaps this window" without scanning them all:
/// the local copy behind `/today` and `/free` for remote calendars.
///
/// Events are kept sorted by a zone-free key (a timed event's start instant; an all-day event's date at
/// 00:00 UTC). Any zone shifts an all-day date by at most 14 hours, so the candidates for a window lie in
/// `[window.start − longest event − 14 h, window.end + 14 h]`; only those are checked precisely in the
/// user's zone.
public struct CalendarSnapshot: Sendable {
    public private(set) var events: [CalendarEvent] = []
    private var keys: [Date] = []
    /// The longest event's length by its key, so a long event that began earlier is still found.
    private var longest: TimeInterval = 0
    private static let zoneMargin: TimeInterval = 14 * 3600

    public init(_ events: [CalendarEvent] = []) {
        replaceAll(events)
    }

    public var count: Int { events.count }

    public mutating func replaceAll(_ newEvents: [CalendarEvent]) {
        let sorted = newEvents.map { (Self.key($0.start), $0) }.sorted { $0.0 < $1.0 }
        events = sorted.map(\.1)
        keys = sorted.map(\.0)
        longest = events.map { Self.key($0.end).timeIntervalSince(Self.key($0.start)) }.max() ?? 0
    }

    /// Adds `event`, replacing one with the same id (an event Steward just wrote, before the next sync).
    public mutating func upsert(_ event: CalendarEvent) {
        if let index = events.firstIndex(where: { $0.id == event.id }) {
            events.remove(at: index)
            keys.remove(at: index)
        }
        let key = Self.key(event.start)
        let index = lowerBound(key)
        events.insert(event, at: index)
        keys.insert(key, at: index)
        longest = max(longest, Self.key(event.end).timeIntervalSince(key))
    }

    /// Drops the event with this id (one Steward just deleted, before the next sync).
    public mutating func remove(id: String) {
        guard let index = events.firstIndex(where: { $0.id == id }) else { return }
        events.remove(at: index)
        keys.remove(at: index)
    }

    /// Every event overlapping `window` in `zone`, by start; an instant event counts at the window's start.
    public func events(in window: DateInterval, zone: TimeZone) -> [CalendarEvent] {
        let first = lowerBound(window.start.addingTimeInterval(-longest - Self.zoneMargin))
        let last = lowerBound(window.end.addingTimeInterval(Self.zoneMargin))
        guard first < last else { return [] }
        return events[first..<last].filter { event in
            let span = event.interval(in: zone)
            return span.start < window.end && (span.end > window.start || span.start == window.start)
        }
    }

    private func lowerBound(_ key: Date) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func key(_ time: EventTime) -> Date {
        switch time {
        case .date(let day): day.startOfDay(in: .gmt)
        case .dateTime(let instant, _): instant
        }
    }
}
