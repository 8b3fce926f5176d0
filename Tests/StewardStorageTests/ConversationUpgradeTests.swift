import Foundation
import GRDB
import Testing
@testable import StewardStorage

/// Conversation windows kept per chat alone (before they were kept per person) may mix a group's members:
/// an upgrade drops them, and keeps the windows stored under the per-person keys.
@Suite struct ConversationUpgradeTests {
    @Test func anUpgradeDropsWindowsKeptPerChatAndKeepsPerPersonOnes() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.appendConversation([(role: "user", content: "Alice's question in the group"),
                                            (role: "assistant", content: "Alice's answer")],
                                           chatKey: "telegram:-1001", window: 6)
        try await store.appendConversation([(role: "user", content: "kept")], chatKey: "user:1|telegram:-1001", window: 6)
        // As a database written by the previous Steward looks: the migration not yet applied.
        try await store.pool.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-h5-conversation-per-person'")
        }
        let upgraded = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        #expect(try await upgraded.conversation(chatKey: "telegram:-1001").isEmpty)
        #expect(try await upgraded.conversation(chatKey: "user:1|telegram:-1001").map(\.content) == ["kept"])
    }
}
