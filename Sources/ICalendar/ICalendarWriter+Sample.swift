import Foundation
import StewardCore

extension ICalendarWriter {
    /// A small, believable calendar around `now` for a first-run demo, all in `timeZone`:
    /// - "Team standup", weekdays 09:30–09:45, weekly since the Monday two weeks before this one;
    /// - today: a meeting that is already over (ending no later than `now`) and, unless it is late in the
    ///   evening, one starting about an hour from now;
    /// - tomorrow: "Project review" 11:00–12:00 (an invitation from a colleague, so it shows how Steward
    ///   treats other people's text) and "1:1 with Sam" 15:00–15:30;
    /// - an all-day "Quarterly planning" on Friday of this week (today when today is Saturday or Sunday),
    ///   marked free so that it does not hide every slot of that day.
    ///
    /// The same `now` and zone always give the same text (UIDs are derived from the dates).
    public static func sampleCalendar(now: Date, timeZone: TimeZone) -> String {
        let clock = ZoneClock(timeZone)
        let zoneID = timeZone.identifier
        let (today, nowSecond) = clock.local(now)
        let tag = dateStamp(day: today)
        var events: [String] = []

        func timed(_ uid: String, _ title: String, day: Int, from: Int, to: Int, location: String? = nil,
                   extra: (inout EventLines) -> Void = { _ in }) {
            var block = EventLines(uid: "steward-sample-\(uid)-\(tag)@steward.local", stamp: now)
            block.dateTime("DTSTART", clock.date(localDay: day, secondOfDay: from), zoneID: zoneID, zone: timeZone)
            block.dateTime("DTEND", clock.date(localDay: day, secondOfDay: max(from, to)), zoneID: zoneID, zone: timeZone)
            block.text("SUMMARY", title)
            if let location { block.text("LOCATION", location) }
            extra(&block)
            events.append(block.finished())
        }

        let mondayOffset = (CivilCalendar.weekday(ofDay: today) + 5) % 7 // Monday = 0
        let thisMonday = today - mondayOffset
        timed("standup", "Team standup", day: thisMonday - 14, from: 9 * 3600 + 1800, to: 9 * 3600 + 2700,
              location: "Video call") { block in
            block.raw("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
            block.text("DESCRIPTION", "Daily check-in: yesterday, today, blockers.")
            block.raw("X-STEWARD-SAMPLE:TRUE")
        }

        // Already over: ends at the last quarter hour before now, or as late as possible right after midnight.
        let quarter = 15 * 60
        let pastEnd = nowSecond / quarter * quarter
        let pastStart = max(0, pastEnd - 45 * 60)
        timed("coffee", "Coffee with Alex", day: today, from: pastStart, to: pastEnd, location: "Café Central") {
            $0.raw("X-STEWARD-SAMPLE:TRUE")
        }

        let laterStart = (nowSecond + 3600 + quarter - 1) / quarter * quarter
        if laterStart + 45 * 60 <= 23 * 3600 + 59 * 60 {
            timed("design", "Design review", day: today, from: laterStart, to: laterStart + 45 * 60,
                  location: "Room 2.14") {
                $0.text("DESCRIPTION", "Walk through the new onboarding screens.")
                $0.raw("X-STEWARD-SAMPLE:TRUE")
            }
        }

        timed("review", "Project review", day: today + 1, from: 11 * 3600, to: 12 * 3600, location: "Board room") { block in
            block.text("DESCRIPTION", "Quarterly status of the Atlas project. Please bring your numbers.")
            block.participant("ORGANIZER", "priya@example.com", commonName: "Priya Shah")
            block.participant("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED", "priya@example.com",
                              commonName: "Priya Shah")
            block.participant("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE", "me@example.com")
        }
        timed("one-on-one", "1:1 with Sam", day: today + 1, from: 15 * 3600, to: 15 * 3600 + 1800) {
            $0.raw("X-STEWARD-SAMPLE:TRUE")
        }

        let friday = mondayOffset >= 5 ? today : thisMonday + 4
        var allDay = EventLines(uid: "steward-sample-planning-\(tag)@steward.local", stamp: now)
        allDay.date("DTSTART", day: friday)
        allDay.date("DTEND", day: friday + 1)
        allDay.text("SUMMARY", "Quarterly planning")
        allDay.raw("TRANSP:TRANSPARENT")
        allDay.raw("X-STEWARD-SAMPLE:TRUE")
        events.append(allDay.finished())

        return calendar(events: events, timeZones: [zoneID], around: now, name: "Steward demo")
    }
}
