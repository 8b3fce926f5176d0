import Foundation
import GRDB
@testable import StewardStorage
import StewardCore
import Testing

/// The outbox as the dispatcher reads it under load: per-chat queues, busy queues left out in SQL,
/// and a burst of answers stored in one transaction.
@Suite struct OutboxQueueTests {
    let bob = ChatRef(platform: .telegram, chatID: "2002", isPrivate: true)

    func send(_ text: String, to chat: ChatRef) -> Delivery {
        .send(chat: chat, message: OutboundMessage(text: text))
    }

    @Test func pendingLeavesOutBusyQueuesAndKeepsEachChatsOrder() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.enqueue([
            (key: "a1", delivery: send("one", to: dm)), (key: "b1", delivery: send("uno", to: bob)),
            (key: "a2", delivery: send("two", to: dm)),
            (key: "ack", delivery: .answerAction(platform: .telegram, receipt: "q1", text: "Done")),
        ], at: Date())
        let all = try await store.pending(platform: .telegram, limit: 10, excludingQueues: [])
        #expect(all.map(\.key) == ["a1", "b1", "a2", "ack"])
        let withoutAlice = try await store.pending(platform: .telegram, limit: 10, excludingQueues: [dm.description])
        #expect(withoutAlice.map(\.key) == ["b1", "ack"])
        // A button acknowledgement has a queue of its own, so it never waits behind a chat.
        let onlyAlice = try await store.pending(platform: .telegram, limit: 10,
                                                excludingQueues: [bob.description, "action:ack"])
        #expect(onlyAlice.map(\.key) == ["a1", "a2"])
        #expect(try await store.pending(platform: .slack, limit: 10, excludingQueues: []).isEmpty)
    }

    @Test func aBatchOfAnswersIsStoredTogetherWithEveryEventMarkedDone() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = (1...3).map { InboundEvent(id: "telegram:update:\($0)", sender: alice, chat: dm,
                                                kind: .message("hi \($0)"), receivedAt: Date()) }
        #expect(try await store.storeBatch(events).count == 3)
        try await store.complete(events.map { event in
            InboundCompletion(eventID: event.id, deliveries: [KeyedDelivery(key: event.id + "#0",
                                                                            delivery: send("re \(event.id)", to: dm))])
        }, at: Date())
        #expect(try await store.unprocessed(limit: 10).isEmpty)
        #expect(try await store.pendingCount() == 3)
        // Completing again (a crash between storing and acknowledging) queues nothing twice.
        try await store.complete([InboundCompletion(eventID: events[0].id, deliveries: [
            KeyedDelivery(key: events[0].id + "#0", delivery: send("again", to: dm)),
        ])], at: Date())
        #expect(try await store.pendingCount() == 3)
    }

    @Test func upgradingAnOlderDatabaseSortsItsWaitingMessagesIntoQueues() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.enqueue([(key: "a1", delivery: send("one", to: dm)), (key: "b1", delivery: send("uno", to: bob))],
                                at: Date())
        // Turn the file back into the first schema, as a database written by an older Steward looks.
        try await store.pool.write { db in
            try db.execute(sql: """
                DROP INDEX outbox_pending;
                ALTER TABLE outbox DROP COLUMN queue;
                DELETE FROM grdb_migrations WHERE identifier = 'v2-outbox-queue';
                """)
        }
        let path = directory.appendingPathComponent("steward.sqlite").path
        let upgraded = try SQLiteStore(path: path, secrets: nil)
        #expect(try upgraded.appliedMigrations().contains("v2-outbox-queue"))
        let waiting = try await upgraded.pending(platform: .telegram, limit: 10, excludingQueues: [bob.description])
        #expect(waiting.map(\.key) == ["a1"])
    }
}
