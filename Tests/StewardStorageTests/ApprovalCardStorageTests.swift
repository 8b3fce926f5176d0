import Foundation
import GRDB
import StewardCore
@testable import StewardStorage
import Testing

/// An approval card is a record: its choices are found through it (not through the shape of their ids),
/// deciding one retires the others once, and the card's message id is recorded when the outbox sends it.
@Suite struct ApprovalCardStorageTests {
    static func request(_ id: String, on card: String, _ choice: ApprovalCard.Choice, user: User.ID) -> ApprovalRequest {
        ApprovalRequest(id: id, userID: user, toolName: "calendar_create_event", payload: Data(id.utf8),
                        payloadHash: "h-\(id)", summary: "Gym", createdAt: Date(),
                        expiresAt: Date().addingTimeInterval(3600), cardChat: dm, cardID: card, choice: choice)
    }

    static func owner(in store: SQLiteStore) async throws -> User.ID {
        try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                   defaultSettings: UserSettings(timeZone: "UTC")).id
    }

    @Test func decidingOneChoiceRetiresItsSiblingsOnceAlsoAfterARestart() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await Self.owner(in: store)
        let requests = [Self.request("a1b2c3d4e5f6", on: "a1b2c3d4e5f6", .approve, user: user),
                        Self.request("0f0f0f0f0f0f", on: "a1b2c3d4e5f6", .approveQuietly, user: user),
                        Self.request("1e1e1e1e1e1e", on: "a1b2c3d4e5f6", .edit, user: user)]
        let card = ApprovalCard(id: "a1b2c3d4e5f6", userID: user, chat: dm, requests: requests, createdAt: Date())
        _ = try await store.insert(card: card, requests: requests)
        // Another card's pending request is not this card's sibling.
        let other = Self.request("999999999999", on: "999999999999", .approve, user: user)
        _ = try await store.insert(card: ApprovalCard(id: other.id, userID: user, chat: dm, requests: [other],
                                                      createdAt: Date()), requests: [other])

        let stored = try #require(try await store.approval(id: "0f0f0f0f0f0f"))
        #expect(try await store.retireSiblings(of: stored, at: Date(), outcome: "Superseded") == .retired(count: 2))
        #expect(try await store.transition(id: stored.id, from: .pending, to: .approved, at: Date(), outcome: nil))
        #expect(try await store.retireSiblings(of: stored, at: Date(), outcome: "Superseded") == .retired(count: 0))

        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        let record = try #require(try await reopened.card(id: "a1b2c3d4e5f6"))
        #expect(record.options.map(\.choice) == [.approve, .approveQuietly, .edit, .reject])
        #expect(record.approvalID(for: .reject) == "a1b2c3d4e5f6")
        let lead = try #require(try await reopened.approval(id: "a1b2c3d4e5f6"))
        #expect(lead.state == .rejected && lead.outcome == "Superseded")
        #expect(lead.cardID == "a1b2c3d4e5f6" && lead.choice == .approve)
        // A late tap on the retired lead, after the restart: the other choice was taken, nothing runs.
        #expect(try await reopened.retireSiblings(of: lead, at: Date(), outcome: "Superseded") == .otherTaken)
        #expect(try await reopened.approval(id: "0f0f0f0f0f0f")?.state == .approved)
        #expect(try await reopened.pending(of: user).map(\.id) == ["999999999999"])
    }

    @Test func theCardsMessageIDIsRecordedWhenTheOutboxSendsIt() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await Self.owner(in: store)
        let lead = Self.request("abcdefabcdef", on: "abcdefabcdef", .approve, user: user)
        _ = try await store.insert(card: ApprovalCard(id: lead.id, userID: user, chat: dm, requests: [lead],
                                                      createdAt: Date()), requests: [lead])
        // A second card whose message has not gone out: sending other rows must not touch it.
        let waiting = Self.request("123456abcdef", on: "123456abcdef", .approve, user: user)
        _ = try await store.insert(card: ApprovalCard(id: waiting.id, userID: user, chat: dm, requests: [waiting],
                                                      createdAt: Date()), requests: [waiting])
        #expect(try await store.card(id: lead.id)?.messageID == nil)
        let message = OutboundMessage(title: "Add this event?", text: "Gym")
        try await store.enqueue([KeyedDelivery(key: "card-\(lead.id)", delivery: .send(chat: dm, message: message),
                                               afterSend: .recordCardMessage(cardID: lead.id)),
                                 KeyedDelivery(key: "other", delivery: .send(chat: dm, message: message)),
                                 KeyedDelivery(key: "card-\(waiting.id)", delivery: .send(chat: dm, message: message),
                                               afterSend: .recordCardMessage(cardID: waiting.id))], at: Date())
        let due = try await store.due(platform: .telegram, at: Date(), limit: 10)
        #expect(due.map(\.key) == ["card-\(lead.id)", "other", "card-\(waiting.id)"])
        try await store.markSent([SentDelivery(id: due[0].id, platformMessageID: "501"),
                                  SentDelivery(id: due[1].id, platformMessageID: "502")])

        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        #expect(try await reopened.card(id: lead.id)?.messageID == "501")
        #expect(try await reopened.approval(id: lead.id)?.cardMessageID == "501")
        #expect(try await reopened.pendingExpired(at: Date().addingTimeInterval(7200)).first(where: { $0.id == lead.id })?
            .cardMessageID == "501")
        #expect(try await reopened.card(id: waiting.id)?.messageID == nil)
    }

    /// A card sent by the previous Steward (choices known only by id suffixes, its message id only under
    /// the outbox key `approval-card:<id>`) still works after the upgrade.
    @Test func aCardSentBeforeTheUpgradeKeepsItsChoicesAndMessageID() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await Self.owner(in: store)
        let chat = String(decoding: try JSONEncoder().encode(dm), as: UTF8.self)
        try await store.pool.write { db in
            // As a database written by the previous Steward looks: the migration not yet applied.
            try db.execute(sql: """
                DROP INDEX approvals_by_card;
                ALTER TABLE approvals DROP COLUMN card_id;
                ALTER TABLE approvals DROP COLUMN choice;
                ALTER TABLE outbox DROP COLUMN after_send_card;
                DROP TABLE approval_cards;
                DELETE FROM grdb_migrations WHERE identifier = 'v8-hcard-card-records';
                """)
            for id in ["c0ffee123456", "c0ffee123456q", "7777aaaa8888r", "7777aaaa8888x", "7777aaaa8888m",
                       "7777aaaa8888n"] {
                try db.execute(sql: """
                    INSERT INTO approvals (id, user_id, tool_name, payload, payload_hash, summary, state, created_at,
                        expires_at, card_chat) VALUES (?, ?, 't', x'00', 'h', 's', 'pending', ?, ?, ?)
                    """, arguments: [id, user, Date().timeIntervalSince1970, Date().timeIntervalSince1970 + 3600, chat])
            }
            try db.execute(sql: """
                INSERT INTO outbox (key, platform, delivery, queue, state, not_before, created_at, platform_message_id)
                VALUES ('approval-card:c0ffee123456', 'telegram', '{}', 'q', 'sent', 0, 0, '77')
                """)
        }
        let upgraded = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        let card = try #require(try await upgraded.card(id: "c0ffee123456"))
        #expect(card.options == [.init(choice: .approve, approvalID: "c0ffee123456"),
                                 .init(choice: .approveQuietly, approvalID: "c0ffee123456q"),
                                 .init(choice: .reject, approvalID: "c0ffee123456")])
        #expect(card.messageID == "77")
        let alert = try #require(try await upgraded.card(id: "7777aaaa8888"))
        #expect(alert.options.map(\.choice) == [.draftReply, .archive, .mute, .notUrgent])
        let archive = try #require(try await upgraded.approval(id: "7777aaaa8888x"))
        #expect(try await upgraded.retireSiblings(of: archive, at: Date(), outcome: "Superseded") == .retired(count: 3))
    }
}
