import Foundation
import StewardCore
import StewardStorage
import Testing

/// A fresh database file in a temporary directory, removed by the caller's `defer`.
func temporaryStore(secrets: SecretBox? = nil) throws -> (SQLiteStore, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-\(UUID().uuidString)")
    let store = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: secrets)
    return (store, directory)
}

let alice = ChatIdentity(platform: .telegram, userID: "1001")
let dm = ChatRef(platform: .telegram, chatID: "1001", isPrivate: true)

@Suite struct StorageTests {
    @Test func approvalMovesOnlyAlongTheStateMachineAndOnlyOnce() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        let request = ApprovalRequest(id: "abc123", userID: user.id, toolName: "calendar_create_event",
                                      payload: Data("{}".utf8), payloadHash: "h", summary: "Lunch",
                                      createdAt: Date(), expiresAt: Date().addingTimeInterval(60), cardChat: dm)
        _ = try await store.insert(request)
        // Inserting the same id again keeps the first one (a re-processed event must not duplicate it).
        var changed = request
        changed.summary = "Something else"
        #expect(try await store.insert(changed).summary == "Lunch")

        #expect(try await store.transition(id: "abc123", from: .pending, to: .executed, at: Date(), outcome: nil) == false)
        #expect(try await store.transition(id: "abc123", from: .pending, to: .approved, at: Date(), outcome: nil))
        #expect(try await store.transition(id: "abc123", from: .pending, to: .approved, at: Date(), outcome: nil) == false)
        #expect(try await store.approvedUnfinished().map(\.id) == ["abc123"])
        #expect(try await store.transition(id: "abc123", from: .approved, to: .executed, at: Date(), outcome: "done"))
        let stored = try #require(try await store.approval(id: "abc123"))
        #expect(stored.state == .executed)
        #expect(stored.outcome == "done")
        #expect(try await store.approvedUnfinished().isEmpty)
    }

    @Test func pendingApprovalSurvivesReopeningTheFile() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        _ = try await store.insert(ApprovalRequest(
            id: "p1", userID: user.id, toolName: "t", payload: Data(), payloadHash: "h", summary: "s",
            createdAt: Date(), expiresAt: Date().addingTimeInterval(-1), cardChat: dm))
        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        #expect(try await reopened.pending(of: user.id).map(\.id) == ["p1"])
        #expect(try await reopened.pendingExpired(at: Date()).map(\.id) == ["p1"])
    }

    @Test func outboxStoresEachKeyOnceAndKeepsOrder() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = Delivery.send(chat: dm, message: OutboundMessage(text: "one"))
        let second = Delivery.send(chat: dm, message: OutboundMessage(text: "two"))
        try await store.enqueue([("k1", first), ("k2", second)], at: Date())
        try await store.enqueue([("k1", first)], at: Date())
        let due = try await store.due(platform: .telegram, at: Date(), limit: 10)
        #expect(due.map(\.key) == ["k1", "k2"])
        try await store.markSent(id: due[0].id, platformMessageID: "m-1")
        try await store.markFailed(id: due[1].id, error: "429", retryAt: Date().addingTimeInterval(30))
        #expect(try await store.due(platform: .telegram, at: Date(), limit: 10).isEmpty)
        #expect(try await store.due(platform: .telegram, at: Date().addingTimeInterval(31), limit: 10).map(\.key) == ["k2"])
        #expect(try await store.item(key: "k1")?.platformMessageID == "m-1")
        #expect(try await store.pendingCount() == 1)
    }

    @Test func inboundEventsAreDedupedAndCompletedAtomicallyWithTheirAnswers() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let event = InboundEvent(id: "telegram:update:7", sender: alice, chat: dm, kind: .message("hi"), receivedAt: Date())
        #expect(try await store.store(event))
        #expect(try await store.store(event) == false)
        #expect(try await store.unprocessed(limit: 10).map(\.id) == ["telegram:update:7"])
        try await store.complete(id: event.id, enqueueing: [
            KeyedDelivery(key: "telegram:update:7#0", delivery: .send(chat: dm, message: OutboundMessage(text: "hello"))),
        ], at: Date())
        #expect(try await store.unprocessed(limit: 10).isEmpty)
        #expect(try await store.item(key: "telegram:update:7#0") != nil)
    }

    @Test func secretsAreEncryptedAtRestAndNeedTheKey() async throws {
        let key = Data((0..<32).map { UInt8($0) })
        let (store, directory) = try temporaryStore(secrets: try SecretBox(keyData: key))
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "A", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        let account = try await store.addAccount(userID: user.id, kind: "imap", label: "mail", options: [:],
                                                 secret: Data("hunter2-password".utf8), at: Date())
        #expect(try await store.secret(ofAccount: account.id) == Data("hunter2-password".utf8))
        let raw = try Data(contentsOf: directory.appendingPathComponent("steward.sqlite"))
            + ((try? Data(contentsOf: directory.appendingPathComponent("steward.sqlite-wal"))) ?? Data())
        #expect(raw.range(of: Data("hunter2-password".utf8)) == nil)

        let path = directory.appendingPathComponent("steward.sqlite").path
        let withoutKey = try SQLiteStore(path: path, secrets: nil)
        await #expect(throws: StorageError.noSecretKey) { try await withoutKey.secret(ofAccount: account.id) }
        await #expect(throws: StorageError.noSecretKey) {
            try await withoutKey.addAccount(userID: user.id, kind: "imap", label: "x", options: [:],
                                            secret: Data("s".utf8), at: Date())
        }
        let wrongKey = try SQLiteStore(path: path, secrets: try SecretBox(keyData: Data(repeating: 9, count: 32)))
        await #expect(throws: StorageError.decryptionFailed) { try await wrongKey.secret(ofAccount: account.id) }
        #expect(throws: StorageError.badSecretKey) { try SecretBox(base64Key: "dG9vIHNob3J0") }
    }

    @Test func aJobRunIsClaimedOnce() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.ensureJob(name: "approval-expiry", firstRunAt: start)
        try await store.ensureJob(name: "approval-expiry", firstRunAt: start.addingTimeInterval(999))
        let due = try await store.dueJobs(at: start)
        #expect(due.map(\.name) == ["approval-expiry"])
        let next = start.addingTimeInterval(300)
        #expect(try await store.claim(name: "approval-expiry", expectedNextRun: due[0].nextRunAt, nextRunAt: next, at: start))
        #expect(try await store.claim(name: "approval-expiry", expectedNextRun: due[0].nextRunAt, nextRunAt: next, at: start) == false)
        #expect(try await store.dueJobs(at: start.addingTimeInterval(299)).isEmpty)
    }

    @Test func anUnknownIdentityIsRefusedOnlyOnce() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stranger = ChatIdentity(platform: .telegram, userID: "666")
        #expect(try await store.recordRefusal(of: stranger, at: Date()))
        #expect(try await store.recordRefusal(of: stranger, at: Date()) == false)
    }
}
