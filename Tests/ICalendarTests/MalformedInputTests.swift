import Foundation
import StewardCore
import Testing
@testable import ICalendar

@Suite("Malformed input is an error with a line number, never a crash")
struct MalformedInputTests {
    private func parseError(_ text: String) -> ICalendarError? {
        do {
            _ = try ICalendarParser.parse(text)
            return nil
        } catch let error as ICalendarError {
            return error
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    @Test("A line without a colon names its line (counting physical lines, folds included)")
    func missingColon() throws {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:long\n  folded\nDTSTART 20261001\nEND:VEVENT\nEND:VCALENDAR\n"
        let error = try #require(parseError(text))
        #expect(error.line == 6)
        #expect(error.description.hasPrefix("line 6:"))
    }

    @Test("Structural errors", arguments: [
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261001\nEND:VTODO\nEND:VCALENDAR", 5),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261001\nEND:VEVENT", 5),
        ("END:VCALENDAR", 1),
        ("SUMMARY:hello", 1),
        ("BEGIN:VEVENT\nEND:VEVENT", 1),
        ("", 1),
        ("BEGIN:VCALENDAR\nEND:VCALENDAR\nSUMMARY:trailing", 3),
        ("BEGIN:VCALENDAR\nX-A;PARAM:value\nEND:VCALENDAR", 2),
        ("BEGIN:VCALENDAR\nX-A;PARAM=\"unterminated:value\nEND:VCALENDAR", 2),
        (" continuation first\nBEGIN:VCALENDAR\nEND:VCALENDAR", 1),
    ])
    func structure(text: String, line: Int) throws {
        let error = try #require(parseError(text))
        #expect(error.line == line, "\(error)")
    }

    @Test("Unreadable values of the properties Steward uses", arguments: [
        "DTSTART:2026-10-01", "DTSTART:20261301T100000Z", "DTSTART:20260231", "DTSTART;VALUE=DATE:20261001T100000",
        "DTSTART:20261001T250000Z", "DTSTART:20261001T1000", "DTSTART:20261001T100000ZZ",
        "DTSTART:20261001T100000Z\nDTEND:tomorrow", "DTSTART:20261001\nDURATION:1 hour",
        "DTSTART:20261001\nRRULE:FREQ=SOMETIMES", "DTSTART:20261001\nRRULE:FREQ=DAILY;INTERVAL=0",
        "DTSTART:20261001\nRRULE:FREQ=DAILY;COUNT=-1", "DTSTART:20261001\nRRULE:FREQ=MONTHLY;BYMONTHDAY=32",
        "DTSTART:20261001\nRRULE:FREQ=MONTHLY;BYDAY=0MO", "DTSTART:20261001\nRRULE:FREQ=WEEKLY;BYDAY=XX",
        "DTSTART:20261001\nRRULE:INTERVAL=2", "DTSTART:20261001\nEXDATE:20261002,nope",
        "DTSTART:20261001\nRECURRENCE-ID:x",
    ])
    func badValues(lines: String) throws {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n" + lines + "\nEND:VEVENT\nEND:VCALENDAR\n"
        let error = try #require(parseError(text))
        let badLine = 3 + lines.split(separator: "\n").count // the last of the given lines
        #expect(error.line == badLine, "\(error)")
    }

    @Test("A VEVENT without DTSTART is an error at its BEGIN; a cancelled stub is dropped")
    func missingStart() throws {
        let error = try #require(parseError("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nEND:VEVENT\nEND:VCALENDAR"))
        #expect(error.line == 3)
        let cancelled = try ICalendarParser.parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSTATUS:CANCELLED\nEND:VEVENT\nEND:VCALENDAR")
        #expect(cancelled.events.isEmpty)
    }

    @Test("Garbage bytes and truncated files throw instead of trapping")
    func garbage() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0...400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? ICalendarParser.parse(Data(bytes))
        }
        let good = try fixture("google-export")
        for cut in stride(from: 0, to: good.count, by: 97) {
            _ = try? ICalendarParser.parse(good.prefix(cut))
        }
        #expect(throws: ICalendarError.self) { try ICalendarParser.parse(Data([0xFF, 0xFE, 0x00, 0x41])) }
    }

    @Test("A missing UID gets a stable stand-in instead of an error")
    func missingUID() throws {
        let text = calendarText("BEGIN:VEVENT\nDTSTART:20261001T100000Z\nSUMMARY:Hand-made\nEND:VEVENT")
        let first = try ICalendarParser.parse(text).events[0].uid
        let second = try ICalendarParser.parse(text).events[0].uid
        #expect(first == second)
        #expect(first.hasPrefix("no-uid-20261001T100000Z"))
    }
}
