import Foundation
import GRDB
import StewardCore
import StewardStorage
import Testing

/// The one-read sender profile and the decoded-value caches behind it: what an answer sees must always be
/// what the file holds, whoever wrote it.
@Suite struct SenderProfileTests {
    @Test func oneReadGivesTheUserTheirHomeChatAndTheirSettings() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await store.profile(for: alice) == nil, "a stranger has no profile")

        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        var profile = try #require(try await store.profile(for: alice))
        #expect(profile.user == user)
        #expect(profile.homeChat == nil)
        #expect(profile.settings.timeZone == "Europe/Berlin")

        try await store.setHomeChat(dm, of: user.id)
        var settings = profile.settings
        settings.bufferMinutes = 5
        try await store.saveSettings(settings, of: user.id)
        profile = try #require(try await store.profile(for: alice))
        #expect(profile.homeChat == HomeChat(chat: dm, isActive: true))
        #expect(profile.settings.bufferMinutes == 5)

        try await store.deactivateHomeChat(dm)
        #expect(try await store.profile(for: alice)?.homeChat?.isActive == false)
    }

    @Test func settingsChangedByAnotherProcessAreSeenAtOnce() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        #expect(try await store.settings(of: user.id).timeZone == "Europe/Berlin")  // now cached

        // Another writer (a second process, `sqlite3`) changes the row behind this store's back.
        var changed = UserSettings(timeZone: "Asia/Tokyo")
        changed.bufferMinutes = 30
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(changed), as: UTF8.self)
        let other = try DatabaseQueue(path: directory.appendingPathComponent("steward.sqlite").path)
        try await other.write { db in try db.execute(sql: "UPDATE users SET settings = ? WHERE id = ?", arguments: [text, user.id]) }

        #expect(try await store.settings(of: user.id).timeZone == "Asia/Tokyo")
        #expect(try await store.profile(for: alice)?.settings.bufferMinutes == 30)
        #expect(try await store.allSettings(where: { $0.timeZone == "Asia/Tokyo" }).map(\.user) == [user.id])
        #expect(try await store.allSettings(where: { $0.timeZone == "Europe/Berlin" }).isEmpty)
    }

    @Test func aDeliveryReadBackIsTheSameWhetherCachedOrDecoded() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let card = Delivery.send(chat: dm, message: OutboundMessage(
            title: "Approve?", text: "Book <Dentist> & more?", buttons: [Button(title: "Approve", token: "s1:x:a")]))
        try await store.enqueue([("k1", card)], at: Date())
        // First read takes the value this process wrote; the second (still pending) decodes the row.
        let first = try await store.pending(platform: .telegram, limit: 10, excludingQueues: [])
        let second = try await store.pending(platform: .telegram, limit: 10, excludingQueues: [])
        #expect(first.map(\.delivery) == [card])
        #expect(second.map(\.delivery) == [card])
        #expect(first.map(\.id) == second.map(\.id))

        // The same for inbound events: stored, read once from the cache, then from the file.
        let event = InboundEvent(id: "telegram:update:9", sender: alice, chat: dm, kind: .message("<b>hi</b>"), receivedAt: Date(timeIntervalSince1970: 1_700_000_000))
        _ = try await store.storeBatch([event])
        #expect(try await store.unprocessed(limit: 10) == [event])
        #expect(try await store.unprocessed(limit: 10) == [event])
    }
}

/// The model's memory in the file: today's tokens add up and survive reopening; a chat keeps its last turns.
@Suite struct ModelMemoryTests {
    @Test func tokensAddUpPerUserAndDayAndSurviveReopening() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.addModelTokens(120, userKey: "1", day: "2026-11-21")
        try await store.addModelTokens(30, userKey: "1", day: "2026-11-21")
        try await store.addModelTokens(7, userKey: "1", day: "2026-11-22")
        try await store.addModelTokens(5, userKey: "2", day: "2026-11-21")
        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        #expect(try await reopened.modelTokens(userKey: "1", day: "2026-11-21") == 150)
        #expect(try await reopened.modelTokens(userKey: "1", day: "2026-11-22") == 7)
        #expect(try await reopened.modelTokens(userKey: "3", day: "2026-11-21") == 0)
    }

    @Test func aChatKeepsOnlyItsNewestTurns() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 1...5 {
            try await store.appendConversation([("user", "question \(index)"), ("assistant", "answer \(index)")],
                                               chatKey: "telegram:100", window: 4)
        }
        try await store.appendConversation([("user", "elsewhere")], chatKey: "slack:D1", window: 4)
        #expect(try await store.conversation(chatKey: "telegram:100").map(\.content)
                == ["question 4", "answer 4", "question 5", "answer 5"])
        #expect(try await store.conversation(chatKey: "slack:D1").map(\.role) == ["user"])
    }
}
