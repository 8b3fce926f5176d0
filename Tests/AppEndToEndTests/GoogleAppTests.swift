import Foundation
import StewardTesting
import Testing

/// A connected Google account whose tokens expire and then are revoked, the whole app in this process:
/// each calendar sync is a clock move and one `runDueJobs()`.
@Suite struct GoogleAppTests {
    /// Today's date in Berlin at `hour:minute`, as an instant.
    static func today(_ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AppWorld.berlin
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: Date())!
    }

    /// The sync interval (5 s here) passes by the app's clock; one calendar sync runs and what it queued is sent.
    static func nextSync(_ world: AppWorld, _ app: RunningApp) async throws {
        world.clock.advance(by: 6)
        try await app.runDueJobs()
    }

    @Test func expiredTokensRefreshQuietlyAndARevokedOneGetsExactlyOneReconnectMessage() async throws {
        try await AppWorld.run(withGoogle: true, environment: ["STEWARD_CALENDAR_SYNC_SECONDS": "5"]) { world in
            let google = try world.fakeGoogle
            _ = try await google.state.addTimedEvent(calendarID: AppWorld.email, summary: "Standup", start: Self.today(10),
                                                     end: Self.today(10, 15), timeZone: "Europe/Berlin")
            // Before the day's digest (08:00 by default) so that a run between 08:00 and 09:00 gets no
            // morning message among the ones counted here.
            world.clock.advance(by: Self.today(6).timeIntervalSince(world.clock.now))
            let app = try await world.bootConnected()

            // The access token expires: the next syncs refresh it without a word to the user.
            await google.state.expireAccessTokens()
            try await Self.nextSync(world, app)
            #expect(await google.state.grantedTokenRequests("refresh_token") >= 1)
            _ = try await google.state.addTimedEvent(calendarID: AppWorld.email, summary: "Added later",
                                                     start: Self.today(11), end: Self.today(11, 30),
                                                     timeZone: "Europe/Berlin")
            try await Self.nextSync(world, app)
            let today = try await world.ask("/today", answerNumber: 3).text
            #expect(today.contains("Added later"), "\(today)")
            #expect(!today.contains("⚠︎"))

            // Revoked: one message with a fresh link, however many syncs follow.
            await google.state.revokeRefreshTokens(of: AppWorld.email)
            await google.state.expireAccessTokens()
            try await Self.nextSync(world, app)
            let reconnect = try await world.waitForMessages(4)[3].text
            #expect(reconnect.contains("stopped working") && reconnect.contains("http"), "\(reconnect)")
            for _ in 0..<3 { try await Self.nextSync(world, app) }
            #expect(await world.messages().count == 4)
            let status = try await world.ask("/status", answerNumber: 5).text
            #expect(status.contains("needs reconnect"), "\(status)")
        }
    }
}
