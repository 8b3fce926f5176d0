import Foundation

/// Maps the TZID strings calendar programs actually write to zones of the system time-zone database.
///
/// Resolution order: an IANA id as written; the trailing IANA part of a prefixed id
/// (`/mozilla.org/20050126_1/Europe/Berlin`, `/freeassociation.sourceforge.net/Tzfile/Europe/Berlin`); the
/// `X-LIC-LOCATION` of the file's own VTIMEZONE for that TZID; a Windows zone name (Outlook, Exchange).
/// Anything else is unknown, and callers read such times in their default zone.
public enum TimeZoneNames {
    /// The zone for `tzid`, or `nil` when it cannot be identified.
    /// `aliases` maps a file's VTIMEZONE TZIDs to their `X-LIC-LOCATION`.
    public static func resolve(_ tzid: String, aliases: [String: String] = [:]) -> TimeZone? {
        let trimmed = tzid.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if let zone = ianaZone(trimmed) { return zone }
        if trimmed.hasPrefix("/") || trimmed.contains("/") {
            // Try successively shorter suffixes: `/mozilla.org/20050126_1/America/Argentina/Buenos_Aires`
            // must resolve to the three-part id, not to `Buenos_Aires`.
            let parts = trimmed.split(separator: "/")
            for start in parts.indices where parts.count - start <= 3 {
                let candidate = parts[start...].joined(separator: "/")
                if let zone = ianaZone(candidate) { return zone }
            }
        }
        if let location = aliases[tzid], location != tzid, let zone = ianaZone(location) { return zone }
        if let iana = windowsZones[trimmed] ?? windowsZones[trimmed.replacingOccurrences(of: "\"", with: "")] {
            return TimeZone(identifier: iana)
        }
        return nil
    }

    /// `TimeZone(identifier:)` accepts some strings that are not zone ids (e.g. abbreviations on some
    /// platforms); only accept what round-trips or is a plain UTC spelling.
    private static func ianaZone(_ id: String) -> TimeZone? {
        if ["UTC", "GMT", "Z", "Etc/UTC", "Etc/GMT", "UCT", "Universal", "Zulu"].contains(id) {
            return TimeZone(identifier: "UTC")
        }
        guard id.contains("/") || id.uppercased() == id, let zone = TimeZone(identifier: id) else { return nil }
        return zone
    }

    /// Windows time-zone names → IANA ids, from CLDR's windowsZones.xml "001" (territory-neutral) rows,
    /// limited to the zones people commonly book meetings in.
    static let windowsZones: [String: String] = [
        "UTC": "UTC",
        "Coordinated Universal Time": "UTC",
        "GMT Standard Time": "Europe/London",
        "Greenwich Standard Time": "Atlantic/Reykjavik",
        "W. Europe Standard Time": "Europe/Berlin",
        "Central Europe Standard Time": "Europe/Budapest",
        "Central European Standard Time": "Europe/Warsaw",
        "Romance Standard Time": "Europe/Paris",
        "E. Europe Standard Time": "Europe/Chisinau",
        "FLE Standard Time": "Europe/Kiev",
        "GTB Standard Time": "Europe/Bucharest",
        "Russian Standard Time": "Europe/Moscow",
        "Turkey Standard Time": "Europe/Istanbul",
        "Israel Standard Time": "Asia/Jerusalem",
        "South Africa Standard Time": "Africa/Johannesburg",
        "Egypt Standard Time": "Africa/Cairo",
        "Arabian Standard Time": "Asia/Dubai",
        "Arab Standard Time": "Asia/Riyadh",
        "India Standard Time": "Asia/Kolkata",
        "China Standard Time": "Asia/Shanghai",
        "Singapore Standard Time": "Asia/Singapore",
        "Tokyo Standard Time": "Asia/Tokyo",
        "Korea Standard Time": "Asia/Seoul",
        "AUS Eastern Standard Time": "Australia/Sydney",
        "E. Australia Standard Time": "Australia/Brisbane",
        "W. Australia Standard Time": "Australia/Perth",
        "New Zealand Standard Time": "Pacific/Auckland",
        "Eastern Standard Time": "America/New_York",
        "Central Standard Time": "America/Chicago",
        "Mountain Standard Time": "America/Denver",
        "US Mountain Standard Time": "America/Phoenix",
        "Pacific Standard Time": "America/Los_Angeles",
        "Alaskan Standard Time": "America/Anchorage",
        "Hawaiian Standard Time": "Pacific/Honolulu",
        "Atlantic Standard Time": "America/Halifax",
        "Newfoundland Standard Time": "America/St_Johns",
        "Canada Central Standard Time": "America/Regina",
        "Central Standard Time (Mexico)": "America/Mexico_City",
        "SA Pacific Standard Time": "America/Bogota",
        "E. South America Standard Time": "America/Sao_Paulo",
        "Argentina Standard Time": "America/Buenos_Aires",
    ]
}

/// Resolves the anchors of one document's values to zones and instants, caching one `ZoneClock` per TZID.
/// Not thread-safe: one per parse or per expansion call.
final class ZoneResolver {
    let defaultClock: ZoneClock
    let utcClock: ZoneClock
    private let aliases: [String: String]
    /// TZID → clock, or `nil` when the TZID is unknown (then the default zone is used).
    private var clocks: [String: ZoneClock?] = [:]
    private var lastLookup: (tzid: String, result: (clock: ZoneClock, name: String?))?

    init(defaultTimeZone: TimeZone, aliases: [String: String]) {
        defaultClock = ZoneClock(defaultTimeZone)
        utcClock = ZoneClock(TimeZone(identifier: "UTC") ?? defaultTimeZone)
        self.aliases = aliases
    }

    /// The clock a value's local fields are read with, and the zone name to report for it
    /// (`nil` for floating times and unknown TZIDs, which borrow the default zone).
    func clock(for anchor: ICalendarDateTime.Anchor) -> (clock: ZoneClock, name: String?) {
        switch anchor {
        case .utc:
            return (utcClock, "UTC")
        case .floating:
            return (defaultClock, nil)
        case .zone(let tzid):
            // Most values of a file share one TZID: a one-entry memo saves hashing it every time.
            if let last = lastLookup, last.tzid == tzid { return last.result }
            let clock: ZoneClock?
            if let cached = clocks[tzid] {
                clock = cached
            } else {
                clock = TimeZoneNames.resolve(tzid, aliases: aliases).map(ZoneClock.init)
                clocks[tzid] = clock
            }
            let result: (clock: ZoneClock, name: String?) = clock.map { ($0, $0.timeZone.identifier) } ?? (defaultClock, nil)
            lastLookup = (tzid, result)
            return result
        }
    }

    func instant(_ value: ICalendarDateTime) -> Date {
        if value.isDate { return defaultClock.date(localDay: value.dayNumber, secondOfDay: 0) }
        return clock(for: value.anchor).clock.date(localDay: value.dayNumber, secondOfDay: value.secondOfDay)
    }
}
