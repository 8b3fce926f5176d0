import Foundation
import Testing
@testable import StewardCore

/// SplitMix64: a tiny seeded generator, so a failing case can be replayed from its seed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One random scenario: a few days around a date (sometimes a DST change), random events on a minute grid.
private struct Scenario: CustomStringConvertible {
    var request: FreeSlotRequest
    var seed: UInt64

    var description: String {
        "seed \(seed): zone \(request.settings.timeZone), hours \(request.settings.workingHours.text), "
            + "buffer \(request.settings.bufferMinutes), minutes \(request.minutes), window \(request.window), "
            + "now \(request.now), \(request.ownEvents.count) events, \(request.othersBusy.count) busy"
    }

    init(seed: UInt64) {
        self.seed = seed
        var random = SplitMix64(seed: seed)
        let zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "UTC",
                     "Australia/Lord_Howe", "America/Los_Angeles",
                     // DST changes at midnight: the day starts at 01:00, or 00:00 happens twice.
                     "America/Havana", "America/Santiago"]
        let zoneName = zones.randomElement(using: &random)!
        let zone = TimeZone(identifier: zoneName)!
        // Around DST changes in both hemispheres half of the time, an ordinary week otherwise.
        let anchors = [LocalDate(year: 2026, month: 3, day: 27), LocalDate(year: 2026, month: 10, day: 23),
                       LocalDate(year: 2026, month: 10, day: 30), LocalDate(year: 2026, month: 4, day: 3),
                       LocalDate(year: 2026, month: 11, day: 20), LocalDate(year: 2026, month: 6, day: 15),
                       LocalDate(year: 2026, month: 3, day: 6), LocalDate(year: 2026, month: 9, day: 4)]
        let base = anchors.randomElement(using: &random)!.startOfDay(in: zone)
        func minutes(_ range: ClosedRange<Int>) -> TimeInterval { TimeInterval(Int.random(in: range, using: &random) * 60) }

        let windowStart = base.addingTimeInterval(minutes(0...(2 * 1440)))
        let window = DateInterval(start: windowStart, duration: minutes(60...(5 * 1440)))
        let now = Bool.random(using: &random) ? window.start.addingTimeInterval(-3600)
            : window.start.addingTimeInterval(minutes(0...(2 * 1440)) + TimeInterval(Int.random(in: 0...59, using: &random)))

        var settings = UserSettings(timeZone: zoneName)
        let open = Int.random(in: 0...(14 * 4), using: &random) * 15 + [0, 5, 10].randomElement(using: &random)!
        let close = min(open + Int.random(in: 30...(12 * 60), using: &random), 24 * 60)
        settings.workingHours = DailyWindow(start: TimeOfDay(minutes: open), end: TimeOfDay(minutes: close))
        settings.workdays = Set(Weekday.allCases.filter { _ in Int.random(in: 0..<10, using: &random) < 7 })
        settings.bufferMinutes = [0, 5, 10, 15, 30].randomElement(using: &random)!

        var own: [CalendarEvent] = []
        for index in 0..<Int.random(in: 0...40, using: &random) {
            let start = base.addingTimeInterval(minutes(-1440...(8 * 1440)))
            let length = Int.random(in: 0..<20, using: &random) == 0 ? minutes(600...3000) : minutes(0...180)
            let writtenIn = ["Asia/Tokyo", zoneName, "UTC", nil].randomElement(using: &random)!
            var event = CalendarEvent(id: "e\(index)", title: "Event \(index)",
                                      start: .dateTime(start, timeZone: writtenIn),
                                      end: .dateTime(start.addingTimeInterval(length), timeZone: writtenIn),
                                      calendarID: "cal\(index % 3)")
            if Int.random(in: 0..<12, using: &random) == 0 {
                let first = LocalDate(start, in: zone)
                event.start = .date(first)
                event.end = .date(first.adding(days: Int.random(in: 1...3, using: &random)))
            }
            event.blocksTime = Int.random(in: 0..<8, using: &random) != 0
            own.append(event)
        }
        var others: [DateInterval] = []
        for _ in 0..<Int.random(in: 0...15, using: &random) {
            others.append(DateInterval(start: base.addingTimeInterval(minutes(0...(7 * 1440))), duration: minutes(5...240)))
        }
        request = FreeSlotRequest(window: window, minutes: Int.random(in: 5...150, using: &random), ownEvents: own,
                                  othersBusy: others, settings: settings, now: now, limit: 10_000)
    }
}

/// The definition, checked as plainly as possible: is a meeting starting at `start` possible?
private struct BruteForce {
    let request: FreeSlotRequest
    let calendar: Calendar

    init(_ request: FreeSlotRequest) {
        self.request = request
        calendar = Calendar.gregorian(request.settings.zone)
    }

