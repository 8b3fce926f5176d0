import Foundation
import StewardCore

/// `/today` and `/free 30m tomorrow` answered from the local copy of 2 Google accounts × 2,000 events:
/// the command parsed, both accounts' `CalendarSnapshot`s queried (what `GoogleCalendarCopy` does), and
/// the answer formatted — everything but reading the user's settings row, which every answer shares.
struct LocalCopyBenchmark {
    let accounts = 2
    let eventsPerAccount = 2_000
    // Monday 23 Nov 2026, 10:00 in Berlin.
    let now = Date(timeIntervalSince1970: 1_795_424_400)

    func makeSnapshots(zone: TimeZone) -> [CalendarSnapshot] {
        var random = SplitMix64(seed: 0x10CA_1C0B)
        let firstDay = LocalDate(now, in: zone).adding(days: -31)
        return (0..<accounts).map { account in
            CalendarSnapshot((0..<eventsPerAccount).map { index in
                // A year of events around today: ~5 a day per account, 5 % all-day, some weekly instances.
                let day = firstDay.adding(days: Int.random(in: 0..<(31 + 366), using: &random))
                let id = "a\(account)-e\(index)"
                if Int.random(in: 0..<20, using: &random) == 0 {
                    return CalendarEvent(id: id, title: "Holiday \(index)", start: .date(day), end: .date(day.adding(days: 1)),
                                         accountID: "google:\(account)")
                }
                let start = day.startOfDay(in: zone).addingTimeInterval(TimeInterval(Int.random(in: 28..<80, using: &random) * 900))
                let minutes = [15, 30, 45, 60, 90].randomElement(using: &random)!
                return CalendarEvent(id: id, title: "Meeting \(index)", start: .dateTime(start, timeZone: "Europe/Berlin"),
                                     end: .dateTime(start.addingTimeInterval(TimeInterval(minutes * 60)), timeZone: "Europe/Berlin"),
                                     accountID: "google:\(account)")
            })
        }
    }

    func answer(_ kind: InboundEvent.Kind, snapshots: [CalendarSnapshot], settings: UserSettings) -> String {
        let parser = IntentParser()
        let zone = settings.zone
        let formatter = ScheduleFormatter(settings: settings, now: now)
        func events(in window: DateInterval) -> [CalendarEvent] {
            snapshots.flatMap { $0.events(in: window, zone: zone) }
                .sorted { ($0.start.instant(in: .gmt), $0.title) < ($1.start.instant(in: .gmt), $1.title) }
        }
        switch parser.parse(kind, context: ParseContext(now: now, timeZone: zone)) {
        case .agenda(let span):
            return formatter.agenda(events(in: span), over: span)
        case .findFree(let minutes, let within, _):
            let window = within ?? DateInterval(start: now, duration: 7 * 86_400)
            let slots = FreeSlotFinder.find(FreeSlotRequest(window: window, minutes: minutes, ownEvents: events(in: window),
                                                            othersBusy: [], settings: settings, now: now, limit: 5))
            return formatter.slots(slots, minutes: minutes)
        default:
            return "unexpected intent"
        }
    }

    func run(scale: Double) -> [BenchmarkResult] {
        let settings = UserSettings(timeZone: "Europe/Berlin")
        let snapshots = makeSnapshots(zone: settings.zone)
        let commands: [(String, InboundEvent.Kind)] = [
            ("/today", .command(name: "today", arguments: "")),
            ("/free 30m tomorrow", .command(name: "free", arguments: "30m tomorrow")),
        ]
        return commands.map { name, kind in
            let sample = answer(kind, snapshots: snapshots, settings: settings)
            return measure(name: "\(name) from the local copy, \(accounts) accounts x \(eventsPerAccount) events",
                           target: .milliseconds(2), warmUp: 50, iterations: Int(2_000 * scale),
                           note: "\(sample.split(separator: "\n").count) lines") {
                answer(kind, snapshots: snapshots, settings: settings).count
            }
        }
    }
}
