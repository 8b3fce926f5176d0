import Foundation
import StewardCore
import Testing
@testable import ICalendar

@Suite("Writing iCalendar")
struct WriterTests {
    private let now = utc("2026-11-18T13:10:27Z")

    /// Physical lines of `text`, checking every line ends in CRLF.
    private func physicalLines(_ text: String) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            #expect(bytes[index] != 0x0A && bytes[index] != 0x0D, "bare CR or LF at byte \(index)")
            current.append(bytes[index])
            index += 1
        }
        #expect(current.isEmpty, "text does not end with CRLF")
        return lines
    }

    private func assertWellFolded(_ text: String) {
        for line in physicalLines(text) {
            #expect(line.count <= 75, "line of \(line.count) octets")
            #expect(String(bytes: line, encoding: .utf8) != nil, "a fold split a UTF-8 character")
        }
    }

    @Test("Round trip: a title with commas, semicolons, newlines, backslashes and emoji, longer than 75 octets")
    func roundTrip() throws {
        let title = "Quarterly review, budget; hiring\nand roadmap \\ planning 🎉🎉🎉 with the Zürich team — naïve café ☕️ 👩‍👩‍👧‍👦 ok"
        #expect(title.utf8.count > 75)
        let draft = EventDraft(uid: "steward-7f1c@steward.local", title: title,
                               start: local(berlin, 2026, 11, 23, 9, 30), end: local(berlin, 2026, 11, 23, 10, 15),
                               timeZone: "Europe/Berlin", attendees: ["ana@example.com", "bo@example.org"])
        let block = ICalendarWriter.event(draft, now: now)
        assertWellFolded(block)
        #expect(block.contains("DTSTART;TZID=Europe/Berlin:20261123T093000\r\n"))
        #expect(block.contains("DTEND;TZID=Europe/Berlin:20261123T101500\r\n"))
        #expect(block.contains("DTSTAMP:20261118T131027Z\r\n"))
        #expect(block.contains("X-STEWARD-CREATED:TRUE\r\n"))
        #expect(block.contains("SUMMARY:Quarterly review\\, budget\\; hiring\\nand roadmap \\\\ planning"))

        let text = try #require(ICalendarWriter.inserting(block, into: ICalendarWriter.emptyCalendar()))
        assertWellFolded(text)
        let event = try #require(try ICalendarParser.parse(text).events.first)
        #expect(event.uid == draft.uid)
        #expect(event.summary == title)
        #expect(event.start == .dateTime(draft.start, timeZone: "Europe/Berlin"))
        #expect(event.end == .dateTime(draft.end, timeZone: "Europe/Berlin"))
        #expect(event.attendees.map(\.address) == draft.attendees)
        #expect(event.isStewardWritten && !event.isFromOthers)
    }

    @Test("A title or UID cannot inject lines; CR LF becomes one escaped newline")
    func noInjection() throws {
        let draft = EventDraft(uid: "a\r\nX-EVIL:1", title: "Hi\r\nEND:VEVENT\r\nBEGIN:VEVENT\u{0}",
                               start: utc("2026-11-23T09:00:00Z"), end: utc("2026-11-23T10:00:00Z"),
                               timeZone: "UTC", attendees: ["x@y.com\r\nATTENDEE:mailto:spy@evil.com"])
        let text = try #require(ICalendarWriter.inserting(ICalendarWriter.event(draft, now: now),
                                                          into: ICalendarWriter.emptyCalendar()))
        let document = try ICalendarParser.parse(text)
        #expect(document.events.count == 1)
        #expect(document.events[0].summary == "Hi\nEND:VEVENT\nBEGIN:VEVENT")
        #expect(document.events[0].uid == "aX-EVIL:1")
        #expect(document.events[0].attendees.count == 1)
    }

    @Test("An unknown zone name falls back to UTC times, which still round-trip")
    func unknownZone() throws {
        let draft = EventDraft(uid: "u", title: "T", start: utc("2026-11-23T09:00:00Z"), end: utc("2026-11-23T10:00:00Z"),
                               timeZone: "Not/AZone")
        let block = ICalendarWriter.event(draft, now: now)
        #expect(block.contains("DTSTART:20261123T090000Z\r\n"))
        let text = try #require(ICalendarWriter.inserting(block, into: ICalendarWriter.emptyCalendar()))
        #expect(try ICalendarParser.parse(text).events[0].start == .dateTime(draft.start, timeZone: "UTC"))
    }

    @Test("Folding never exceeds 75 octets, even with 4-byte characters at the boundary")
    func folding() {
        for prefix in 0..<8 {
            let line = "SUMMARY:" + String(repeating: "x", count: prefix) + String(repeating: "😀", count: 60)
            let folded = ICalendarWriter.fold(line)
            assertWellFolded(folded + "\r\n")
            #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        }
        #expect(ICalendarWriter.fold("SHORT:line") == "SHORT:line")
    }

    @Test("The empty calendar carries Steward's PRODID and VERSION 2.0 and parses to no events")
    func emptyCalendar() throws {
        let text = ICalendarWriter.emptyCalendar()
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Steward//Steward//EN\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(try ICalendarParser.parse(text).events.isEmpty)
    }

    @Test("Inserting keeps an LF-only file LF-only and goes before the last END:VCALENDAR")
    func insertingKeepsStyle() throws {
        let original = "BEGIN:VCALENDAR\nVERSION:2.0\nX-NOTE:END:VCALENDAR is a string here\nEND:VCALENDAR\n"
        let block = ICalendarWriter.event(EventDraft(uid: "i", title: "T", start: now, end: now, timeZone: "UTC"), now: now)
        let text = try #require(ICalendarWriter.inserting(block, into: original))
        #expect(!text.contains("\r"))
        #expect(text.hasSuffix("END:VEVENT\nEND:VCALENDAR\n"))
        #expect(try ICalendarParser.parse(text).events.map(\.uid) == ["i"])
        #expect(ICalendarWriter.inserting(block, into: "BEGIN:VCALENDAR\n") == nil)
    }

    @Test("The sample calendar: weekday standup, a past and a later meeting today, two tomorrow, an all-day event")
    func sampleCalendar() throws {
        // Wednesday 18 November 2026, 14:10 in Berlin.
        let now = local(berlin, 2026, 11, 18, 14, 10)
        let text = ICalendarWriter.sampleCalendar(now: now, timeZone: berlin)
        assertWellFolded(text)
        let document = try ICalendarParser.parse(text)
        #expect(document.events.allSatisfy { $0.startValue.isDate || $0.start.zoneName == "Europe/Berlin" })

        let today = document.occurrences(in: window(berlin, from: (2026, 11, 18), to: (2026, 11, 19)),
                                         defaultTimeZone: berlin, accountID: "ics:1", calendarID: "default")
        let standup = try #require(today.first { $0.title == "Team standup" })
        #expect(wallClock(standup.start.dateValue!, berlin) == "2026-11-18 09:30")
        #expect(wallClock(standup.end.dateValue!, berlin) == "2026-11-18 09:45")
        let timedToday = today.filter { !$0.isAllDay && $0.title != "Team standup" }
        #expect(timedToday.count == 2)
        #expect(timedToday.contains { $0.end.dateValue! <= now })
        #expect(timedToday.contains { $0.start.dateValue! > now })

        let tomorrow = document.occurrences(in: window(berlin, from: (2026, 11, 19), to: (2026, 11, 20)),
                                            defaultTimeZone: berlin, accountID: "ics:1", calendarID: "default")
        #expect(tomorrow.filter { $0.title != "Team standup" }.count == 2)
        #expect(tomorrow.contains { $0.isFromOthers })

        let week = document.occurrences(in: window(berlin, from: (2026, 11, 16), to: (2026, 11, 23)),
                                        defaultTimeZone: berlin, accountID: "ics:1", calendarID: "default")
        #expect(week.filter(\.isAllDay).map(\.start) == [.date(LocalDate(year: 2026, month: 11, day: 20))])
        let standups = week.filter { $0.title == "Team standup" }
        #expect(standups.count == 5) // weekdays only
        // Deterministic for the same input.
        #expect(ICalendarWriter.sampleCalendar(now: now, timeZone: berlin) == text)
    }

    @Test("The sample calendar near midnight and on a Sunday still parses and keeps its promises")
    func sampleEdges() throws {
        for now in [local(newYork, 2026, 11, 22, 0, 5), local(newYork, 2026, 11, 22, 23, 50)] {
            let document = try ICalendarParser.parse(ICalendarWriter.sampleCalendar(now: now, timeZone: newYork))
            let today = document.occurrences(in: window(newYork, from: (2026, 11, 22), to: (2026, 11, 23)),
                                             defaultTimeZone: newYork, accountID: "a", calendarID: "c")
            #expect(today.contains { !$0.isAllDay && $0.end.dateValue! <= now })
            #expect(today.contains { $0.isAllDay }) // Sunday: the all-day event is today
            #expect(!today.contains { $0.title == "Team standup" })
        }
    }

    @Test("VTIMEZONE blocks describe the zone's rules the way calendar programs write them")
    func timeZoneBlocks() throws {
        let berlinBlock = try #require(ICalendarWriter.timeZone("Europe/Berlin", around: now))
        #expect(berlinBlock.contains("""
        BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
        TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT
        """))
        #expect(berlinBlock.contains("""
        BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
        TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD
        """))
        let newYorkBlock = try #require(ICalendarWriter.timeZone("America/New_York", around: now))
        #expect(newYorkBlock.contains("DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"))
        #expect(newYorkBlock.contains("DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"))
        let kolkata = try #require(ICalendarWriter.timeZone("Asia/Kolkata", around: now))
        #expect(kolkata.contains("TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n"))
        #expect(ICalendarWriter.timeZone("Nowhere/Special", around: now) == nil)

        // A calendar with the block still parses, and its events are unaffected.
        let draft = EventDraft(uid: "z", title: "T", start: local(newYork, 2026, 11, 2, 9), end: local(newYork, 2026, 11, 2, 10),
                               timeZone: "America/New_York")
        let text = ICalendarWriter.calendar(events: [ICalendarWriter.event(draft, now: now)],
                                            timeZones: ["America/New_York", "UTC"], around: now)
        assertWellFolded(text)
        #expect(text.components(separatedBy: "BEGIN:VTIMEZONE").count == 2)
        let document = try ICalendarParser.parse(text)
        #expect(document.events.map(\.start) == [.dateTime(draft.start, timeZone: "America/New_York")])
        #expect(document.timeZoneAliases == ["America/New_York": "America/New_York"])
    }
}
