import Foundation
import StewardTesting
import Testing

/// The daily digest with the real binary: pushed at the user's local time, once, even across `kill -9`.
/// On a test clock (`STEWARD_TEST_CLOCK_FILE`), so the digest checks after the restart are clock moves.
@Suite(.serialized) struct DigestEndToEndTests {
    @Test func theDigestArrivesAtTheLocalTimeOnceAcrossARestart() async throws {
        let clockFile = FileManager.default.temporaryDirectory.appendingPathComponent("steward-clock-\(UUID().uuidString)")
        var clock = try MailClockEndToEndTests.TestClock(file: clockFile, now: Date())
        defer { try? FileManager.default.removeItem(at: clockFile) }
        let world = try await TelegramWorld(extraEnvironment: ["STEWARD_TIMEZONE": "Europe/Berlin",
                                                               "STEWARD_TEST_CLOCK_FILE": clockFile.path])
        let first = try world.start()
        // Now, to the minute, in Berlin: the digest is due at once.
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "HH:mm"
        await world.fake.sendText("/settings digest \(formatter.string(from: clock.now))", from: TelegramWorld.owner)
        try await world.waitForMessages(1, to: 100, first)
        // The digest check after the one at start: it is due now.
        try clock.set(clock.now.addingTimeInterval(31))
        let digests = { await world.messages(to: 100).filter { $0.text.hasPrefix("Your day") } }
        try await waitUntil(timeout: .seconds(60)) { await !digests().isEmpty }
        let digest = try #require(await digests().first)
        // Today's agenda only: the calendar's one event is tomorrow.
        #expect(digest.text.contains("No events") && !digest.text.contains("Design review"), "\(digest.text)")
        // A reply in the same chat goes out only after the digest was recorded as sent: a kill before that
        // record is the one window where any sender repeats a message, and not what this test is about.
        await world.fake.sendText("/help", from: TelegramWorld.owner)
        try await world.waitForMessages(3, to: 100, first)

        first.kill9()
        let second = try world.start()
        defer { Task { await world.finish(second) } }
        await world.fake.sendText("/status", from: TelegramWorld.owner)
        // Found by content: the /help answer may go out again if the kill beat its "sent" record.
        try await waitUntil(timeout: .seconds(20)) {
            await world.messages(to: 100).contains { $0.text.contains("Job daily-digest") }
        }
        // Two more digest checks pass without a second digest: the clock moves past each one's interval,
        // and the job's run count in /metrics says it ran.
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
        #expect(await digests().count == 1)
    }
}
