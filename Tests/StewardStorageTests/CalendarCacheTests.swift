import Foundation
import StewardCore
import StewardStorage
import Testing

/// The local copy of a remote calendar and the one-use authorizations behind `/connect`.
@Suite struct CalendarCacheTests {
    func event(_ id: String, _ title: String, at hour: Int) -> CalendarEvent {
        let start = Date(timeIntervalSince1970: 1_795_000_000 + Double(hour) * 3600)
        return CalendarEvent(id: id, title: title, start: .dateTime(start, timeZone: "Europe/Berlin"),
                             end: .dateTime(start.addingTimeInterval(1800), timeZone: "Europe/Berlin"),
                             accountID: "google:1", calendarID: "primary")
    }

    func account(in store: SQLiteStore) async throws -> Account {
        let user = try await store.ensureUser(identity: alice, displayName: "A", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "UTC"))
        return try await store.addAccount(userID: user.id, kind: "google", label: "a@example.com", options: [:],
                                          secret: nil, at: Date())
    }

    @Test func fullThenIncrementalSyncKeepsExactlyTheServersEvents() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try await account(in: store).id
        let now = Date()
        try await store.replaceEvents([event("a", "Standup", at: 9), event("b", "Lunch", at: 12)], account: id,
                                      calendar: "primary", syncToken: "t1", at: now)
        try await store.applyChanges([event("b", "Lunch with Sam", at: 12), event("c", "Gym", at: 18)],
                                     removed: ["a"], account: id, calendar: "primary", syncToken: "t2", at: now)
        let titles = try await store.cachedEvents(account: id).map(\.title).sorted()
        #expect(titles == ["Gym", "Lunch with Sam"])
        let state = try #require(try await store.syncStates(account: id).first)
        #expect(state.syncToken == "t2" && state.lastError == nil)

        // A failed sync keeps the copy and the token, and says why.
        try await store.recordSyncFailure("Google unreachable", account: id, calendar: "primary")
        #expect(try await store.cachedEvents(account: id).count == 2)
        let failed = try #require(try await store.syncStates(account: id).first)
        #expect(failed.syncToken == "t2" && failed.lastError == "Google unreachable")

        // A full sync replaces everything; a calendar no longer listed is forgotten.
        try await store.replaceEvents([event("x", "Holiday", at: 0)], account: id, calendar: "family",
                                      syncToken: nil, at: now)
        try await store.forgetCalendars(account: id, except: ["family"])
        #expect(try await store.cachedEvents(account: id).map(\.title) == ["Holiday"])
        #expect(try await store.syncStates(account: id).map(\.calendarID) == ["family"])

        // Removing the account removes its copy.
        #expect(try await store.removeAccount(id: id))
        #expect(try await store.cachedEvents(account: id).isEmpty)
    }

    @Test func anAuthorizationLinkWorksOnceAndOnlyBeforeItExpires() async throws {
        let (store, directory) = try temporaryStore(secrets: try SecretBox(keyData: Data(repeating: 7, count: 32)))
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await account(in: store).userID
        let now = Date()
        func pending(_ state: String, expiresIn seconds: TimeInterval) -> PendingAuthorization {
            PendingAuthorization(state: state, userID: user, provider: "google", codeVerifier: "v-\(state)",
                                 scopes: ["calendar"], chat: dm, createdAt: now, expiresAt: now.addingTimeInterval(seconds))
        }
        try await store.savePendingAuthorization(pending("s1", expiresIn: 600))
        try await store.savePendingAuthorization(pending("s2", expiresIn: 600))
        #expect(try await store.takePendingAuthorization(state: "nope", at: now) == nil)
        #expect(try await store.takePendingAuthorization(state: "s1", at: now)?.codeVerifier == "v-s1")
        #expect(try await store.takePendingAuthorization(state: "s1", at: now) == nil)
        // Eleven minutes later the other link is dead.
        #expect(try await store.takePendingAuthorization(state: "s2", at: now.addingTimeInterval(660)) == nil)
    }
}
