import Foundation
import GRDB
import StewardCore
@testable import StewardStorage
import Testing

/// Memory in a real SQLite file: full-text search ranks by bm25 and only ever returns the person's own
/// active facts, whatever they type; superseding is one write; everything survives a restart.
@Suite struct MemoryStorageTests {
    static func person(_ id: String, in store: SQLiteStore) async throws -> User.ID {
        try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: id), displayName: id,
                                   role: .owner, defaultSettings: UserSettings(timeZone: "UTC")).id
    }

    static func remember(_ text: String, _ user: User.ID, in store: SQLiteStore,
                         status: MemoryFact.Status = .active, supersedes: MemoryFact.ID? = nil) async throws -> MemoryFact {
        try await store.saveFact(NewFact(text: text, source: .owner, status: status, supersedes: supersedes),
                                 of: user, at: Date())
    }

    @Test func searchRanksTheBestMatchFirstAndFindsWordForms() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        _ = try await Self.remember("My dentist is Dr Brown on Elm Street", ada, in: store)
        let meetings = try await Self.remember("I prefer morning meetings, never meetings after lunch", ada, in: store)
        _ = try await Self.remember("My sister's birthday is 3 May", ada, in: store)
        _ = try await Self.remember("Lunch with the team is on Fridays", ada, in: store)

        let found = try await store.searchFacts("meeting after lunch", of: ada, limit: 5)
        #expect(found.first?.id == meetings.id)
        #expect(found.count == 2)  // the lunch fact matches one word; the dentist and the birthday none
        #expect(try await store.searchFacts("DENTIST", of: ada, limit: 5).map(\.text) == ["My dentist is Dr Brown on Elm Street"])
        #expect(try await store.searchFacts("café", of: ada, limit: 5).isEmpty)
        // Common words say nothing about a fact: alone they find nothing, beside a real word they don't widen it.
        #expect(try await store.searchFacts("is the my on", of: ada, limit: 5).isEmpty)
        #expect(try await store.searchFacts("who is my dentist?", of: ada, limit: 5).count == 1)
    }

    @Test func searchNeverReturnsAnotherPersonsOrAnInactiveFact() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        let bob = try await Self.person("2", in: store)
        let kept = try await Self.remember("Invoice numbers start with INV", ada, in: store)
        let forgotten = try await Self.remember("Invoice reviews on Mondays", ada, in: store)
        _ = try await Self.remember("Invoice to be forwarded", ada, in: store, status: .pending)
        _ = try await Self.remember("Invoice secrets of Bob", bob, in: store)
        #expect(try await store.setFactStatus(id: forgotten.id, of: ada, from: .active, to: .forgotten))

        #expect(try await store.searchFacts("invoice", of: ada, limit: 10).map(\.id) == [kept.id])
        #expect(try await store.searchFacts("invoice", of: bob, limit: 10).map(\.text) == ["Invoice secrets of Bob"])
        // Someone else's id cannot be read or changed.
        #expect(try await store.fact(id: kept.id, of: bob) == nil)
        #expect(try await store.setFactStatus(id: kept.id, of: bob, from: .active, to: .forgotten) == false)
        #expect(try await store.fact(id: kept.id, of: ada)?.status == .active)
        let listed = try await store.facts(of: ada, statuses: [.active, .pending], limit: 10)
        #expect(listed.map(\.text) == ["Invoice to be forwarded", "Invoice numbers start with INV"])
    }

    @Test(arguments: ["\"", "\"invoice", "invoice\"", "*", "inv*", "NEAR(invoice bob)", "invoice OR bob",
                      "-invoice", "text:invoice", "user_id:2", "^invoice", "AND", "()", "bob\" OR \"secrets",
                      "💸 invoice 🧾", "'; DROP TABLE facts; --", "\u{0}invoice", ""])
    func hostileQueriesDoNotThrowOrWidenTheSearch(query: String) async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        let bob = try await Self.person("2", in: store)
        let mine = try await Self.remember("Invoice numbers start with INV", ada, in: store)
        _ = try await Self.remember("Invoice secrets of Bob, near the text", bob, in: store)

        let found = try await store.searchFacts(query, of: ada, limit: 10)
        #expect(found.allSatisfy { $0.id == mine.id })
        #expect(try await store.facts(of: bob, statuses: [.active], limit: 10).count == 1)
    }

    @Test func longAndOddQueriesAreBoundedAndStillMatch() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        let fact = try await Self.remember("Parking is on level 3", ada, in: store)
        let long = "parking " + String(repeating: "x\"*(", count: 2_500)  // 10 KB of syntax noise
        #expect(try await store.searchFacts(long, of: ada, limit: 5).map(\.id) == [fact.id])
        let query = try #require(SQLiteStore.ftsQuery(String(repeating: "word ", count: 5_000) + "parking"))
        #expect(query == "\"word\" OR \"parking\"")  // a repeated word once
        let many = (0..<100).map { "w\($0)" }.joined(separator: " ")
        #expect(SQLiteStore.ftsQuery(many)?.components(separatedBy: " OR ").count == 32)
        #expect(SQLiteStore.ftsQuery(String(repeating: "a", count: 10_000)) == "\"" + String(repeating: "a", count: 64) + "\"")
        #expect(SQLiteStore.ftsQuery("  \"*-:() ") == nil)
    }

    @Test func supersedingIsOneWriteAndPendingReplacesOnlyWhenApproved() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        let bob = try await Self.person("2", in: store)
        let old = try await Self.remember("My office is room 12", ada, in: store)
        let new = try await Self.remember("My office is room 40", ada, in: store, supersedes: old.id)
        #expect(new.supersedes == old.id)
        #expect(try await store.fact(id: old.id, of: ada)?.status == .superseded)
        #expect(try await store.searchFacts("office", of: ada, limit: 5).map(\.id) == [new.id])

        // A pending fact waits; its Approve replaces the active one in the same write.
        let proposed = try await Self.remember("My office is room 7", ada, in: store, status: .pending, supersedes: new.id)
        #expect(try await store.fact(id: new.id, of: ada)?.status == .active)
        #expect(try await store.setFactStatus(id: proposed.id, of: ada, from: .pending, to: .active))
        #expect(try await store.fact(id: new.id, of: ada)?.status == .superseded)

        // Someone else's fact is never superseded by mine.
        let bobs = try await Self.remember("My office is room 99", bob, in: store)
        let mine = try await Self.remember("My office is room 8", ada, in: store, supersedes: bobs.id)
        #expect(mine.supersedes == nil)
        #expect(try await store.fact(id: bobs.id, of: bob)?.status == .active)
    }

    @Test func factsAndTheirIndexSurviveAReopenAndEmbeddingsRoundTrip() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        let fact = try await store.saveFact(
            NewFact(text: "The gate code is 4411", source: .mail, reference: "msg-1 · Welcome", status: .active,
                    embedding: [0.5, -1.25, 3]), of: ada, at: Date(timeIntervalSince1970: 1_800_000_000))

        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        let found = try #require(try await reopened.searchFacts("gate", of: ada, limit: 5).first)
        #expect(found == fact)
        #expect(found.reference == "msg-1 · Welcome" && found.source == .mail)
        #expect(found.createdAt == Date(timeIntervalSince1970: 1_800_000_000))
        let vectors = try await reopened.factEmbeddings(of: ada)
        #expect(vectors.count == 1 && vectors.first?.id == fact.id && vectors.first?.vector == [0.5, -1.25, 3])
        #expect(try reopened.appliedMigrations().contains("v17-hmem-memory-index-by-person"))
    }

    @Test func mailRuleTapsAreReadFromTheExecutedAlertButtons() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ada = try await Self.person("1", in: store)
        let bob = try await Self.person("2", in: store)
        func tap(_ id: String, _ tool: String, _ sender: String, _ user: User.ID, execute: Bool, at: Date) async throws {
            let request = ApprovalRequest(id: id, userID: user, toolName: tool, payload: Data("{\"sender\":\"\(sender)\"}".utf8),
                                          payloadHash: "h-\(id)", summary: "Alert", createdAt: at,
                                          expiresAt: at.addingTimeInterval(3600), cardChat: dm)
            _ = try await store.insert(request)
            guard execute else { return }
            #expect(try await store.transition(id: id, from: .pending, to: .approved, at: at, outcome: nil))
            #expect(try await store.transition(id: id, from: .approved, to: .executed, at: at, outcome: "ok"))
        }
        let day = Date(timeIntervalSince1970: 1_796_000_000)
        try await tap("aaaaaaaaaaa1", "mail_not_urgent_sender", "news@shop.example", ada, execute: true, at: day)
        try await tap("aaaaaaaaaaa2", "mail_mute_sender", "@spam.example", ada, execute: true, at: day + 60)
        try await tap("aaaaaaaaaaa3", "mail_mute_sender", "boss@work.example", ada, execute: false, at: day)  // never tapped
        try await tap("aaaaaaaaaaa4", "mail_mute_sender", "x@bob.example", bob, execute: true, at: day)
        try await tap("aaaaaaaaaaa5", "calendar_create_event", "not a rule", ada, execute: true, at: day)
        #expect(try await store.mailRuleTaps(of: ada) == [
            MailRuleTap(sender: "news@shop.example", rule: .notUrgent, at: day),
            MailRuleTap(sender: "@spam.example", rule: .muted, at: day + 60),
        ])
    }
}
