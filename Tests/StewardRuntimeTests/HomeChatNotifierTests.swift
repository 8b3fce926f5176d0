import Foundation
import StewardCore
import StewardRuntime
import StewardStorage
import Testing

/// Proactive pushes through one place: each key goes out once (also from a second process on the same
/// database), and a user whose home chat stopped accepting messages gets none.
@Suite struct HomeChatNotifierTests {
    @Test func aKeyIsPushedOnceAndAnInactiveHomeChatGetsNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-notifier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let store = try SQLiteStore(path: path, secrets: nil)
        let user = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "100"), displayName: "Ana",
                                              role: .owner, defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        let chat = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
        try await store.setHomeChat(chat, of: user.id)
        let wakes = Locked(0)
        let notifier = HomeChatNotifier(users: store, outbox: store, wake: { wakes.withLock { $0 += 1 } })

        #expect(try await notifier.push(OutboundMessage(text: "Your day"), to: user.id, key: "digest:1:2026-12-06"))
        let restarted = HomeChatNotifier(users: try SQLiteStore(path: path, secrets: nil),
                                         outbox: try SQLiteStore(path: path, secrets: nil), wake: {})
        #expect(try await !restarted.push(OutboundMessage(text: "Your day"), to: user.id, key: "digest:1:2026-12-06"))
        #expect(try await store.pendingCount() == 1)
        #expect(wakes.withLock { $0 } == 1)
        let queued = try #require(try await store.item(key: "digest:1:2026-12-06"))
        #expect(queued.delivery.chat == chat)

        try await store.deactivateHomeChat(chat)
        #expect(try await notifier.homeChat(of: user.id) == nil)
        #expect(try await !notifier.push(OutboundMessage(text: "Reconnect"), to: user.id, key: "google-reconnect:1:1"))
        #expect(try await store.pendingCount() == 1)
    }
}
