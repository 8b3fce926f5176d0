import Foundation
import StewardCore

/// Changes to events already in a calendar file, made on its text so that everything Steward does not
/// touch (other events, unknown properties, alarms, the file's line endings) stays byte for byte.
///
/// Which VEVENT blocks to change is decided from the parsed document of the same text (each `VEvent`
/// knows the physical line of its `BEGIN:VEVENT`), so the text edit never has to re-derive UIDs or
/// recurrence ids. UIDs are kept: a moved event is the same event to every calendar program.
struct ICalendarTextEdit {
    /// Physical lines without their line ends.
    private var lines: [String]
    private let newline: String
    private let endsWithNewline: Bool

    init(_ text: String) {
        // On bytes, not Characters: to Swift, CR LF is one Character that is not "\n".
        newline = text.utf8.contains(0x0D) ? "\r\n" : "\n"
        endsWithNewline = text.utf8.last == 0x0A
        var split = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        if endsWithNewline { split.removeLast() }
        lines = split.map { line in String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self) }
    }

    var text: String {
        lines.joined(separator: newline) + (endsWithNewline ? newline : "")
    }

    /// The lines of the VEVENT whose `BEGIN:VEVENT` is on physical line `line` (1-based), through its
    /// `END:VEVENT`; nil when that line does not open a VEVENT or it is never closed.
    func block(at line: Int) -> Range<Int>? {
        let first = line - 1
        guard lines.indices.contains(first), Self.isMarker(lines[first], "BEGIN", "VEVENT") else { return nil }
        var depth = 0
        for index in first..<lines.count {
            if Self.isMarker(lines[index], "BEGIN", nil) { depth += 1 }
            if Self.isMarker(lines[index], "END", nil) {
                depth -= 1
                if depth == 0 { return Self.isMarker(lines[index], "END", "VEVENT") ? first..<(index + 1) : nil }
            }
        }
        return nil
    }

    /// Removes whole blocks (given by their `BEGIN:VEVENT` lines); false when one of them isn't there.
    mutating func removeBlocks(at starts: [Int]) -> Bool {
        let ranges = starts.compactMap(block(at:))
        guard ranges.count == starts.count else { return false }
        for range in ranges.sorted(by: { $0.lowerBound > $1.lowerBound }) { lines.removeSubrange(range) }
        return true
    }

    /// Rewrites the VEVENT's own properties (not those of an alarm inside it): `transform` gets each
    /// property's name and its physical lines, and returns the physical lines to keep in its place.
    /// `appended` lines go just before `END:VEVENT`. False when the block isn't there.
    mutating func rewrite(blockAt line: Int, appending appended: [String] = [],
                          _ transform: (_ name: String, _ lines: [String]) -> [String]?) -> Bool {
        guard let range = block(at: line) else { return false }
        var out: [String] = [lines[range.lowerBound]]
        var depth = 1
        var index = range.lowerBound + 1
        while index < range.upperBound - 1 {
            var end = index + 1
            while end < range.upperBound - 1, lines[end].first == " " || lines[end].first == "\t" { end += 1 }
            let property = Array(lines[index..<end])
            if Self.isMarker(lines[index], "BEGIN", nil) { depth += 1 }
            if Self.isMarker(lines[index], "END", nil) { depth -= 1 }
            if depth == 1, !Self.isMarker(lines[index], "END", nil),
               let replacement = transform(Self.name(of: lines[index]), property) {
                out += replacement
            } else {
                out += property
            }
            index = end
        }
        out += appended
        out.append(lines[range.upperBound - 1])
        lines.replaceSubrange(range, with: out)
        return true
    }

    /// The property name of a content line, upper-cased (`DTSTART` of `dtstart;TZID=…:…`).
    static func name(of line: String) -> String {
        let end = line.firstIndex { $0 == ";" || $0 == ":" } ?? line.endIndex
        return line[..<end].uppercased()
    }

    private static func isMarker(_ line: String, _ keyword: String, _ component: String?) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces).uppercased()
        guard trimmed.hasPrefix(keyword + ":") else { return false }
        return component.map { trimmed == keyword + ":" + $0 } ?? true
    }
}

extension ICalendarWriter {
    /// One content line as the physical lines it is written on (folded at 75 octets).
    static func physicalLines(_ line: String) -> [String] {
        fold(line).components(separatedBy: "\r\n")
    }

    /// `DTSTART`/`DTEND` of a timed event in `timeZone` (its TZID), or in UTC when that zone is UTC or
    /// unknown — the same choice `event(_:now:)` makes for new events.
    static func timedLines(start: Date, end: Date, timeZone: String) -> [String] {
        let end = max(start, end)
        let lines: [String]
        if let zone = TimeZone(identifier: timeZone), !isUTC(timeZone) {
            let tzid = ";TZID=" + EventLines.parameterValue(timeZone) + ":"
            lines = ["DTSTART" + tzid + localStamp(start, ZoneClock(zone)), "DTEND" + tzid + localStamp(end, ZoneClock(zone))]
        } else {
            lines = ["DTSTART:" + utcStamp(start), "DTEND:" + utcStamp(end)]
        }
        return lines.flatMap(physicalLines)
    }

    /// The EXDATE that takes out the instance whose occurrence key (what follows `#` in its id) is `key`:
    /// `2026-10-26` for an all-day series, `2026-10-26T08:00:00Z` for a timed one.
    static func exclusion(ofInstance key: String) -> String? {
        let digits = key.filter { $0 != "-" && $0 != ":" }
        if digits.count == 8, digits.allSatisfy(\.isNumber) { return "EXDATE;VALUE=DATE:" + digits }
        guard digits.count == 16, digits.hasSuffix("Z"), digits.dropFirst(8).first == "T" else { return nil }
        return "EXDATE:" + digits
    }
}
