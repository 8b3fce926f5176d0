import Foundation
import Logging
@testable import StewardApp
@testable import StewardRuntime
import StewardCore
import StewardStorage
import Testing

/// Records how many transactions answers were stored in, on top of the real store.
final class CountingInbound: InboundRepository, @unchecked Sendable {
    let store: SQLiteStore
    let delay: Duration
    private let lock = NSLock()
    private var calls = 0
    var transactions: Int { lock.withLock { calls } }

    init(store: SQLiteStore, delay: Duration = .zero) {
        self.store = store
        self.delay = delay
    }

    func store(_ event: InboundEvent) async throws -> Bool { try await store.store(event) }
    func storeBatch(_ events: [InboundEvent]) async throws -> [InboundEvent] { try await store.storeBatch(events) }
    func unprocessed(limit: Int) async throws -> [InboundEvent] { try await store.unprocessed(limit: limit) }
    func unprocessed(after position: Int64, limit: Int) async throws -> [StoredInboundEvent] {
        try await store.unprocessed(after: position, limit: limit)
    }
    func complete(_ completions: [InboundCompletion], at date: Date) async throws {
        lock.withLock { calls += 1 }
        try await Task.sleep(for: delay)
        try await store.complete(completions, at: date)
    }
}

@Suite struct InboundProcessorTests {
    /// Two people change a setting many times at once: each gets their answers in the order they asked,
    /// and the value they sent last is the one that sticks.
    @Test func eachSendersMessagesAreAnsweredInOrderWhileSendersRunSideBySide() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let friendDM = ChatRef(platform: .telegram, chatID: "200", isPrivate: true)
        var events: [InboundEvent] = []
        for minutes in 1...30 {
            events.append(world.event(.command(name: "settings", arguments: "buffer \(minutes)m"), id: "o\(minutes)"))
            events.append(world.event(.command(name: "settings", arguments: "buffer \(minutes + 100)m"),
                                      from: World.friend, in: friendDM, id: "f\(minutes)"))
        }
        let processor = InboundProcessor(inbound: world.store, orchestrator: world.orchestrator, presence: [:],
                                         delivered: {}, logger: Logger(label: "test"))
        try await processor.accept(events)
        await processor.drain()

        #expect(try await world.store.unprocessed(limit: 100).isEmpty)
        let sent = try await world.store.pending(platform: .telegram, limit: 500, excludingQueues: [])
        func answers(in chat: ChatRef) -> [String] {
            sent.filter { $0.delivery.chat == chat }.compactMap {
                if case .send(_, let message) = $0.delivery { message.plainText } else { nil }
            }
        }
        let ownerAnswers = answers(in: World.ownerDM)
        let friendAnswers = answers(in: friendDM)
        #expect(ownerAnswers.count == 30 && friendAnswers.count == 30)
        // Each answer names the new buffer, so in order they climb one minute at a time.
        #expect(ownerAnswers == (1...30).map { "Saved: buffer \($0)m" })
        #expect(friendAnswers.first == "Saved: buffer 1h41m" && friendAnswers.last == "Saved: buffer 2h10m")
        #expect(try await world.store.settings(of: 1).bufferMinutes == 30)
        #expect(try await world.store.settings(of: 2).bufferMinutes == 130)
    }

    /// Answers finished while a transaction is being written share the next one.
    @Test func answersFinishedTogetherAreStoredInFewTransactions() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let counting = CountingInbound(store: world.store, delay: .milliseconds(50))
        let events = (1...40).map { InboundEvent(id: "e\($0)", sender: World.owner, chat: World.ownerDM,
                                                 kind: .message("hi"), receivedAt: Date()) }
        _ = try await world.store.storeBatch(events)
        let writer = InlineGroupCommit<InboundCompletion> { try await counting.complete($0, at: Date()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for event in events {
                group.addTask {
                    try await writer.submit(InboundCompletion(eventID: event.id, deliveries: [
                        KeyedDelivery(key: event.id, delivery: .send(chat: World.ownerDM, message: OutboundMessage(text: "ok"))),
                    ]))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await world.store.unprocessed(limit: 100).isEmpty)
        #expect(try await world.store.pendingCount() == 40)
        #expect(counting.transactions < 10, "40 answers took \(counting.transactions) transactions")
    }
}
