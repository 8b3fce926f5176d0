import Foundation
import StewardCore

/// Reads RFC 5545 iCalendar text.
///
/// Guarantees: structure errors (a line without `:`, an END that does not match its BEGIN, an unclosed
/// component) and unreadable values of the properties Steward uses (DTSTART, DTEND, DURATION, RRULE,
/// EXDATE, RDATE, RECURRENCE-ID) throw an `ICalendarError` carrying the line number; nothing on any input
/// traps. Unknown components (VTODO, VJOURNAL, VFREEBUSY, VALARM inside a VEVENT, VTIMEZONE) and unknown
/// properties are skipped. Work is done on UTF-8 bytes in one pass, so large files parse quickly.
public enum ICalendarParser {
    /// Parses `text`; floating times and unknown TZIDs in the resolved `VEvent` fields (`start`, `end`, …)
    /// are read in UTC. `occurrences(in:defaultTimeZone:…)` re-reads them in the zone it is given.
    public static func parse(_ text: String) throws -> ICalendarDocument {
        try parse(text, defaultTimeZone: utc)
    }

    /// Parses UTF-8 `data` (a byte-order mark is skipped; invalid UTF-8 is repaired, not fatal).
    public static func parse(_ data: Data) throws -> ICalendarDocument {
        try parse(data, defaultTimeZone: utc)
    }

    /// As `parse(_:)`, reading floating times and unknown TZIDs of the resolved fields in `defaultTimeZone`.
    public static func parse(_ text: String, defaultTimeZone: TimeZone) throws -> ICalendarDocument {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0, defaultTimeZone: defaultTimeZone) }
    }

    public static func parse(_ data: Data, defaultTimeZone: TimeZone) throws -> ICalendarDocument {
        try data.withUnsafeBytes { raw in
            try parse(bytes: raw.bindMemory(to: UInt8.self), defaultTimeZone: defaultTimeZone)
        }
    }

    public static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static func parse(bytes: UnsafeBufferPointer<UInt8>, defaultTimeZone: TimeZone) throws -> ICalendarDocument {
        var document = ICalendarDocument()
        var stack: [(name: String, line: Int)] = []
        var sawCalendar = false
        var event: EventBuilder?
        var timeZoneID: String?
        var timeZoneLocation: String?
        var lastLine = 0
        let cache = ParseCache()

        try ContentLineScanner.scan(bytes) { line in
            lastLine = line.line
            switch line.name {
            case "BEGIN":
                let component = line.value.trimmingBlanks.asciiUppercased
                if stack.isEmpty {
                    guard component == "VCALENDAR" else {
                        throw ICalendarError(line: line.line, "expected BEGIN:VCALENDAR, found BEGIN:\(component)")
                    }
                    sawCalendar = true
                } else if stack.count == 1 && component == "VEVENT" {
                    event = EventBuilder(line: line.line, cache: cache)
                } else if stack.count == 1 && component == "VTIMEZONE" {
                    timeZoneID = nil
                    timeZoneLocation = nil
                }
                stack.append((component, line.line))
            case "END":
                let component = line.value.trimmingBlanks.asciiUppercased
                guard let open = stack.last else {
                    throw ICalendarError(line: line.line, "END:\(component) without a matching BEGIN")
                }
                guard open.name == component else {
                    throw ICalendarError(line: line.line,
                                         "END:\(component) found where END:\(open.name) (line \(open.line)) was expected")
                }
                stack.removeLast()
                if stack.count == 1 && component == "VEVENT", let finished = event {
                    if let parsed = try finished.build() { document.events.append(parsed) }
                    event = nil
                } else if stack.count == 1 && component == "VTIMEZONE", let id = timeZoneID, let location = timeZoneLocation {
                    document.timeZoneAliases[id] = location
                }
            default:
                guard !stack.isEmpty else {
                    if !sawCalendar {
                        throw ICalendarError(line: line.line, "not an iCalendar file (expected BEGIN:VCALENDAR)")
                    }
                    throw ICalendarError(line: line.line, "\(line.name) outside BEGIN:VCALENDAR … END:VCALENDAR")
                }
                if stack.count == 2, event != nil {
                    try event?.apply(line)
                } else if stack.count == 2 && stack[1].name == "VTIMEZONE" {
                    if line.name == "TZID" { timeZoneID = line.value }
                    if line.name == "X-LIC-LOCATION" { timeZoneLocation = line.value }
                } else if stack.count == 1 {
                    if line.name == "X-WR-CALNAME" { document.calendarName = ICalendarText.unescape(line.value) }
                    if line.name == "X-WR-TIMEZONE" { document.calendarTimeZone = line.value }
                }
            }
        }
        if let open = stack.last {
            throw ICalendarError(line: max(lastLine, open.line), "BEGIN:\(open.name) on line \(open.line) is never closed")
        }
        guard sawCalendar else { throw ICalendarError(line: 1, "not an iCalendar file (no BEGIN:VCALENDAR)") }

        let resolver = ZoneResolver(defaultTimeZone: defaultTimeZone, aliases: document.timeZoneAliases)
        for index in document.events.indices {
            document.events[index].resolve(with: resolver)
        }
        return document
    }
}

/// Values worth computing once per file rather than once per event.
private final class ParseCache {
    var rules: [String: Result<RecurrenceRule, RecurrenceRuleError>] = [:]
}

/// Collects one VEVENT's properties; `build()` checks what must be there.
private struct EventBuilder {
    let line: Int
    let cache: ParseCache
    var uid: String?
    var summary: String?
    var description: String?
    var location: String?
    var start: ICalendarDateTime?
    var end: ICalendarDateTime?
    var duration: ICalendarDuration?
    var rrule: RecurrenceRule?
    var rdates: [ICalendarDateTime] = []
    var exdates: [ICalendarDateTime] = []
    var recurrenceID: ICalendarDateTime?
    var sequence = 0
    var transparent = false
    var cancelled = false
    var organizer: ICalendarParticipant?
    var attendees: [ICalendarParticipant] = []
    var stewardWritten = false

