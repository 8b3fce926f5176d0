import Foundation
import StewardCore
import Testing

@Suite struct CalendarSnapshotTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let auckland = TimeZone(identifier: "Pacific/Auckland")!
    let base = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-19

    func timed(_ id: String, hoursFromBase start: Double, lasting hours: Double) -> CalendarEvent {
        let from = base.addingTimeInterval(start * 3600)
        return CalendarEvent(id: id, title: id, start: .dateTime(from, timeZone: "Europe/Berlin"),
                             end: .dateTime(from.addingTimeInterval(hours * 3600), timeZone: "Europe/Berlin"))
    }

    /// The window query must give exactly what checking every event would.
    @Test func windowQueriesMatchCheckingEveryEvent() {
        var generator = SystemRandomNumberGenerator()
        var events: [CalendarEvent] = []
        for index in 0..<600 {
            if index % 10 == 0 {
                let day = LocalDate(year: 2026, month: 11, day: 1 + Int.random(in: 0..<28, using: &generator))
                let days = Int.random(in: 1...3, using: &generator)
                let end = LocalDate(day.startOfDay(in: .gmt).addingTimeInterval(Double(days) * 86_400 + 3600), in: .gmt)
                events.append(CalendarEvent(id: "d\(index)", title: "all day", start: .date(day), end: .date(end)))
            } else {
                let start = Double.random(in: -400...400, using: &generator)
                let length = index % 50 == 1 ? Double.random(in: 24...200, using: &generator)
                    : [0, 0.25, 0.5, 1, 2].randomElement(using: &generator)!
                events.append(timed("t\(index)", hoursFromBase: start, lasting: length))
            }
        }
        let snapshot = CalendarSnapshot(events.shuffled())
        for zone in [berlin, auckland, TimeZone(identifier: "America/Los_Angeles")!] {
            for offset in stride(from: -300.0, through: 300, by: 37) {
                let window = DateInterval(start: base.addingTimeInterval(offset * 3600), duration: 86_400)
                let expected = events.filter { event in
                    let span = event.interval(in: zone)
                    return span.start < window.end && (span.end > window.start || span.start == window.start)
                }
                #expect(Set(snapshot.events(in: window, zone: zone).map(\.id)) == Set(expected.map(\.id)))
            }
        }
    }

    @Test func aLongEventThatBeganDaysAgoAndAnAllDayEventInTheUsersZoneAreFound() {
        let conference = timed("conference", hoursFromBase: -72, lasting: 100)
        let today = LocalDate(base, in: auckland)
        let holiday = CalendarEvent(id: "holiday", title: "Holiday", start: .date(today),
                                    end: .date(LocalDate(base.addingTimeInterval(86_400), in: auckland)))
        let snapshot = CalendarSnapshot([conference, holiday, timed("other", hoursFromBase: 200, lasting: 1)])
        let day = today.interval(in: auckland)
        #expect(snapshot.events(in: day, zone: auckland).map(\.id) == ["conference", "holiday"])
    }

    @Test func anEventJustWrittenReplacesItsOlderVersion() {
        var snapshot = CalendarSnapshot([timed("a", hoursFromBase: 1, lasting: 1)])
        snapshot.upsert(timed("a", hoursFromBase: 5, lasting: 1))
        snapshot.upsert(timed("b", hoursFromBase: 2, lasting: 1))
        #expect(snapshot.count == 2)
        let window = DateInterval(start: base, duration: 4 * 3600)
        #expect(snapshot.events(in: window, zone: berlin).map(\.id) == ["b"])
    }
}
