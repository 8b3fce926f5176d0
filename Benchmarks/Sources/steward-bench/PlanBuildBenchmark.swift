import Foundation
import StewardCore

/// "move everything on friday to saturday" with 50 events that Friday, among 2,000 in the calendar's local
/// copy: the message parsed, the events read from the copy (`CalendarSnapshot`, what the Google copy
/// answers from), 50 move steps made with their exact arguments, and the card's text worded — no model,
/// nothing stored or sent.
struct PlanBuildBenchmark {
    // Monday 23 Nov 2026, 10:00 in Berlin; "friday" is 27 Nov.
    let now = Date(timeIntervalSince1970: 1_795_424_400)
    let zone = TimeZone(identifier: "Europe/Berlin")!

    /// The local copy as a provider: a snapshot that answers `events(in:)` and can change events.
    struct CopyProvider: CalendarProvider {
        let accountID = "google:1"
        let snapshot: CalendarSnapshot
        let zone: TimeZone
        var canChangeEvents: Bool { true }
        var canNotifyAttendees: Bool { true }
        func calendars() async throws -> [CalendarInfo] { [CalendarInfo(id: "primary", name: "Main", isPrimary: true, isWritable: true)] }
        func events(in window: DateInterval) async throws -> [CalendarEvent] { snapshot.events(in: window, zone: zone) }
        func createEvent(_ draft: EventDraft, calendarID: String?) async throws -> CalendarEvent {
            throw CalendarError("not in a benchmark")
        }
    }

    struct Directory: CalendarDirectory {
        let entries: [(account: Account, provider: any CalendarProvider)]
        func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] { entries }
    }

    func makeDirectory() -> Directory {
        var random = SplitMix64(seed: 0x91A_2050)
        let friday = LocalDate(now, in: zone).adding(days: 4)
        var events: [CalendarEvent] = []
        // 50 ten-minute meetings on Friday from 08:00, and 1,950 more over the year around it.
        for index in 0..<50 {
            let start = friday.startOfDay(in: zone).addingTimeInterval(TimeInterval(8 * 3600 + index * 600))
            events.append(CalendarEvent(id: "fri-\(index)", title: "Meeting \(index)",
                                        start: .dateTime(start, timeZone: "Europe/Berlin"),
                                        end: .dateTime(start.addingTimeInterval(600), timeZone: "Europe/Berlin"),
                                        accountID: "google:1", calendarID: "primary",
                                        attendees: index % 3 == 0 ? ["bob@example.com"] : []))
        }
        for index in 0..<1_950 {
            var day = friday.adding(days: Int.random(in: -180..<180, using: &random))
            if day == friday { day = day.adding(days: 1) }
            let start = day.startOfDay(in: zone).addingTimeInterval(TimeInterval(Int.random(in: 28..<80, using: &random) * 900))
            events.append(CalendarEvent(id: "e\(index)", title: "Other \(index)", start: .dateTime(start, timeZone: "Europe/Berlin"),
                                        end: .dateTime(start.addingTimeInterval(1800), timeZone: "Europe/Berlin"),
                                        accountID: "google:1", calendarID: "primary"))
        }
        let account = Account(id: 1, userID: 1, kind: "google", label: "ana@example.com", options: [:], createdAt: now)
        return Directory(entries: [(account, CopyProvider(snapshot: CalendarSnapshot(events), zone: zone))])
    }

    func run(scale: Double) -> BenchmarkResult {
        let directory = makeDirectory()
        let user = User(id: 1, displayName: "Ana", role: .owner)
        let settings = UserSettings(timeZone: "Europe/Berlin")
        let chat = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
        let context = ParseContext(now: now, timeZone: zone)
        let now = now
        let changes = Locked(0)
        let result = measure(name: "plan build 50 moves from the local copy", target: .milliseconds(20),
                             warmUp: 5, iterations: Int(200 * scale)) {
            guard case .bulk(let change) = IntentParser().parse(.message("move everything on friday to saturday"),
                                                                 context: context) else { fatalError("not a bulk request") }
            let done = DispatchSemaphore(value: 0)
            let size = Locked(0)
            Task {
                if let built = try? await PlanBuilder.build(change, user: user, settings: settings, calendars: directory,
                                                            now: now, id: "bench", chat: chat) {
                    size.withLock { $0 = built.text.utf8.count }
                    changes.withLock { $0 = built.plan?.steps.count ?? 0 }
                }
                done.signal()
            }
            done.wait()
            return size.withLock { $0 }
        }
        var noted = result
        noted.note = "\(changes.withLock { $0 }) steps on the card"
        return noted
    }
}
