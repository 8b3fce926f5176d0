import Foundation
import ICalendar

/// RRULE expansion far from DTSTART: a week read a century after the series began (COUNT rules included,
/// which used to be counted from DTSTART one period at a time), and an 8,000-year window (capped at
/// 1,000 instances per series).
struct RecurrenceBenchmark {
    static let rules = [
        "FREQ=DAILY", "FREQ=DAILY;COUNT=1000000", "FREQ=DAILY;UNTIL=23261231T000000Z", "FREQ=WEEKLY;INTERVAL=2;COUNT=500000",
        "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=1000000", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=100000", "FREQ=YEARLY;COUNT=100000",
    ]

    func makeFeed() -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Steward//Bench//EN"]
        for (index, rule) in Self.rules.enumerated() {
            lines += ["BEGIN:VEVENT", "UID:series-\(index)", "DTSTART;TZID=Europe/Berlin:20261207T100000",
                      "DTEND;TZID=Europe/Berlin:20261207T103000", "SUMMARY:Series \(index)", "RRULE:\(rule)", "END:VEVENT"]
        }
        return (lines + ["END:VCALENDAR", ""]).joined(separator: "\r\n")
    }

    func run(scale: Double) -> [BenchmarkResult] {
        guard let document = try? ICalendarParser.parse(makeFeed()) else { return [] }
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let start = Date(timeIntervalSince1970: 4_952_304_000)  // 2126-12-07T08:00:00Z
        let week = DateInterval(start: start, duration: 7 * 86_400)
        let ever = DateInterval(start: Date(timeIntervalSince1970: 1_796_601_600), end: Date(timeIntervalSince1970: 253_402_214_400))
        func expand(_ window: DateInterval) -> Int {
            document.occurrences(in: window, defaultTimeZone: zone, accountID: "ics:1", calendarID: "default").count
        }
        let inWeek = expand(week), inEver = expand(ever)
        return [
            measure(name: "RRULE week a century after DTSTART (\(Self.rules.count) series)", target: .milliseconds(5),
                    warmUp: 3, iterations: Int(200 * scale), note: "\(inWeek) instances") { expand(week) },
            measure(name: "RRULE 8,000-year window (\(Self.rules.count) series)", target: .milliseconds(50),
                    warmUp: 1, iterations: Int(20 * scale), note: "\(inEver) instances") { expand(ever) },
        ]
    }
}
