import Foundation
import Logging
import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardRuntime

/// A long message whose second chunk failed is retried from that chunk, also by a new process: the chat
/// never shows the first chunk twice.
@Suite struct OutboxChunkResumeTests {
    /// Takes the first chunk of every delivery, then fails the rest once; records what each attempt skipped.
    actor ChunkedChannel: DeliveryChannel {
        nonisolated let platform = Platform.telegram
        private(set) var skipped: [Int] = []
        private var failed = false

        func deliver(_ delivery: Delivery) async throws -> String? { try await deliver(delivery, key: "", resumingAfter: 0) }

        func deliver(_ delivery: Delivery, key: String, resumingAfter sentChunks: Int) async throws -> String? {
            skipped.append(sentChunks)
            if !failed {
                failed = true
                throw PartialDelivery(sent: 1, failure: .retryAfter(seconds: 0))
            }
            return "last-chunk"
        }
    }

    @Test func theRetrySkipsTheChunksAlreadyTakenAcrossARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-chunks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let store = try SQLiteStore(path: path, secrets: nil)
        let chat = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
        try await store.enqueue([("digest-1", .send(chat: chat, message: OutboundMessage(text: "a long digest")))], at: Date())
        let channel = ChunkedChannel()
        await OutboxDispatcher(outbox: store, users: store, channels: [.telegram: channel], logger: Logger(label: "test"))
            .flush()
        #expect(try await store.item(key: "digest-1")?.chunksSent == 1)

        let restarted = try SQLiteStore(path: path, secrets: nil)
        let again = OutboxDispatcher(outbox: restarted, users: restarted, channels: [.telegram: channel],
                                     logger: Logger(label: "test"))
        try await waitUntil {
            await again.flush()
            return (try? await restarted.pendingCount()) == 0
        }
        #expect(await channel.skipped == [0, 1])
        #expect(try await restarted.item(key: "digest-1")?.platformMessageID == "last-chunk")
    }
}
