import Foundation
import StewardCore
@testable import StewardStorage
import Testing

/// Linking in a real SQLite file: joining an identity whose old person had things moves every one of them
/// (accounts, facts and their search, approvals, the day's token budget summed, conversation windows) in one
/// write and deletes the empty person; a code works once; unlinking leaves the data with the person.
@Suite struct IdentityLinkStorageTests {
    static let telegram = ChatIdentity(platform: .telegram, userID: "1")
    static let slack = ChatIdentity(platform: .slack, userID: "U1")
    static let limit = LinkAttemptLimit(failures: 5, window: 600)

    static func person(_ identity: ChatIdentity, in store: SQLiteStore) async throws -> User.ID {
        try await store.ensureUser(identity: identity, displayName: identity.description, role: .owner,
                                   defaultSettings: UserSettings(timeZone: "UTC")).id
    }

    @Test func joiningMovesThePersonsDataAndTheCodeWorksOnce() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ana = try await Self.person(Self.telegram, in: store)
        let other = try await Self.person(Self.slack, in: store)
        let now = Date()
        _ = try await store.addAccount(userID: other, kind: "ics", label: "Slack's", options: [:], secret: nil, at: now)
        _ = try await store.saveFact(NewFact(text: "My dentist is Dr Brown", source: .owner, status: .active), of: other, at: now)
        try await store.addModelTokens(100, userKey: String(ana), day: "2026-12-06")
        try await store.addModelTokens(50, userKey: String(other), day: "2026-12-06")
        try await store.appendConversation([(role: "user", content: "hi")], chatKey: "user:\(other)|slack:D1", window: 10)

        let dm = ChatRef(platform: .telegram, chatID: "1", isPrivate: true)
        try await store.issueLinkCode(hash: "h1", for: ana, chat: dm, at: now, expiresAt: now.addingTimeInterval(600))
        let outcome = try await store.redeemLinkCode(hash: "h1", by: Self.slack, displayName: "Ana", at: now, limit: Self.limit)
        #expect(outcome == .linked(person: ana, issuedIn: dm, movedFrom: other))
        #expect(try await store.user(for: Self.slack)?.id == ana)
        #expect(try await store.accounts(of: ana).map(\.label) == ["Slack's"])
        #expect(try await store.searchFacts("dentist", of: ana, limit: 5).count == 1)
        #expect(try await store.modelTokens(userKey: String(ana), day: "2026-12-06") == 150)
        #expect(try await store.conversation(chatKey: "user:\(ana)|slack:D1").map(\.content) == ["hi"])
        #expect(try await store.allUsers().map(\.id) == [ana])
        #expect(try await store.redeemLinkCode(hash: "h1", by: ChatIdentity(platform: .slack, userID: "U2"),
                                              displayName: "x", at: now, limit: Self.limit) == .used)

        // Unlinked, the identity is a new, empty person; the account and the fact stay with Ana.
        let alone = try #require(try await store.unlink(Self.slack, from: ana, settings: UserSettings(timeZone: "UTC"), at: now))
        #expect(alone != ana)
        #expect(try await store.accounts(of: alone).isEmpty)
        #expect(try await store.accounts(of: ana).count == 1)
        #expect(try await store.unlink(Self.telegram, from: ana, settings: UserSettings(timeZone: "UTC"), at: now) == nil)
        // Reopened, the file still knows who is who.
        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        #expect(try await reopened.identities(of: ana).map(\.identity) == [Self.telegram])
    }
}
