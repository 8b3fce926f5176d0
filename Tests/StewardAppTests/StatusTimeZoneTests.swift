import Foundation
import StewardCore
import StewardStorage
import Testing
@testable import StewardApp

/// `/status` shows its times in the asking user's time zone, to the minute, and names the zone.
@Suite struct StatusTimeZoneTests {
    @Test func statusTimesAreInTheUsersZone() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        // 2026-12-06 08:30 UTC is 09:30 in Berlin and 03:30 in New York.
        let next = Date(timeIntervalSince1970: 1_796_545_800)
        try await world.store.ensureJob(name: "daily-digest", firstRunAt: next)
        try await world.store.setValue("2026-12-06T08:29:00Z", for: "telegram.lastPoll")
        let status = RuntimeStatus(startedAt: Date(), outbox: world.store, state: world.store, jobs: world.store,
                                   platforms: [.telegram])
        let orchestrator = Orchestrator(users: world.store, approvals: world.store, audit: world.store,
                                        calendars: FileCalendars(accounts: world.store, file: world.file),
                                        status: status, access: world.orchestrator.access, digest: world.orchestrator.digest,
                                        now: { Date() }, accountKinds: .standard)

        let berlin = await orchestrator.handle(world.event(.command(name: "status", arguments: "")))
        let text = try #require(berlin.texts.first)
        #expect(text.contains("times in Europe/Berlin"), "\(text)")
        #expect(text.contains("Job daily-digest: last run never, next 2026-12-06 09:30"), "\(text)")
        #expect(text.contains("Telegram: last successful poll 2026-12-06 09:29"), "\(text)")

        _ = await orchestrator.handle(world.event(.command(name: "settings", arguments: "timezone America/New_York")))
        let newYork = try #require(await orchestrator.handle(world.event(.command(name: "status", arguments: ""))).texts.first)
        #expect(newYork.contains("next 2026-12-06 03:30"), "\(newYork)")
        #expect(newYork.contains("times in America/New_York"), "\(newYork)")
    }
}
