import Foundation
import GRDB
import StewardCore
@testable import StewardStorage
import Testing

@Suite struct SecretsAtRestTests {
    static let key = Data(repeating: 3, count: 32)
    static let calendarURL = "https://calendar.example.com/ical/ada/private-7f3a9c2e11d04b5a/basic.ics"

    /// Everything in the database file, as text: what someone who copies the file can read.
    func fileText(_ directory: URL) throws -> String {
        var text = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    @Test func aCalendarURLIsSealedOnDiskAndReadBackWhole() async throws {
        let (store, directory) = try temporaryStore(secrets: try SecretBox(keyData: Self.key))
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        let added = try await store.addAccount(userID: user.id, kind: "ics", label: "Team", options: ["url": Self.calendarURL],
                                               secret: nil, at: Date())
        #expect(added.options["url"] == Self.calendarURL)
        #expect(try await store.accounts(of: user.id).first?.options["url"] == Self.calendarURL)
        #expect(!(try fileText(directory)).contains("private-7f3a9c2e11d04b5a"))
        #expect(try await store.plaintextSecrets().isEmpty)
    }

    @Test func withoutAKeyACalendarURLIsRefusedNotStoredInTheClear() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        await #expect(throws: StorageError.noSecretKey) {
            _ = try await store.addAccount(userID: user.id, kind: "ics", label: "Team", options: ["url": Self.calendarURL],
                                           secret: nil, at: Date())
        }
        #expect(try await store.accounts(of: user.id).isEmpty)
    }

    @Test func thePKCEVerifierOfAPendingLinkIsSealed() async throws {
        let (store, directory) = try temporaryStore(secrets: try SecretBox(keyData: Self.key))
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        let now = Date()
        try await store.savePendingAuthorization(PendingAuthorization(
            state: "st-1", userID: user.id, provider: "google", codeVerifier: "verifier-4b1d9e0c77aa", scopes: ["calendar"],
            chat: dm, createdAt: now, expiresAt: now.addingTimeInterval(600)))
        #expect(!(try fileText(directory)).contains("verifier-4b1d9e0c77aa"))
        #expect(try await store.takePendingAuthorization(state: "st-1", at: now)?.codeVerifier == "verifier-4b1d9e0c77aa")
    }

    /// What an older version wrote in the clear is what `doctor` points at, by table and kind, never by value.
    @Test func doctorsScanFindsSecretsStoredInTheClear() async throws {
        let (store, directory) = try temporaryStore(secrets: try SecretBox(keyData: Self.key))
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("steward.sqlite").path)
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO accounts (user_id, kind, label, options, status, created_at)
                VALUES (?, 'ics', 'Old', '{"url":"https:\\/\\/cal.example.com\\/a.ics?token=abcdef123456"}', 'ok', 0)
                """, arguments: [user.id])
            try db.execute(sql: "INSERT INTO state (key, value) VALUES ('leak', 'xoxb-1234567890-abcdefghij')")
        }
        let found = try await store.plaintextSecrets()
        #expect(found.contains { $0.hasPrefix("accounts.options") && $0.hasSuffix("a calendar URL") })
        #expect(found.contains { $0.hasPrefix("state.value") && $0.hasSuffix("a Slack token") })
        #expect(!found.joined().contains("abcdef123456") && !found.joined().contains("xoxb-1234"))
    }

    @Test func strangersGetAtMostTwentyRefusalsAMinuteAndAreForgottenAfterThirtyDays() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = Date()
        var answered = 0
        for number in 1...50 where try await store.recordRefusal(
            of: ChatIdentity(platform: .telegram, userID: "\(number)"), at: start) { answered += 1 }
        #expect(answered == SQLiteStore.refusalsPerMinute)
        // The same stranger is never answered twice; a new one is, once the minute has passed.
        #expect(try await store.recordRefusal(of: ChatIdentity(platform: .telegram, userID: "1"), at: start + 61) == false)
        #expect(try await store.recordRefusal(of: ChatIdentity(platform: .telegram, userID: "30"), at: start + 61))
        try await store.pruneRefusals(before: start + 31 * 86_400)
        #expect(try await store.recordRefusal(of: ChatIdentity(platform: .telegram, userID: "1"), at: start + 31 * 86_400))
    }
}
