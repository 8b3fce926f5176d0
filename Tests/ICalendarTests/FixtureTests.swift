import Foundation
import StewardCore
import Testing
@testable import ICalendar

/// Hand-written exports in the shape Google Calendar and Outlook produce (see Fixtures/).
@Suite("Real-world exports")
struct FixtureTests {
    @Test("Google Calendar export: series with EXDATE, moved and cancelled overrides, all-day, UTC, invitation")
    func googleExport() throws {
        let document = try ICalendarParser.parse(try fixture("google-export"))
        #expect(document.events.count == 8)
        #expect(document.calendarName == "jane.doe@gmail.com")
        #expect(document.calendarTimeZone == "Europe/Berlin")

        let result = document.occurrences(in: window(berlin, from: (2026, 10, 12), to: (2026, 10, 24)),
                                          defaultTimeZone: berlin, accountID: "ics:1", calendarID: "default")
        let standups = result.filter { $0.title.hasPrefix("Team standup") }
        #expect(starts(standups, berlin) == ["2026-10-12 09:30", "2026-10-13 09:30", "2026-10-14 10:00",
                                             "2026-10-15 09:30", "2026-10-19 09:30", "2026-10-20 09:30",
                                             "2026-10-21 09:30", "2026-10-22 09:30", "2026-10-23 09:30"])
        #expect(standups[2].title == "Team standup (late)")
        #expect(standups[2].id == "5k2m9v1q8r3t7u0w4x6y2z@google.com#2026-10-14T07:30:00Z")
        let standupNotes = try #require(standups[0].notes)
        #expect(standupNotes.contains("Or dial: (DE) +49 30 123456789 PIN: 123 456 789#\n\nLearn more"))

        let vacation = try #require(result.first { $0.isAllDay })
        #expect(vacation.title == "Vacation day 🏖️")
        #expect(vacation.start == .date(LocalDate(year: 2026, month: 10, day: 16)))
        #expect(vacation.location == "Lisbon, Portugal")
        #expect(!vacation.blocksTime && !vacation.isFromOthers)

        let flight = try #require(result.first { $0.title.hasPrefix("Flight") })
        #expect(flight.title == "Flight TP 551 BER → LIS")
        #expect(wallClock(flight.start.dateValue!, berlin) == "2026-10-22 08:15")
        #expect(flight.notes == "Booking reference: QX7P2L\nSeat 14C")

        let partner = try #require(result.first { $0.title == "Partner sync: Q4 renewal" })
        #expect(partner.isFromOthers)
        #expect(partner.notes == "Agenda: contract renewal, pricing; next steps.")

        #expect(!result.contains { $0.title == "Yoga" })
        #expect(result.count == 12)

        let april = document.occurrences(in: window(berlin, from: (2027, 4, 1), to: (2027, 5, 1)),
                                         defaultTimeZone: berlin, accountID: "ics:1", calendarID: "default")
        #expect(april.filter(\.isAllDay).map(\.id) == ["BIRTHDAY_mum_1988@google.com#2027-04-12"])
        #expect(april.count == 23) // the standup has no end: 22 weekdays in April 2027
    }

    @Test("Outlook export: Windows TZIDs with VTIMEZONE, monthly last Monday, UNTIL + EXDATE across US DST")
    func outlookExport() throws {
        let document = try ICalendarParser.parse(try fixture("outlook-export"))
        #expect(document.events.count == 4)
        let closing = document.events[0]
        #expect(closing.uid == "040000008200E00074C5B7101A82E008000000001A2B3C4D5E6FD20100000000000000001000000"
            + "0A1B2C3D4E5F60718293A4B5C6D7E8F90")
        #expect(closing.summary == "Monatsabschluss")
        #expect(closing.start == .dateTime(utc("2026-10-26T08:00:00Z"), timeZone: "Europe/Berlin"))

        let result = document.occurrences(in: window(berlin, from: (2026, 10, 26), to: (2026, 11, 17)),
                                          defaultTimeZone: berlin, accountID: "ics:2", calendarID: "default")
        #expect(result.map(\.title) == ["Monatsabschluss", "NY office sync", "Zahnarzt", "NY office sync",
                                        "Betriebsausflug", "NY office sync"])
        let sync = result.filter { $0.title == "NY office sync" }
        #expect(starts(sync, newYork) == ["2026-10-26 10:00", "2026-11-02 10:00", "2026-11-16 10:00"])
        #expect(sync.map { $0.start.dateValue } == [utc("2026-10-26T14:00:00Z"), utc("2026-11-02T15:00:00Z"),
                                                     utc("2026-11-16T15:00:00Z")])
        #expect(sync.allSatisfy { $0.isFromOthers && $0.start.zoneName == "America/New_York" })

        let dentist = try #require(result.first { $0.title == "Zahnarzt" })
        #expect(wallClock(dentist.start.dateValue!, berlin) == "2026-10-28 08:00")
        #expect(dentist.notes == "Dr. Schmidt, bring insurance card")
        #expect(!dentist.isFromOthers)

        let outing = try #require(result.first { $0.isAllDay })
        #expect(outing.start == .date(LocalDate(year: 2026, month: 11, day: 3)) && !outing.blocksTime)

        // The monthly series: last Monday of each month, six times, 09:00 Berlin in winter.
        let closings = document.occurrences(in: window(berlin, from: (2026, 10, 1), to: (2027, 12, 1)),
                                            defaultTimeZone: berlin, accountID: "ics:2", calendarID: "default")
            .filter { $0.title == "Monatsabschluss" }
        #expect(starts(closings, berlin) == ["2026-10-26 09:00", "2026-11-30 09:00", "2026-12-28 09:00",
                                             "2027-01-25 09:00", "2027-02-22 09:00", "2027-03-29 09:00"])
    }

    @Test("A 5,000-event file parses completely (timing is measured in release builds, not asserted)")
    func largeFile() throws {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\n"
        for index in 0..<5_000 {
            let day = 1 + index % 28
            text += """
            BEGIN:VEVENT\r
            UID:event-\(index)@example.com\r
            DTSTAMP:20261001T000000Z\r
            DTSTART;TZID=Europe/Berlin:202611\(day < 10 ? "0" : "")\(day)T\(10 + index % 8)0000\r
            DTEND;TZID=Europe/Berlin:202611\(day < 10 ? "0" : "")\(day)T\(11 + index % 8)0000\r
            SUMMARY:Meeting number \(index)\\, with escapes\r
            DESCRIPTION:A longer description of the meeting that goes past the fold length of seventy-f\r
             ive octets.\r
            LOCATION:Room \(index % 40)\r
            \(index % 10 == 0 ? "RRULE:FREQ=WEEKLY;COUNT=10\r\n" : "")END:VEVENT\r

            """
        }
        text += "END:VCALENDAR\r\n"
        let document = try ICalendarParser.parse(Data(text.utf8))
        #expect(document.events.count == 5_000)
        #expect(document.events[4_999].summary == "Meeting number 4999, with escapes")
        #expect(document.events[1].description?.hasSuffix("seventy-five octets.") == true)
    }
}
