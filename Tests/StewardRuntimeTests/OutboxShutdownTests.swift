import Foundation
import Logging
import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardRuntime

/// A graceful shutdown (SIGTERM) lets the send under way finish and be recorded before the process goes:
/// cut off after the platform took it, it would go out a second time after the restart.
@Suite struct OutboxShutdownTests {
    /// A platform that takes 2 s to answer, counting the sends it started and finished: long enough for the
    /// shutdown to be under way before the first send ends, however loaded the machine (300 ms was not, in a
    /// full CI run, and the second message had started).
    actor SlowChannel: DeliveryChannel {
        nonisolated let platform = Platform.telegram
        private(set) var started = 0
        private(set) var finished: [Delivery] = []
        func deliver(_ delivery: Delivery) async throws -> String? {
            started += 1
            try? await Task.sleep(for: .seconds(2))
            finished.append(delivery)
            return "m\(finished.count)"
        }
    }

    @Test func theSendUnderWayFinishesAndIsRecordedAndTheRestWaitsForTheRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-shutdown-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let chat = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
        try await store.enqueue([("alert-1", .send(chat: chat, message: OutboundMessage(text: "Urgent mail 1"))),
                                 ("alert-2", .send(chat: chat, message: OutboundMessage(text: "Urgent mail 2")))], at: Date())
        let channel = SlowChannel()
        let first = OutboxDispatcher(outbox: store, users: store, channels: [.telegram: channel], logger: Logger(label: "test"))
        let running = Task { await first.run() }
        try await waitUntil { await channel.started == 1 }
        running.cancel()  // what the service group does on SIGTERM
        await running.value
        #expect(await channel.finished.count == 1, "the send under way finished")
        #expect(try await store.item(key: "alert-1")?.platformMessageID == "m1", "and was recorded before run returned")
        #expect(await channel.started == 1, "nothing new started during shutdown")

        // The restart sends what was left, and nothing twice.
        let second = OutboxDispatcher(outbox: store, users: store, channels: [.telegram: channel], logger: Logger(label: "test"))
        await second.flush()
        #expect(await channel.finished.count == 2)
        #expect(try await store.pendingCount() == 0)
    }
}
