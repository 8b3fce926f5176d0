import Foundation
import StewardCore

/// `/free 30m` over 90 days against 20 calendars × 2,000 events (40,000), limit 5.
///
/// The events sit between 07:00 and 21:00 local on every day, so the working hours are booked solid and
/// the search must sweep all 40,000 events without finding a slot: the worst case, not the lucky one.
struct FreeSlotBenchmark {
    let calendars = 20
    let eventsPerCalendar = 2_000
    let days = 90

    func makeRequest() -> FreeSlotRequest {
        var random = SplitMix64(seed: 0x5EED_F4EE)
        let settings = UserSettings(timeZone: "Europe/Berlin")
        let zone = settings.zone
        let firstDay = LocalDate(year: 2026, month: 9, day: 7)
        let midnights = (0...days).map { firstDay.adding(days: $0).startOfDay(in: zone) }
        var events: [CalendarEvent] = []
        events.reserveCapacity(calendars * eventsPerCalendar)
        for calendar in 0..<calendars {
            for index in 0..<eventsPerCalendar {
                let day = Int.random(in: 0..<days, using: &random)
                let id = "c\(calendar)-e\(index)"
                if Int.random(in: 0..<20, using: &random) == 0 {
                    let date = firstDay.adding(days: day)
                    events.append(CalendarEvent(id: id, title: "All day \(index)", start: .date(date),
                                                end: .date(date.adding(days: 1)), calendarID: "cal\(calendar)",
                                                blocksTime: Bool.random(using: &random)))
                    continue
                }
                let start = midnights[day].addingTimeInterval(TimeInterval(Int.random(in: 420..<1260, using: &random) * 60))
                let end = start.addingTimeInterval(TimeInterval([15, 30, 45, 60, 90].randomElement(using: &random)! * 60))
                let zoneName = ["Europe/Berlin", "Asia/Tokyo", "UTC"].randomElement(using: &random)!
                events.append(CalendarEvent(id: id, title: "Event \(index)", start: .dateTime(start, timeZone: zoneName),
                                            end: .dateTime(end, timeZone: zoneName), calendarID: "cal\(calendar)",
                                            blocksTime: Int.random(in: 0..<10, using: &random) != 0))
            }
        }
        events.shuffle(using: &random)
        let window = DateInterval(start: midnights[0], end: midnights[days])
        return FreeSlotRequest(window: window, minutes: 30, ownEvents: events, othersBusy: [], settings: settings,
                               now: window.start, limit: 5)
    }

    func run(scale: Double) -> BenchmarkResult {
        let request = makeRequest()
        let found = FreeSlotFinder.find(request).count
        return measure(name: "free-slot search \(calendars) cal x \(eventsPerCalendar) events / \(days) days",
                       target: .milliseconds(5), warmUp: 20, iterations: Int(300 * scale),
                       note: "\(found) slot\(found == 1 ? "" : "s") found") {
            FreeSlotFinder.find(request).count
        }
    }
}
