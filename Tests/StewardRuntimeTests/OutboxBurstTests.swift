import Foundation
import Logging
import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardRuntime

/// A burst of answers to many chats (a broadcast, a backlog after an outage): everyone gets theirs, once,
/// in order within each chat, without the dispatcher piling every send into the HTTP client at once.
@Suite struct OutboxBurstTests {
    /// A platform that takes a few milliseconds per message and notes how many sends overlap.
    actor CountingChannel: DeliveryChannel {
        nonisolated let platform = Platform.telegram
        private(set) var delivered: [String: [String]] = [:]
        private(set) var mostAtOnce = 0
        private var underWay = 0

        func deliver(_ delivery: Delivery) async throws -> String? {
            underWay += 1
            mostAtOnce = max(mostAtOnce, underWay)
            try? await Task.sleep(for: .milliseconds(5))
            underWay -= 1
            guard case .send(let chat, let message) = delivery else { return nil }
            delivered[chat.chatID, default: []].append(message.text)
            return "m\(delivered.values.map(\.count).reduce(0, +))"
        }
    }

    @Test func sixHundredChatsEachGetTheirMessageOnceAndOneChatGetsItsThreeInOrder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-burst-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        func chat(_ id: Int) -> ChatRef { ChatRef(platform: .telegram, chatID: "\(id)", isPrivate: true) }
        var rows: [(key: String, delivery: Delivery)] = (1...600).map {
            (key: "burst-\($0)", delivery: .send(chat: chat($0), message: OutboundMessage(text: "Hello \($0)")))
        }
        rows += (1...3).map { (key: "order-\($0)", delivery: .send(chat: chat(1_000), message: OutboundMessage(text: "Part \($0)"))) }
        try await store.enqueue(rows, at: Date())
        let channel = CountingChannel()
        let dispatcher = OutboxDispatcher(outbox: store, users: store, channels: [.telegram: channel], logger: Logger(label: "test"))

        await dispatcher.flush()

        let delivered = await channel.delivered
        #expect(delivered.count == 601, "every chat got its messages")
        #expect((1...600).allSatisfy { delivered["\($0)"] == ["Hello \($0)"] }, "each exactly once")
        #expect(delivered["1000"] == ["Part 1", "Part 2", "Part 3"])
        #expect(try await store.pendingCount() == 0)
        #expect(await channel.mostAtOnce <= OutboxDispatcher.concurrentSends, "at most \(OutboxDispatcher.concurrentSends) sends at once")
    }
}
