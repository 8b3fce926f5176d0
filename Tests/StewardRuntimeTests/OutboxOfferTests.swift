import Foundation
import Logging
import StewardCore
import StewardStorage
import StewardTesting
import Testing
@testable import StewardRuntime

/// Rows the store reports queued go out without the dispatcher reading the outbox back (issue 19): each
/// message once, in order within its chat, and never ahead of an older one that waits for a retry.
@Suite struct OutboxOfferTests {
    /// A platform that records what each chat got, and refuses chosen texts once with a 429.
    actor RecordingChannel: DeliveryChannel {
        nonisolated let platform = Platform.telegram
        private(set) var delivered: [String: [String]] = [:]
        private var refuseOnce: Set<String>
        private let retryAfter: Double

        init(refusingOnce: Set<String> = [], retryAfter: Double = 0) {
            refuseOnce = refusingOnce
            self.retryAfter = retryAfter
        }

        func deliver(_ delivery: Delivery) async throws -> String? {
            guard case .send(let chat, let message) = delivery else { return nil }
            if refuseOnce.remove(message.text) != nil { throw DeliveryFailure.retryAfter(seconds: retryAfter) }
            delivered[chat.chatID, default: []].append(message.text)
            return "m\(delivered.values.map(\.count).reduce(0, +))"
        }

        var total: Int { delivered.values.map(\.count).reduce(0, +) }
    }

    /// The store, counting the dispatcher's reads of pending rows.
    final class ReadCountingOutbox: OutboxRepository, @unchecked Sendable {
        let store: SQLiteStore
        private let counted = Locked(0)
        var reads: Int { counted.withLock { $0 } }

        init(_ store: SQLiteStore) { self.store = store }

        func pendingPage(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> OutboxPage {
            counted.withLock { $0 += 1 }
            return try await store.pendingPage(platform: platform, limit: limit, excludingQueues: busy)
        }
        func observeQueued(_ observer: @escaping @Sendable ([OutboxItem]) -> Void) -> Bool { store.observeQueued(observer) }
        func enqueue(_ deliveries: [(key: String, delivery: Delivery)], at date: Date) async throws {
            try await store.enqueue(deliveries, at: date)
        }
        func enqueue(_ deliveries: [KeyedDelivery], at date: Date) async throws { try await store.enqueue(deliveries, at: date) }
        func due(platform: Platform, at date: Date, limit: Int) async throws -> [OutboxItem] {
            try await store.due(platform: platform, at: date, limit: limit)
        }
        func pending(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> [OutboxItem] {
            try await pendingPage(platform: platform, limit: limit, excludingQueues: busy).items
        }
        func markSent(_ sent: [SentDelivery]) async throws { try await store.markSent(sent) }
        func markFailed(id: Int64, error: String, retryAt: Date?) async throws {
            try await store.markFailed(id: id, error: error, retryAt: retryAt)
        }
        func recordChunksSent(id: Int64, chunksSent: Int) async throws { try await store.recordChunksSent(id: id, chunksSent: chunksSent) }
        func item(key: String) async throws -> OutboxItem? { try await store.item(key: key) }
        func pendingCount() async throws -> Int { try await store.pendingCount() }
    }

    static func temporaryStore() throws -> (SQLiteStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-offer-\(UUID().uuidString)")
        return (try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil), directory)
    }

    static func send(_ text: String, to chat: String) -> Delivery {
        .send(chat: ChatRef(platform: .telegram, chatID: chat, isPrivate: true), message: OutboundMessage(text: text))
    }

    /// Runs the dispatcher for the duration of `body`.
    static func running(_ dispatcher: OutboxDispatcher, _ body: () async throws -> Void) async throws {
        let loop = Task { await dispatcher.run() }
        defer { loop.cancel() }
        try await body()
    }

