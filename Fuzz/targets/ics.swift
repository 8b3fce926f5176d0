import Foundation
import StewardCore
@testable import ICalendar

// An .ics feed from a URL or file, parsed and expanded over bounded windows of a few weeks, as the
// calendar sync asks: one fixed window (a feed's series started long ago reach it) and one at the first
// event's start (so the fuzzer sees its own events expanded). A rule that repeats forever is still a
// finite amount of work.
private let fixedWindow = DateInterval(start: Date(timeIntervalSince1970: 1_780_000_000), duration: 35 * 86_400)
private let zone = TimeZone(identifier: "Europe/Berlin")!
private let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    SuperLinear.check(input) { bytes in
        guard let document = try? ICalendarParser.parse(Data(bytes), defaultTimeZone: zone) else { return }
        _ = document.occurrences(in: fixedWindow, defaultTimeZone: zone, accountID: "ics:1", calendarID: "fuzz")
    }
    guard let document = try? ICalendarParser.parse(Data(input), defaultTimeZone: zone) else { return 0 }
    _ = document.occurrences(in: fixedWindow, defaultTimeZone: zone, accountID: "ics:1", calendarID: "fuzz")
    if let first = document.events.first?.startValue,
       let day = utc.date(from: DateComponents(year: min(max(first.year, 1), 9999), month: min(max(first.month, 1), 12),
                                               day: min(max(first.day, 1), 28))) {
        let window = DateInterval(start: day.addingTimeInterval(-86_400), duration: 35 * 86_400)
        _ = document.occurrences(in: window, defaultTimeZone: zone, accountID: "ics:1", calendarID: "fuzz")
    }
    return 0
}
