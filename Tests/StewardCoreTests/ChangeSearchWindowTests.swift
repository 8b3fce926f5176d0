import Foundation
import Testing
@testable import StewardCore

/// "/move my standup on <a day>" looks for the event on that day only, however far off the day is: the
/// calendar is never asked for the years in between.
@Suite struct ChangeSearchWindowTests {
    @Test func aMoveOnADayThousandsOfYearsAheadReadsThatDayOnly() async throws {
        let calendar = FakeCalendar(accountID: "google:1", events: [])
        let world = CoreWorld([("Work", "google", calendar)])
        let answer = await world.send(.command(name: "move", arguments: "my standup on 9999-12-05 to 10:00"))
        let windows = await calendar.windows
        #expect(!windows.isEmpty)
        #expect(windows.allSatisfy { $0.duration <= 86_400 && $0.start >= CoreWorld.at(9999, 12, 4, 0) }, "\(windows)")
        let text = try #require(answer.messages.first).text
        #expect(text.hasPrefix("I couldn't find an upcoming event matching “standup” on "), "\(text)")
        #expect(!text.contains("60 days"), "the next 60 days were not what was searched: \(text)")
    }

    @Test func anEventOnADayMonthsAheadIsStillFound() async throws {
        let standup = CoreWorld.event("s1", "Standup", CoreWorld.at(2027, 6, 4, 9), minutes: 15)
        let calendar = FakeCalendar(accountID: "google:1", events: [standup])
        let world = CoreWorld([("Work", "google", calendar)])
        let answer = await world.send(.command(name: "move", arguments: "my standup on 2027-06-04 to 2027-06-04 10:00"))
        let card = try #require(answer.messages.first { !$0.buttons.isEmpty }).text
        #expect(card.contains("Move “Standup”"), "\(card)")
        #expect(await calendar.windows.allSatisfy { $0.duration <= 92 * 86_400 })
    }

    @Test func myTwoPMStillSearchesTheNextSixtyDays() {
        let window = Orchestrator.searchWindow(for: EventReference(when: .timeOfDay(14 * 60)), now: CoreWorld.now)
        #expect(window == DateInterval(start: CoreWorld.now, duration: 60 * 86_400))
    }
}