    @Test func messagesQueuedOneByOneGoOutWithoutAReadEach() async throws {
        let (store, directory) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = ReadCountingOutbox(store)
        let channel = RecordingChannel()
        // No tick during the test: only what the store reports, or a read, can start a send.
        let dispatcher = OutboxDispatcher(outbox: outbox, users: store, channels: [.telegram: channel],
                                          logger: Logger(label: "test"), tick: .seconds(3_600))
        #expect(dispatcher.seesQueuedRows)
        try await Self.running(dispatcher) {
            // Once the first read (at start) has listed the empty outbox, nothing else reads.
            try await store.enqueue([(key: "first", delivery: Self.send("Hello 0", to: "0"))], at: Date())
            try await waitUntil(timeout: .seconds(60)) { await channel.total == 1 }
            let readsBefore = outbox.reads
            // No `wake()`: queuing is all it takes.
            for index in 1...20 {
                try await store.enqueue([(key: "one-\(index)", delivery: Self.send("Hello \(index)", to: "\(index % 3)"))],
                                        at: Date())
                try await waitUntil(timeout: .seconds(60)) { await channel.total == index + 1 }
            }
            // Each message was sent as it was reported. Before, each one waited for a read (20 messages, 20 reads).
            #expect(outbox.reads == readsBefore, "20 messages took \(outbox.reads - readsBefore) reads")
        }
        let delivered = await channel.delivered
        #expect(delivered["1"] == stride(from: 1, through: 20, by: 3).map { "Hello \($0)" })
        // The last sent mark may still be on its way when the platform has the message.
        try await waitUntil(timeout: .seconds(60)) { (try? await store.pendingCount()) == 0 }
    }

    @Test func aMessageQueuedBehindOneWaitingForARetryGoesAfterIt() async throws {
        let (store, directory) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let channel = RecordingChannel(refusingOnce: ["first"], retryAfter: 0.3)
        let dispatcher = OutboxDispatcher(outbox: store, users: store, channels: [.telegram: channel], logger: Logger(label: "test"))
        try await Self.running(dispatcher) {
            try await store.enqueue([(key: "a", delivery: Self.send("first", to: "7"))], at: Date())
            // Refused once: it waits for its retry, and stays the oldest pending message of chat 7.
            try await waitUntil { (try? await store.item(key: "a"))??.attempts == 1 }
            try await store.enqueue([(key: "b", delivery: Self.send("second", to: "7")),
                                     (key: "c", delivery: Self.send("elsewhere", to: "8"))], at: Date())
            try await waitUntil(timeout: .seconds(60)) { await channel.total == 3 }
        }
        let delivered = await channel.delivered
        #expect(delivered["7"] == ["first", "second"], "the retry keeps its place in the chat")
        #expect(delivered["8"] == ["elsewhere"])
    }

    @Test func manyQueuersAtOnceGetEachMessageOutOnceInOrder() async throws {
        let (store, directory) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let channel = RecordingChannel()
        let dispatcher = OutboxDispatcher(outbox: store, users: store, channels: [.telegram: channel], logger: Logger(label: "test"))
        try await Self.running(dispatcher) {
            // Eight writers commit side by side, so the rows they report arrive out of order and interleaved
            // with reads (some also wake the dispatcher, as other paths do).
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for index in 0..<20 {
                            let chat = "\(writer * 4 + index % 4)"
                            try? await store.enqueue([(key: "w\(writer)-\(index)", delivery: Self.send("\(index)", to: chat))],
                                                     at: Date())
                            if index % 7 == 0 { dispatcher.wake() }
                        }
                    }
                }
            }
            try await waitUntil(timeout: .seconds(60)) { await channel.total == 160 }
            try await waitUntil(timeout: .seconds(60)) { (try? await store.pendingCount()) == 0 }
        }
        let delivered = await channel.delivered
        for writer in 0..<8 {
            for lane in 0..<4 {
                let expected = stride(from: lane, to: 20, by: 4).map { "\($0)" }
                #expect(delivered["\(writer * 4 + lane)"] == expected, "chat \(writer * 4 + lane): once each, in order")
            }
        }
    }
}
