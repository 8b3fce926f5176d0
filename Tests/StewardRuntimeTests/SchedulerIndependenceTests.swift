import Foundation
import Logging
import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardRuntime

/// A slow job never holds the others: while a triage run hangs (Gmail not answering), approval expiry and
/// the digest keep running on their own schedules, under the test clock.
@Suite struct SchedulerIndependenceTests {
    /// Counts runs per job; the triage job waits until `release`.
    actor Runs {
        private(set) var counts: [String: Int] = [:]
        private var released = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func ran(_ name: String) { counts[name, default: 0] += 1 }
        func count(_ name: String) -> Int { counts[name] ?? 0 }
        /// Expiry and the digest have both run `times` times.
        func bothRan(_ times: Int) -> Bool { count("approval-expiry") == times && count("daily-digest") == times }
        func stall() async {
            if released { return }
            await withCheckedContinuation { waiting.append($0) }
        }
        func release() {
            released = true
            waiting.forEach { $0.resume() }
            waiting.removeAll()
        }
    }

    @Test func aStalledTriageDelaysNeitherApprovalExpiryNorTheDigest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-scheduler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let clockFile = directory.appendingPathComponent("clock")
        var now = Date(timeIntervalSince1970: 1_796_000_000)
        func setClock(_ date: Date) throws {
            try ISO8601DateFormatter().string(from: date).write(to: clockFile, atomically: true, encoding: .utf8)
        }
        try setClock(now)
        let runs = Runs()
        // Triage is registered first, so a scheduler running due jobs one after another reaches it first.
        let scheduler = Scheduler(jobs: store, definitions: [
            .init(name: "mail-triage", interval: 30) {
                await runs.ran("mail-triage")
                await runs.stall()
            },
            .init(name: "approval-expiry", interval: 300) { await runs.ran("approval-expiry") },
            .init(name: "daily-digest", interval: 30) { await runs.ran("daily-digest") },
        ], logger: Logger(label: "test"), clock: StewardClock(file: clockFile))
        let running = Task { await scheduler.run() }
        defer { running.cancel() }

        try await waitUntil { await runs.count("mail-triage") == 1 }
        try await waitUntil { await runs.bothRan(1) }
        // Five minutes later: both are due again, while triage still hangs.
        now.addTimeInterval(301)
        try setClock(now)
        try await waitUntil { await runs.bothRan(2) }
        #expect(await runs.count("mail-triage") == 1, "the hung run is not started again beside itself")

        await runs.release()
        try await waitUntil { await runs.count("mail-triage") == 2 }
        running.cancel()
        await running.value
    }
}
