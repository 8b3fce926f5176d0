import Foundation
import StewardCore
import Testing

@Suite struct DigestScheduleTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func theDigestTimeIsLocalAcrossBothDSTChanges() {
        let eight = TimeOfDay(hour: 8)
        // Winter: 08:00 in Berlin is 07:00 UTC; summer: 06:00 UTC; on both change days still 08:00 local.
        #expect(DigestSchedule.instant(of: eight, on: LocalDate(year: 2026, month: 1, day: 15), in: berlin)
                == utc("2026-01-15T07:00:00Z"))
        #expect(DigestSchedule.instant(of: eight, on: LocalDate(year: 2026, month: 3, day: 29), in: berlin)
                == utc("2026-03-29T06:00:00Z"))
        #expect(DigestSchedule.instant(of: eight, on: LocalDate(year: 2026, month: 10, day: 25), in: berlin)
                == utc("2026-10-25T07:00:00Z"))
        // 02:30 doesn't exist on 29 March: it moves past the gap, and stays on that day.
        let gap = DigestSchedule.instant(of: TimeOfDay(hour: 2, minute: 30), on: LocalDate(year: 2026, month: 3, day: 29),
                                         in: berlin)
        #expect(LocalDate(gap, in: berlin) == LocalDate(year: 2026, month: 3, day: 29))
        #expect(gap > utc("2026-03-29T00:59:59Z") && gap <= utc("2026-03-29T01:30:00Z"))
    }

    @Test func dueOnlyFromTheTimeForAnHourAndNeverWhenOff() {
        var settings = UserSettings(timeZone: "Europe/Berlin")
        settings.digestTime = TimeOfDay(hour: 8)
        let day = LocalDate(year: 2026, month: 11, day: 23)
        #expect(DigestSchedule.dueDay(at: utc("2026-11-23T06:59:00Z"), settings: settings) == nil)
        #expect(DigestSchedule.dueDay(at: utc("2026-11-23T07:00:00Z"), settings: settings) == day)
        #expect(DigestSchedule.dueDay(at: utc("2026-11-23T07:45:00Z"), settings: settings) == day)
        #expect(DigestSchedule.dueDay(at: utc("2026-11-23T09:30:00Z"), settings: settings) == nil, "missed: not sent late")
        settings.digestTime = nil
        #expect(DigestSchedule.dueDay(at: utc("2026-11-23T07:00:00Z"), settings: settings) == nil)
    }
}
