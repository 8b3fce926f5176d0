import Foundation
import StewardTesting
import Testing

/// Proactive pushes on Matrix: with the Matrix DM as the owner's home chat, the daily digest arrives there
/// unasked, once, like on Telegram. On a test clock (`STEWARD_TEST_CLOCK_FILE`), so "due" is a clock move.
@Suite struct MatrixPushEndToEndTests {
    @Test func theDigestIsPushedToTheMatrixHomeChatOnce() async throws {
        let clockFile = FileManager.default.temporaryDirectory.appendingPathComponent("steward-clock-\(UUID().uuidString)")
        var clock = try MailClockEndToEndTests.TestClock(file: clockFile, now: Date())
        defer { try? FileManager.default.removeItem(at: clockFile) }
        let world = try await MatrixWorld(extraEnvironment: ["STEWARD_TIMEZONE": "Europe/Berlin",
                                                             "STEWARD_TEST_CLOCK_FILE": clockFile.path])
        let steward = try world.start()
        defer { world.finish(steward) }
        let dm = try await world.directChat(of: world.owner, steward)
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "HH:mm"
        try await world.owner.say("/settings digest \(formatter.string(from: clock.now))", in: dm)
        try await world.waitForMessages(1, in: dm, steward)

        // The digest check after the one at start: the digest is due now, and nobody asked for it.
        try clock.set(clock.now.addingTimeInterval(31))
        let digests = { try await world.stewardMessages(in: dm).filter { $0.body.hasPrefix("Your day") } }
        try await waitUntil(timeout: .seconds(60)) { (try? await digests().isEmpty) == false }
        let digest = try #require(try await digests().first)
        #expect(digest.body.contains("No events") && !digest.body.contains("Design review"), "\(digest.body)")
        #expect(digest.formattedBody != nil)

        // Two more digest checks run (the job's run count in /metrics says so) without a second digest.
        let metrics = try MetricsProbe(environment: world.environment)
        for _ in 0..<2 {
            let runs = await metrics.runs(of: "daily-digest")
            try clock.set(clock.now.addingTimeInterval(31))
            try await metrics.waitForRuns(of: "daily-digest", moreThan: runs)
        }
        // The second check has begun; one more run means it has finished too.
        let runs = await metrics.runs(of: "daily-digest")
        try clock.set(clock.now.addingTimeInterval(31))
        try await metrics.waitForRuns(of: "daily-digest", moreThan: runs)
        try await metrics.waitForDrain()
        #expect(try await digests().count == 1)
    }
}
