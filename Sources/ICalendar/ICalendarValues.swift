import Foundation
import StewardCore

/// A DATE or DATE-TIME value exactly as written: local fields plus how they are anchored.
///
/// Kept unresolved so that a floating time or an unknown TZID can be read in whichever default zone the
/// caller supplies when it expands occurrences, and so that recurrence expansion can step in local time.
public struct ICalendarDateTime: Hashable, Sendable, CustomStringConvertible {
    /// How the local fields map to an instant.
    public enum Anchor: Hashable, Sendable {
        /// Trailing `Z`.
        case utc
        /// No `Z` and no `TZID`: the same wall-clock time wherever the reader is.
        case floating
        /// `TZID=<id>` as written (it may be a Windows or `/mozilla.org/…` name; see `TimeZoneNames`).
        case zone(String)
    }

    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// `VALUE=DATE`: an all-day value, the time fields are zero and meaningless.
    public var isDate: Bool
    public var anchor: Anchor

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                isDate: Bool = false, anchor: Anchor = .floating) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.isDate = isDate
        self.anchor = anchor
    }

    public var localDate: LocalDate { LocalDate(year: year, month: month, day: day) }

    var dayNumber: Int { CivilCalendar.dayNumber(year: year, month: month, day: day) }
    var secondOfDay: Int { hour * 3600 + minute * 60 + second }

    /// `20261123`, `20261123T090000Z` or `20261123T090000` (the anchor's TZID is a parameter, not shown).
    public var description: String {
        let date = CivilCalendar.pad(year, 4) + CivilCalendar.pad(month, 2) + CivilCalendar.pad(day, 2)
        if isDate { return date }
        let time = CivilCalendar.pad(hour, 2) + CivilCalendar.pad(minute, 2) + CivilCalendar.pad(second, 2)
        return date + "T" + time + (anchor == .utc ? "Z" : "")
    }

    /// Parses `YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]` straight from UTF-8 (no intermediate strings, no regex).
    /// Leap second 60 is accepted and read as 59; anything else out of range is rejected.
    static func parse(_ text: String, tzid: String?, forceDate: Bool) -> ICalendarDateTime? {
        var text = text
        return text.withUTF8 { parse($0, tzid: tzid, forceDate: forceDate) }
    }

    /// As `parse(_:tzid:forceDate:)`, on bytes; spaces and tabs are ignored (some writers pad values).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, tzid: String?, forceDate: Bool) -> ICalendarDateTime? {
        var digits = (0, 0, 0, 0, 0, 0) // year, month, day, hour, minute, second
        var count = 0
        var sawT = false
        var sawZ = false
        var value = 0
        var fieldDigits = 0
        var field = 0
        for byte in bytes {
            if sawZ { return nil }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard field < 6 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                fieldDigits += 1
                count += 1
                if fieldDigits == (field == 0 ? 4 : 2) {
                    switch field {
                    case 0: digits.0 = value
                    case 1: digits.1 = value
                    case 2: digits.2 = value
                    case 3: digits.3 = value
                    case 4: digits.4 = value
                    default: digits.5 = value
                    }
                    field += 1
                    value = 0
                    fieldDigits = 0
                }
            case UInt8(ascii: "T"), UInt8(ascii: "t"):
                guard field == 3, !sawT else { return nil }
                sawT = true
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard field == 6 else { return nil }
                sawZ = true
            case 0x20, 0x09:
                continue
            default:
                return nil
            }
        }
        let isDate: Bool
        if count == 8 && !sawT && !sawZ {
            isDate = true
        } else if count == 14 && sawT && field == 6 {
            isDate = false
        } else {
            return nil
        }
        if forceDate && !isDate { return nil }
        let (year, month, day, hour, minute, second) = digits
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        let anchor: Anchor = sawZ ? .utc : (tzid.map { .zone($0) } ?? .floating)
        return ICalendarDateTime(year: year, month: month, day: day, hour: hour, minute: minute,
                                 second: min(second, 59), isDate: isDate, anchor: isDate ? .floating : anchor)
    }
}

/// An RFC 5545 DURATION. Days and weeks are nominal (a day is a calendar day, 23 or 25 hours across a DST
/// change); the time part is exact seconds.
public struct ICalendarDuration: Hashable, Sendable, CustomStringConvertible {
    /// Weeks are folded into days (`P1W` → 7).
    public var days: Int
    public var seconds: Int

    public init(days: Int = 0, seconds: Int = 0) {
        self.days = days
        self.seconds = seconds
    }