    /// Every local quarter-hour start on the one-minute grid of the window where a meeting fits.
    func freeStarts() -> Set<Date> {
        var result: Set<Date> = []
        let first = (request.window.start.timeIntervalSinceReferenceDate / 60).rounded(.up) * 60
        var start = Date(timeIntervalSinceReferenceDate: first)
        while start < request.window.end {
            if isQuarterHour(start), fits(at: start) { result.insert(start) }
            start += 60
        }
        return result
    }

    func isQuarterHour(_ date: Date) -> Bool {
        let parts = calendar.dateComponents([.minute, .second, .nanosecond], from: date)
        return parts.minute! % 15 == 0 && parts.second == 0 && parts.nanosecond! < 1_000_000
    }

    /// The working window of the local day containing `date`, nil on a day off.
    func workingWindow(around date: Date) -> DateInterval? {
        let day = LocalDate(date, in: request.settings.zone)
        guard request.settings.workdays.contains(day.weekday) else { return nil }
        let hours = request.settings.workingHours
        func wall(_ time: TimeOfDay) -> Date {
            time.minutes == 24 * 60 ? day.adding(days: 1).startOfDay(in: request.settings.zone)
                : calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day,
                                                     hour: time.hour, minute: time.minute))!
        }
        return DateInterval(start: wall(hours.start), end: wall(hours.end))
    }

    func fits(at start: Date) -> Bool {
        let end = start.addingTimeInterval(TimeInterval(request.minutes * 60))
        guard start >= request.now, start >= request.window.start, end <= request.window.end,
              let work = workingWindow(around: start), work.start <= start, end <= work.end
        else { return false }
        return !isBusy(from: start, to: end)
    }

    /// Does anything busy overlap `[from, to)`?
    func isBusy(from: Date, to: Date) -> Bool {
        let buffer = TimeInterval(request.settings.bufferMinutes * 60)
        for event in request.ownEvents where event.blocksTime {
            switch (event.start, event.end) {
            case (.dateTime(let start, _), .dateTime(let end, _)):
                if end > start, start - buffer < to, end + buffer > from { return true }
            case (.date(let first), .date(let last)):
                // Blocked dates: is any local date of the meeting one of them?
                var day = LocalDate(from, in: request.settings.zone)
                while day.startOfDay(in: request.settings.zone) < to {
                    if first <= day, day < last { return true }
                    day = day.adding(days: 1)
                }
            default:
                Issue.record("scenarios only mix timed-timed and date-date")
            }
        }
        return request.othersBusy.contains { $0.start < to && $0.end > from }
    }
}

@Suite struct FreeSlotFinderPropertyTests {
    @Test func slotsMatchTheBruteForceDefinition() {
        var slotCount = 0, emptyCount = 0
        for seed in UInt64(1)...400 {
            let scenario = Scenario(seed: seed)
            let reference = BruteForce(scenario.request)
            let slots = FreeSlotFinder.find(scenario.request)
            let length = TimeInterval(scenario.request.minutes * 60)

            var covered: Set<Date> = []
            for (index, slot) in slots.enumerated() {
                #expect(slot.duration >= length, "\(scenario): short slot \(slot)")
                #expect(reference.isQuarterHour(slot.start), "\(scenario): unaligned \(slot)")
                if index > 0 { #expect(slots[index - 1].end <= slot.start, "\(scenario): order/overlap") }
                // Every aligned start inside the slot is free by the definition…
                var start = slot.start
                while start.addingTimeInterval(length) <= slot.end {
                    #expect(reference.fits(at: start), "\(scenario): \(start) in \(slot) is not free")
                    covered.insert(start)
                    start += 900
                }
                // …and the slot is maximal: right after its end the free time stops.
                let stops = slot.end == scenario.request.window.end
                    || slot.end == reference.workingWindow(around: slot.start)?.end
                    || reference.isBusy(from: slot.end, to: slot.end.addingTimeInterval(1))
                #expect(stops, "\(scenario): \(slot) could be longer")
            }
            // Every free start the definition finds lies in some returned slot.
            let missing = reference.freeStarts().subtracting(covered)
            #expect(missing.isEmpty, "\(scenario): missed \(missing.sorted().prefix(3))")
            slotCount += slots.count
            if slots.isEmpty { emptyCount += 1 }
        }
        // The generator must exercise both outcomes, or the comparison above proves little.
        #expect(slotCount > 300 && emptyCount > 10 && emptyCount < 200, "\(slotCount) slots, \(emptyCount) empty")
    }

    @Test func aSmallLimitReturnsAPrefixOfTheFullAnswer() {
        for seed in UInt64(1_000)...1_100 {
            var request = Scenario(seed: seed).request
            let all = FreeSlotFinder.find(request)
            for limit in [1, 2, 5] {
                request.limit = limit
                #expect(FreeSlotFinder.find(request) == Array(all.prefix(limit)), "seed \(seed) limit \(limit)")
            }
        }
    }
}
