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

    /// The busy list reaches SQL as a JSON array written by hand: a queue whose name needs escaping (a
    /// button's key is the platform's text) is still left out, and only it.
    @Test func busyQueuesWithQuotesBackslashesAndControlCharactersAreLeftOut() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = ["q\"uote", "back\\slash", "new\nline\u{1}", "émoji 🎉", "plain"]
        try await store.enqueue(keys.map { key in
            (key: key, delivery: .answerAction(platform: .telegram, receipt: key, text: "Done"))
        }, at: Date())
        let all = try await store.pending(platform: .telegram, limit: 10, excludingQueues: [])
        #expect(all.map(\.key) == keys)
        for (index, key) in keys.enumerated() {
            let busy: Set<String> = [all[index].delivery.queue(key: key)]
            let left = try await store.pending(platform: .telegram, limit: 10, excludingQueues: busy)
            #expect(left.map(\.key) == keys.filter { $0 != key }, "busy \(busy)")
        }
        let allBusy = Set(all.map { $0.delivery.queue(key: $0.key) })
        #expect(try await store.pending(platform: .telegram, limit: 10, excludingQueues: allBusy).isEmpty)
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
                DROP INDEX outbox_waiting;
                CREATE INDEX outbox_due ON outbox(platform, state, not_before, id);
                ALTER TABLE outbox DROP COLUMN queue;
                DELETE FROM grdb_migrations WHERE identifier IN ('v2-outbox-queue', 'v18-outbox-pending-index');
                """)
        }
        let path = directory.appendingPathComponent("steward.sqlite").path
        let upgraded = try SQLiteStore(path: path, secrets: nil)
        #expect(try upgraded.appliedMigrations().contains("v2-outbox-queue"))
        #expect(try upgraded.appliedMigrations().contains("v18-outbox-pending-index"))
        let waiting = try await upgraded.pending(platform: .telegram, limit: 10, excludingQueues: [bob.description])
        #expect(waiting.map(\.key) == ["a1"])
    }

    /// The daily clean-up: what is old and done goes; what is recent, or still waiting, stays — whatever
    /// order the rows were stored in relative to the cut-off.
    @Test func pruningDropsOldFinishedRowsAndKeepsRecentAndWaitingOnes() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date()
        let old = now.addingTimeInterval(-20 * 86_400), recent = now.addingTimeInterval(-86_400)
        func event(_ id: String, at date: Date) -> InboundEvent {
            InboundEvent(id: "telegram:update:\(id)", sender: alice, chat: dm, kind: .message(id), receivedAt: date)
        }
        // Old and answered, old and never answered, recent and answered.
        _ = try await store.storeBatch([event("old-done", at: old), event("old-stuck", at: old), event("new-done", at: recent)])
        try await store.complete([InboundCompletion(eventID: "telegram:update:old-done", deliveries: [
            KeyedDelivery(key: "reply-old", delivery: send("old reply", to: dm)),
        ])], at: old)
        try await store.complete([InboundCompletion(eventID: "telegram:update:new-done", deliveries: [
            KeyedDelivery(key: "reply-new", delivery: send("new reply", to: dm)),
        ])], at: recent)
        try await store.enqueue([(key: "old-waiting", delivery: send("still to send", to: bob))], at: old)
        let oldReply = try #require(try await store.item(key: "reply-old"))
        let newReply = try #require(try await store.item(key: "reply-new"))
        try await store.markSent([SentDelivery(id: oldReply.id, platformMessageID: "1"),
                                  SentDelivery(id: newReply.id, platformMessageID: "2")])

        try await store.prune(before: now.addingTimeInterval(-14 * 86_400))

        #expect(try await store.item(key: "reply-old") == nil, "an old sent message is dropped")
        #expect(try await store.item(key: "reply-new")?.state == .sent, "a recent one stays")
        #expect(try await store.item(key: "old-waiting")?.state == .pending, "a message still to send stays")
        #expect(try await store.unprocessed(limit: 10).map(\.id) == ["telegram:update:old-stuck"], "unanswered stays")
        // The old answered event is gone, so its id is new again; the recent one still dedupes.
        #expect(try await store.storeBatch([event("old-done", at: now), event("new-done", at: now)]).map(\.id)
                == ["telegram:update:old-done"])
        #expect(try await store.pendingCount() == 1)
    }
}