    /// The length if every day had 24 hours.
    public var approximateInterval: TimeInterval { TimeInterval(days * 86_400 + seconds) }

    public var description: String {
        let negative = days < 0 || seconds < 0
        let d = abs(days), s = abs(seconds)
        var text = negative ? "-P" : "P"
        if d > 0 { text += "\(d)D" }
        if s > 0 || d == 0 {
            text += "T"
            if s / 3600 > 0 { text += "\(s / 3600)H" }
            if s / 60 % 60 > 0 { text += "\(s / 60 % 60)M" }
            if s % 60 > 0 || s == 0 { text += "\(s % 60)S" }
        }
        return text
    }

    /// Parses `[+-]P[nW][nD][T[nH][nM][nS]]`.
    public init?(_ text: String) {
        var bytes = Substring(text).utf8[...]
        var sign = 1
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            bytes = bytes.dropFirst()
        }
        guard bytes.first == UInt8(ascii: "P") else { return nil }
        bytes = bytes.dropFirst()
        var days = 0, seconds = 0, number = 0, haveNumber = false, inTime = false, units = 0, timeUnits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard number < 100_000_000 else { return nil }
                number = number * 10 + Int(byte - UInt8(ascii: "0"))
                haveNumber = true
                continue
            case UInt8(ascii: "T"):
                guard !inTime, !haveNumber else { return nil }
                inTime = true
                continue
            case UInt8(ascii: "W") where !inTime: days += number * 7
            case UInt8(ascii: "D") where !inTime: days += number
            case UInt8(ascii: "H") where inTime: seconds += number * 3600
            case UInt8(ascii: "M") where inTime: seconds += number * 60
            case UInt8(ascii: "S") where inTime: seconds += number
            default: return nil
            }
            guard haveNumber else { return nil }
            units += 1
            if inTime { timeUnits += 1 }
            number = 0
            haveNumber = false
        }
        guard units > 0, !haveNumber, !inTime || timeUnits > 0 else { return nil }
        self.init(days: sign * days, seconds: sign * seconds)
    }
}

/// An ORGANIZER or ATTENDEE: the address without its `mailto:` scheme, and the parameters people read.
public struct ICalendarParticipant: Hashable, Sendable {
    /// `alice@example.com` (or the URI as written when it is not `mailto:`).
    public var address: String
    /// `CN`
    public var name: String?
    /// `PARTSTAT`, upper-cased (`ACCEPTED`, `DECLINED`, `NEEDS-ACTION`, …).
    public var participationStatus: String?

    public init(address: String, name: String? = nil, participationStatus: String? = nil) {
        self.address = address
        self.name = name
        self.participationStatus = participationStatus
    }
}

/// TEXT escaping (RFC 5545 §3.3.11).
enum ICalendarText {
    /// `\n`/`\N` → newline, `\,` `\;` `\\` → the character; an unknown escape keeps its character.
    static func unescape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { unescape($0) }
    }

    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let backslash = UInt8(ascii: "\\")
        guard bytes.contains(backslash) else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var written = 0
            var escaping = false
            for byte in bytes {
                if escaping {
                    out[written] = byte == UInt8(ascii: "n") || byte == UInt8(ascii: "N") ? 0x0A : byte
                    written += 1
                    escaping = false
                } else if byte == backslash {
                    escaping = true
                } else {
                    out[written] = byte
                    written += 1
                }
            }
            if escaping {
                out[written] = backslash
                written += 1
            }
            return written
        }
    }

    /// The inverse of `unescape`; line breaks of any kind become `\n`, other control characters are dropped
    /// (TEXT may not contain them, and a raw CR or LF would let a title inject properties).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\u{2028}", "\u{2029}", "\u{85}": out += "\\n"
            default:
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Drops control characters from a value that is not TEXT (a URI, a UID): it must stay on its line.
    static func singleLine(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F
            && $0 != "\u{2028}" && $0 != "\u{2029}" && $0 != "\u{85}" }))
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (the only blanks iCalendar values are padded with);
    /// cheaper than Foundation's trimming, which matters once per property in large files.
    var trimmingBlanks: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        if !isBlank(first) && !isBlank(last) { return self }
        guard let start = bytes.firstIndex(where: { !isBlank($0) }),
              let end = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[start...end])
    }

    /// ASCII letters upper-cased, everything else unchanged (iCalendar names and enumerated values are
    /// ASCII and case-insensitive; full Unicode case mapping is needless work for them).
    var asciiUppercased: String {
        guard utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) else { return self }
        return String(decoding: utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
