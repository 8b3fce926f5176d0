import Foundation
import Testing
@testable import StewardCore

/// `/free … with a@x.com,b@y.com`: other people's busy times come from a calendar that can see them, and
/// anyone it couldn't see is named. Now is Saturday 21 Nov 2026 10:00 in Berlin; Monday is 23 Nov.
@Suite struct FreeWithOthersTests {
    @Test func othersBusyTimesShapeTheSlotsAndTheUnseenAreNamed() async throws {
        let bobBusy = DateInterval(start: CoreWorld.at(2026, 11, 23, 9), end: CoreWorld.at(2026, 11, 23, 12))
        let calendar = FakeCalendar(accountID: "google:1", events: [], others: ["bob@x.com": [bobBusy]])
        let world = CoreWorld([("Files", "ics", FakeCalendar(accountID: "ics:9", events: [])),
                               ("Work", "google", calendar)])
        let answer = await world.send(.command(name: "free", arguments: "30m monday with bob@x.com,carol@y.com")).text
        #expect(answer.contains("Mon 23 Nov 12:00–18:00"))
        #expect(!answer.contains("09:00"))
        #expect(answer.contains("Couldn't see carol@y.com's calendar; these slots only account for your calendars and bob@x.com's."))
        #expect(await calendar.busyQueries == [["bob@x.com", "carol@y.com"]])

        let seen = await world.send(.command(name: "free", arguments: "30m monday with bob@x.com")).text
        #expect(seen.contains("Checked against the calendar of bob@x.com."))
        let nobody = await world.send(.command(name: "free", arguments: "30m monday with carol@y.com")).text
        #expect(nobody.contains("Couldn't see carol@y.com's calendar; these slots only account for your own calendars."))
        #expect(nobody.contains("Mon 23 Nov 09:00–18:00"))
    }

    @Test func withoutACalendarThatSeesOthersTheAnswerSaysSo() async throws {
        let world = CoreWorld([("Files", "ics", FakeCalendar(accountID: "ics:9", events: []))])
        let answer = await world.send(.command(name: "free", arguments: "30m monday with bob@x.com")).text
        #expect(answer.contains("(Other people's availability needs a Google account; these are your own free times.)"))
        #expect(answer.contains("Mon 23 Nov 09:00–18:00"))
    }
}
