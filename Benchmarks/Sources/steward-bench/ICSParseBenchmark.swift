import Foundation
import ICalendar
import StewardCore

/// Parsing a 5,000-event calendar feed, built in memory the way real feeds look: a VTIMEZONE, timed
/// events with TZID, UTC events, all-day events, weekly RRULEs with EXDATEs, escaped text and folded lines.
struct ICSParseBenchmark {
    let eventCount = 5_000

    func makeFeed() -> Data {
        var random = SplitMix64(seed: 0x1C5)
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Steward//Benchmark//EN", "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Benchmark", "X-WR-TIMEZONE:Europe/Berlin",
            "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
            "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
            "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
            "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
            "END:VTIMEZONE",
        ]
        let firstDay = LocalDate(year: 2026, month: 1, day: 5)
        func compact(_ day: LocalDate) -> String { day.description.replacingOccurrences(of: "-", with: "") }
        func clock(_ minutes: Int) -> String { String(format: "T%02d%02d00", minutes / 60, minutes % 60) }

        for index in 0..<eventCount {
            let day = firstDay.adding(days: Int.random(in: 0..<365, using: &random))
            let start = Int.random(in: 28..<80, using: &random) * 15
            let end = start + [15, 30, 45, 60, 90, 120].randomElement(using: &random)!
            lines += ["BEGIN:VEVENT", "UID:bench-\(index)-\(random.next() % 1_000_000)@steward.test",
                      "DTSTAMP:20260101T090000Z", "SEQUENCE:\(index % 3)"]
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                lines += ["DTSTART;TZID=Europe/Berlin:\(compact(day))\(clock(start))",
                          "DTEND;TZID=Europe/Berlin:\(compact(day))\(clock(end))"]
            case 5..<7:
                lines += ["DTSTART:\(compact(day))\(clock(start))Z", "DTEND:\(compact(day))\(clock(end))Z"]
            case 7..<9:
                lines += ["DTSTART;VALUE=DATE:\(compact(day))", "DTEND;VALUE=DATE:\(compact(day.adding(days: 1)))",
                          "TRANSP:TRANSPARENT"]
            default:
                lines += ["DTSTART;TZID=Europe/Berlin:\(compact(day))\(clock(start))",
                          "DTEND;TZID=Europe/Berlin:\(compact(day))\(clock(end))",
                          "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=\(compact(day.adding(days: 180)))T000000Z",
                          "EXDATE;TZID=Europe/Berlin:\(compact(day.adding(days: 14)))\(clock(start))"]
            }
            lines += ["SUMMARY:Project sync \(index) – Café\\, team \\; notes",
                      "LOCATION:Room \(index % 40)\\, 2nd floor",
                      "DESCRIPTION:Agenda:\\n1. Status of workstream \(index)\\n2. Risks and blockers\\n"
                        + "3. Decisions needed before the next milestone review\\nJoin: https://meet.example.com/\(index)",
                      "ORGANIZER;CN=Ana Example:mailto:ana@example.com",
                      "ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com",
                      "STATUS:CONFIRMED", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return Data(lines.map(Self.fold).joined(separator: "\r\n").utf8)
    }

    /// RFC 5545 folding: at most 75 octets per line, continuation lines start with a space; a UTF-8
    /// sequence is never split.
    static func fold(_ line: String) -> String {
        var result = "", width = 0
        for character in line {
            let size = character.utf8.count
            if width + size > 75 {
                result += "\r\n "
                width = 1
            }
            result.append(character)
            width += size
        }
        return result
    }

    func run(scale: Double) -> BenchmarkResult {
        let feed = makeFeed()
        let parsed = (try? ICalendarParser.parse(feed))?.events.count ?? -1
        let kilobytes = feed.count / 1024
        return measure(name: "ICS parse \(eventCount) events (\(kilobytes) KB)", target: .milliseconds(50),
                       warmUp: 3, iterations: Int(60 * scale),
                       note: parsed == eventCount ? "" : "PARSED \(parsed) EVENTS") {
            (try? ICalendarParser.parse(feed))?.events.count ?? -1
        }
    }
}
