import Foundation
import StewardCore
import Testing
@testable import ICalendar

@Suite("Parsing content lines and values")
struct ParserTests {
    @Test("Folded lines are unfolded for CRLF and LF files, with space or tab continuations")
    func unfolding() throws {
        let crlf = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261001T100000Z\r\nSUMMARY:Quarterly plan\r\n ning mee\r\n\tting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        let lf = crlf.replacingOccurrences(of: "\r\n", with: "\n")
        for text in [crlf, lf] {
            let event = try #require(try ICalendarParser.parse(text).events.first)
            #expect(event.summary == "Quarterly planning meeting")
        }
    }

    @Test("A fold inside a multi-byte UTF-8 character is joined back byte-wise")
    func foldInsideUTF8() throws {
        // "é" is C3 A9; a careless writer folded between the two bytes.
        var bytes = Array("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261001\r\nSUMMARY:Caf".utf8)
        bytes += [0xC3, 0x0D, 0x0A, 0x20, 0xA9]
        bytes += Array("\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)
        let event = try #require(try ICalendarParser.parse(Data(bytes)).events.first)
        #expect(event.summary == "Café")
    }

    @Test("TEXT values are unescaped: \\n \\N \\, \\; \\\\")
    func textUnescaping() throws {
        let text = calendarText(#"""
        BEGIN:VEVENT
        UID:a
        DTSTART:20261001T100000Z
        SUMMARY:Budget\, plan\; review
        DESCRIPTION:Line one\nLine two\NLine three\\not a newline
        LOCATION:Room 1\, Building A
        END:VEVENT
        """#)
        let event = try #require(try ICalendarParser.parse(text).events.first)
        #expect(event.summary == "Budget, plan; review")
        #expect(event.description == "Line one\nLine two\nLine three\\not a newline")
        #expect(event.location == "Room 1, Building A")
    }

    @Test("Parameters: quoted values may hold : ; and , and several parameters are read")
    func parameters() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:a
        DTSTART;TZID="America/New_York":20261001T100000
        ORGANIZER;CN="Doe, Jane: PM; Sales";SENT-BY="mailto:assistant@x.com":mailto:jane@x.com
        ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=accepted;CN=Omar:MAILTO:omar@x.com
        ATTENDEE;MEMBER="mailto:a@x.com","mailto:b@x.com";CN=Team:mailto:team@x.com
        END:VEVENT
        """)
        let event = try #require(try ICalendarParser.parse(text).events.first)
        #expect(event.organizer == ICalendarParticipant(address: "jane@x.com", name: "Doe, Jane: PM; Sales"))
        #expect(event.attendees.map(\.address) == ["omar@x.com", "team@x.com"])
        #expect(event.attendees.first?.participationStatus == "ACCEPTED")
        #expect(event.start == .dateTime(utc("2026-10-01T14:00:00Z"), timeZone: "America/New_York"))
    }

    @Test("DATE stays a date; Z is UTC; TZID is resolved; floating uses the default zone")
    func dateAndDateTime() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:date
        DTSTART;VALUE=DATE:20261123
        END:VEVENT
        BEGIN:VEVENT
        UID:utc
        DTSTART:20261123T090000Z
        END:VEVENT
        BEGIN:VEVENT
        UID:zoned
        DTSTART;TZID=Europe/Berlin:20261123T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:floating
        DTSTART:20261123T090000
        END:VEVENT
        """)
        let events = try ICalendarParser.parse(text, defaultTimeZone: newYork).events
        #expect(events[0].start == .date(LocalDate(year: 2026, month: 11, day: 23)))
        #expect(events[1].start == .dateTime(utc("2026-11-23T09:00:00Z"), timeZone: "UTC"))
        #expect(events[2].start == .dateTime(utc("2026-11-23T08:00:00Z"), timeZone: "Europe/Berlin"))
        #expect(events[3].start == .dateTime(utc("2026-11-23T14:00:00Z"), timeZone: nil))
        #expect(events[3].startValue.anchor == .floating)
    }

    @Test("TZID forms: mozilla prefix, Windows names, VTIMEZONE X-LIC-LOCATION, unknown → default zone")
    func timeZoneNames() throws {
        let text = calendarText("""
        BEGIN:VTIMEZONE
        TZID:Custom Office Zone
        X-LIC-LOCATION:Asia/Tokyo
        END:VTIMEZONE
        BEGIN:VEVENT
        UID:mozilla
        DTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20260115T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:windows
        DTSTART;TZID="W. Europe Standard Time":20260115T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:eastern
        DTSTART;TZID=Eastern Standard Time:20260115T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:pacific
        DTSTART;TZID=Pacific Standard Time:20260115T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:london
        DTSTART;TZID=GMT Standard Time:20260715T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:warsaw
        DTSTART;TZID=Central European Standard Time:20260115T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:alias
        DTSTART;TZID=Custom Office Zone:20260115T090000
        END:VEVENT
        BEGIN:VEVENT
        UID:unknown
        DTSTART;TZID=Mars/Olympus_Mons:20260115T090000
        END:VEVENT
        """)
        let events = try ICalendarParser.parse(text, defaultTimeZone: newYork).events
        let byUID = Dictionary(uniqueKeysWithValues: events.map { ($0.uid, $0.start) })
        #expect(byUID["mozilla"] == .dateTime(utc("2026-01-15T08:00:00Z"), timeZone: "Europe/Berlin"))
        #expect(byUID["windows"] == .dateTime(utc("2026-01-15T08:00:00Z"), timeZone: "Europe/Berlin"))
        #expect(byUID["eastern"] == .dateTime(utc("2026-01-15T14:00:00Z"), timeZone: "America/New_York"))
        #expect(byUID["pacific"] == .dateTime(utc("2026-01-15T17:00:00Z"), timeZone: "America/Los_Angeles"))
        #expect(byUID["london"] == .dateTime(utc("2026-07-15T08:00:00Z"), timeZone: "Europe/London"))
        #expect(byUID["warsaw"] == .dateTime(utc("2026-01-15T08:00:00Z"), timeZone: "Europe/Warsaw"))
        #expect(byUID["alias"] == .dateTime(utc("2026-01-15T00:00:00Z"), timeZone: "Asia/Tokyo"))
        // Unknown: read in the default zone, and no zone name is claimed.
        #expect(byUID["unknown"] == .dateTime(utc("2026-01-15T14:00:00Z"), timeZone: nil))
    }

    @Test("Local times in a DST gap move forward; repeated times take the first occurrence")
    func dstGapAndOverlap() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:gap
        DTSTART;TZID=Europe/Berlin:20260329T023000
        END:VEVENT
        BEGIN:VEVENT
        UID:overlap
        DTSTART;TZID=Europe/Berlin:20261025T023000
        END:VEVENT
        """)
        let events = try ICalendarParser.parse(text).events
        #expect(events[0].start.dateValue == utc("2026-03-29T01:30:00Z")) // = 03:30 CEST
        #expect(events[1].start.dateValue == utc("2026-10-25T00:30:00Z")) // the CEST 02:30
    }

    @Test("STATUS, TRANSP, SEQUENCE, DURATION, X-STEWARD and the from-others rule")
    func flags() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:invite
        DTSTART:20261001T100000Z
        DURATION:PT1H30M
        STATUS:cancelled
        TRANSP:TRANSPARENT
        SEQUENCE:4
        ORGANIZER:mailto:boss@x.com
        ATTENDEE:mailto:me@x.com
        END:VEVENT
        BEGIN:VEVENT
        UID:mine
        DTSTART:20261001T100000Z
        ORGANIZER:mailto:me@x.com
        ATTENDEE:mailto:you@x.com
        X-STEWARD-CREATED:TRUE
        END:VEVENT
        BEGIN:VEVENT
        UID:organizer-only
        DTSTART:20261001T100000Z
        ORGANIZER:mailto:me@x.com
        END:VEVENT
        """)
        let events = try ICalendarParser.parse(text).events
        #expect(events[0].cancelled && events[0].transparent && events[0].sequence == 4)
        #expect(events[0].duration == ICalendarDuration(days: 0, seconds: 5400))
        #expect(events[0].isFromOthers)
        #expect(events[1].isStewardWritten && !events[1].isFromOthers)
        #expect(!events[2].isFromOthers)
    }

    @Test("DURATION grammar", arguments: [
        ("PT15M", ICalendarDuration(seconds: 900)), ("P1D", ICalendarDuration(days: 1)),
        ("P2W", ICalendarDuration(days: 14)), ("-PT10M", ICalendarDuration(seconds: -600)),
        ("P1DT2H3M4S", ICalendarDuration(days: 1, seconds: 7384)), ("P0DT0H10M0S", ICalendarDuration(seconds: 600)),
    ])
    func durations(text: String, expected: ICalendarDuration) {
        #expect(ICalendarDuration(text) == expected)
    }

    @Test("Bad DURATION values are rejected", arguments: ["", "P", "PT", "1H", "PT1D", "P1H", "P1DT", "PTXM"])
    func badDurations(text: String) {
        #expect(ICalendarDuration(text) == nil)
    }

    @Test("Unknown components and VALARM contents do not leak into events")
    func unknownComponents() throws {
        let text = calendarText("""
        X-WR-CALNAME:Work
        BEGIN:VTODO
        UID:todo
        DTSTART:20261001T100000Z
        SUMMARY:A task
        END:VTODO
        BEGIN:VEVENT
        UID:a
        DTSTART:20261001T100000Z
        DESCRIPTION:The real description
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:Reminder text
        TRIGGER:-PT10M
        END:VALARM
        X-SOMETHING;X-PARAM=1:whatever
        END:VEVENT
        BEGIN:VJOURNAL
        SUMMARY:note
        END:VJOURNAL
        """)
        let document = try ICalendarParser.parse(text)
        #expect(document.events.map(\.uid) == ["a"])
        #expect(document.events[0].description == "The real description")
        #expect(document.calendarName == "Work")
    }

    @Test("EXDATE across several lines, comma lists and TZID")
    func exdateLists() throws {
        let text = calendarText("""
        BEGIN:VEVENT
        UID:a
        DTSTART;TZID=Europe/Berlin:20261001T090000
        RRULE:FREQ=DAILY
        EXDATE;TZID=Europe/Berlin:20261002T090000,20261003T090000
        EXDATE:20261005T070000Z
        EXDATE;VALUE=DATE:20261007
        END:VEVENT
        """)
        let event = try #require(try ICalendarParser.parse(text).events.first)
        #expect(event.exdateValues.count == 4)
        #expect(event.exdates[0] == .dateTime(utc("2026-10-02T07:00:00Z"), timeZone: "Europe/Berlin"))
        #expect(event.exdates[3] == .date(LocalDate(year: 2026, month: 10, day: 7)))
    }
}