    init(line: Int, cache: ParseCache) {
        self.line = line
        self.cache = cache
    }

    mutating func apply(_ property: ContentLine) throws {
        switch property.name {
        case "UID": uid = ICalendarText.singleLine(property.value).trimmingBlanks
        case "SUMMARY": summary = ICalendarText.unescape(property.valueBytes)
        case "DESCRIPTION": description = ICalendarText.unescape(property.valueBytes)
        case "LOCATION": location = ICalendarText.unescape(property.valueBytes)
        case "DTSTART": start = try Self.dateTime(property)
        case "DTEND": end = try Self.dateTime(property)
        case "RECURRENCE-ID": recurrenceID = try Self.dateTime(property)
        case "DURATION":
            guard let parsed = ICalendarDuration(property.value.trimmingBlanks) else {
                throw ICalendarError(line: property.line, "DURATION '\(property.value)' is not a duration")
            }
            duration = parsed
        case "RRULE":
            guard rrule == nil else { return } // several RRULEs are deprecated; the first one wins
            // Many events of a file share a rule text: parse each text once.
            let text = property.value
            let parsed: Result<RecurrenceRule, RecurrenceRuleError>
            if let cached = cache.rules[text] {
                parsed = cached
            } else {
                parsed = Result { () throws(RecurrenceRuleError) in try RecurrenceRule(parsing: text) }
                cache.rules[text] = parsed
            }
            switch parsed {
            case .success(let rule): rrule = rule
            case .failure(let error): throw ICalendarError(line: property.line, "RRULE: \(error.message)")
            }
        case "EXDATE": exdates += try Self.dateTimeList(property)
        case "RDATE":
            if property.parameter("VALUE")?.asciiUppercased == "PERIOD" { return }
            rdates += try Self.dateTimeList(property)
        case "SEQUENCE": sequence = Int(property.value.trimmingBlanks) ?? 0
        case "TRANSP": transparent = property.value.trimmingBlanks.asciiUppercased == "TRANSPARENT"
        case "STATUS": cancelled = property.value.trimmingBlanks.asciiUppercased == "CANCELLED"
        case "ORGANIZER": organizer = Self.participant(property)
        case "ATTENDEE": attendees.append(Self.participant(property))
        default:
            if property.name.hasPrefix("X-STEWARD") { stewardWritten = true }
        }
    }

    /// The finished event, `nil` for a cancelled stub without DTSTART (iTIP CANCEL messages omit it).
    func build() throws -> VEvent? {
        guard let start else {
            if cancelled { return nil }
            throw ICalendarError(line: line, "VEVENT without DTSTART")
        }
        var event = VEvent(uid: uid ?? Self.syntheticUID(start: start, summary: summary), startValue: start, line: line)
        event.summary = summary
        event.description = description
        event.location = location
        event.endValue = end
        event.duration = end == nil ? duration : nil
        event.rrule = rrule
        event.rdateValues = rdates
        event.exdateValues = exdates
        event.recurrenceIDValue = recurrenceID
        event.sequence = sequence
        event.transparent = transparent
        event.cancelled = cancelled
        event.organizer = organizer
        event.attendees = attendees
        event.isStewardWritten = stewardWritten
        return event
    }

    /// A stable stand-in for a missing UID (required by RFC 5545, absent in some hand-made files), so that
    /// the same event keeps the same id across re-reads.
    private static func syntheticUID(start: ICalendarDateTime, summary: String?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (summary ?? "").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "no-uid-\(start)-\(String(hash, radix: 16))"
    }

    private static func dateTime(_ property: ContentLine) throws -> ICalendarDateTime {
        let forceDate = property.parameter("VALUE")?.asciiUppercased == "DATE"
        guard let parsed = ICalendarDateTime.parse(property.valueBytes, tzid: property.parameter("TZID"), forceDate: forceDate) else {
            throw ICalendarError(line: property.line, "\(property.name) '\(property.value)' is not a DATE or DATE-TIME")
        }
        return parsed
    }

    private static func dateTimeList(_ property: ContentLine) throws -> [ICalendarDateTime] {
        let forceDate = property.parameter("VALUE")?.asciiUppercased == "DATE"
        let tzid = property.parameter("TZID")
        var values: [ICalendarDateTime] = []
        let valid = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ",") {
                let item = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                if item.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard let parsed = ICalendarDateTime.parse(item, tzid: tzid, forceDate: forceDate) else { return false }
                values.append(parsed)
            }
            return true
        }(property.valueBytes)
        guard valid else {
            throw ICalendarError(line: property.line, "\(property.name) '\(property.value)' is not a list of DATE or DATE-TIME")
        }
        return values
    }

    private static let mailto = Array("mailto:".utf8)

    private static func participant(_ property: ContentLine) -> ICalendarParticipant {
        var bytes = property.valueBytes[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        let mailto = Self.mailto
        // Every byte of "mailto:" has the 0x20 bit set, so OR-ing it in folds ASCII case.
        if bytes.count >= mailto.count && zip(bytes.prefix(mailto.count), mailto).allSatisfy({ ($0 | 0x20) == $1 }) {
            bytes = bytes.dropFirst(mailto.count)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self)
        let needsCleaning = bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 >= 0xC2 }
        return ICalendarParticipant(address: needsCleaning ? ICalendarText.singleLine(text) : text,
                                    name: property.parameter("CN"),
                                    participationStatus: property.parameter("PARTSTAT")?.asciiUppercased)
    }
}
