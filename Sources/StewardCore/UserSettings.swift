import Foundation

/// Minutes since local midnight, e.g. 09:00 = 540.
public struct TimeOfDay: Hashable, Codable, Sendable, Comparable {
    public var minutes: Int
    public init(minutes: Int) { self.minutes = minutes }
    public init(hour: Int, minute: Int = 0) { self.minutes = hour * 60 + minute }
    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
    /// `09:00`
    public var hhmm: String { String(format: "%02d:%02d", hour, minute) }
}

/// A daily window such as working hours or quiet hours; `end` may be before `start` (crosses midnight).
public struct DailyWindow: Hashable, Codable, Sendable {
    public var start: TimeOfDay
    public var end: TimeOfDay
    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }
    public var crossesMidnight: Bool { end <= start }
    public func contains(_ time: TimeOfDay) -> Bool {
        crossesMidnight ? (time >= start || time < end) : (time >= start && time < end)
    }
    /// `09:00-18:00`
    public var text: String { "\(start.hhmm)-\(end.hhmm)" }
}

public enum ClockStyle: String, Codable, Sendable { case h24 = "24h", h12 = "12h" }

/// Per-user preferences. Defaults are what a new user gets.
public struct UserSettings: Hashable, Codable, Sendable {
    /// IANA zone identifier.
    public var timeZone: String
    public var workingHours: DailyWindow = DailyWindow(start: TimeOfDay(hour: 9), end: TimeOfDay(hour: 18))
    public var workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    /// Kept free around the user's own events when finding slots.
    public var bufferMinutes: Int = 15
    /// No pushes in this window (urgent alerts from VIPs excepted); nil = off.
    public var quietHours: DailyWindow? = DailyWindow(start: TimeOfDay(hour: 22), end: TimeOfDay(hour: 7))
    /// When the daily digest is pushed; nil = off.
    public var digestTime: TimeOfDay? = TimeOfDay(hour: 8)
    /// Minutes between mail triage runs (minimum 1).
    public var triageMinutes: Int = 10
    public var clock: ClockStyle = .h24
    /// Account id of the calendar `/book` writes to; nil = the first connected account's primary.
    public var defaultCalendarAccount: String?
    public var vips: [String] = []
    public var keywords: [String] = []
    /// Senders (or `@domain`s) whose mail is never urgent: it waits for the digest. Optional so settings
    /// stored before this key existed still decode; read it through `muted`.
    public var mutedSenders: [String]?

    public var muted: [String] {
        get { mutedSenders ?? [] }
        set { mutedSenders = newValue.isEmpty ? nil : newValue }
    }
    /// Senders (or `@domain`s) whose mail is never alerted as urgent but is listed as usual ("Not urgent"
    /// on an alert). Optional for the same reason as `mutedSenders`; read it through `notUrgent`.
    public var notUrgentSenders: [String]?

    public var notUrgent: [String] {
        get { notUrgentSenders ?? [] }
        set { notUrgentSenders = newValue.isEmpty ? nil : newValue }
    }

    /// The platform whose private chat gets proactive pushes (`/settings home <platform>`); nil: the private
    /// chat used last. Optional so settings stored before this key existed still decode.
    public var homePlatform: Platform?

    public init(timeZone: String) { self.timeZone = timeZone }

    /// The zone, falling back to UTC if the stored identifier is no longer known to the system.
    public var zone: TimeZone { ZoneCalendars.made(for: timeZone).zone }

    /// A Gregorian calendar in `zone` (`Calendar.gregorian`).
    public var calendar: Calendar { ZoneCalendars.made(for: timeZone).calendar }
}

/// Each zone and its calendar, made once per identifier: every answer formats times in its sender's zone,
/// and making a `TimeZone` and a `Calendar` for it was most of what an answer spent in Foundation (issue 19).
enum ZoneCalendars {
    private static let known = Locked<[String: (zone: TimeZone, calendar: Calendar)]>([:])

    static func made(for identifier: String) -> (zone: TimeZone, calendar: Calendar) {
        if let pair = known.withLock({ $0[identifier] }) { return pair }
        let zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        let pair = (zone: zone, calendar: Calendar.gregorian(zone))
        known.withLock { known in
            // Identifiers are few (a few hundred zones exist); a process that somehow met more starts over.
            if known.count >= 1_024 { known.removeAll() }
            known[identifier] = pair
        }
        return pair
    }
}

/// A bad `/settings` value: `message` says what is expected. Nothing was changed.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
