import Foundation
import Testing
@testable import StewardCore

/// "Am I free …" names the whole span it checked: a check that runs past midnight names both days.
@Suite struct CheckFreeSpanTests {
    private func answer(_ text: String, events: [CalendarEvent] = []) async throws -> String {
        let world = CoreWorld([("Work", "google", FakeCalendar(accountID: "google:1", events: events))])
        let answer = await world.orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner,
                                                                  chat: CoreWorld.dm, kind: .message(text),
                                                                  receivedAt: CoreWorld.now))
        return try #require(answer.messages.first).text
    }

    @Test func aCheckPastMidnightNamesBothDays() async throws {
        let text = try await answer("am I free tomorrow at 23:00 for 2 hours")
        #expect(text == "Yes, you're free Sun 22 Nov 23:00 – Mon 23 Nov 01:00.")
    }

    @Test func aClashPastMidnightNamesBothDaysToo() async throws {
        let late = CoreWorld.event("e1", "Night shift", CoreWorld.at(2026, 11, 23, 0), minutes: 30)
        let text = try await answer("am I free tomorrow at 23:00 for 2 hours", events: [late])
        #expect(text.hasPrefix("No — Sun 22 Nov 23:00 – Mon 23 Nov 01:00 overlaps:\n"), "\(text)")
    }

    @Test func aCheckWithinOneDayNamesItOnce() async throws {
        let text = try await answer("am I free tomorrow at 15:00 for 30 minutes")
        #expect(text == "Yes, you're free Sun 22 Nov 15:00–15:30.")
    }
}
