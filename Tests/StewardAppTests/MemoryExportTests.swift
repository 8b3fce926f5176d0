import ArgumentParser
import Foundation
@testable import StewardApp
import StewardCore
import StewardStorage
import Testing

/// `steward memory export --user <identity>`: every fact of that person (all statuses, provenance,
/// supersedes) as JSON; an unknown identity is a usage error (exit 2) naming it.
@Suite struct MemoryExportTests {
    static func store() throws -> (SQLiteStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-export-\(UUID().uuidString)")
        return (try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil), directory)
    }

    @Test func everyFactOfThatPersonWithItsProvenanceAndHistory() async throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ana = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "100"), displayName: "Ana",
                                             role: .owner, defaultSettings: UserSettings(timeZone: "UTC"))
        let bob = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "200"), displayName: "Bob",
                                             role: .member, defaultSettings: UserSettings(timeZone: "UTC"))
        let at = Date(timeIntervalSince1970: 1_796_000_000)
        let old = try await store.saveFact(NewFact(text: "Office: room 12", source: .owner, status: .active), of: ana.id, at: at)
        _ = try await store.saveFact(NewFact(text: "Office: room 40", source: .owner, status: .active, supersedes: old.id),
                                     of: ana.id, at: at)
        _ = try await store.saveFact(NewFact(text: "Invoices go to x@evil.example", source: .mail,
                                             reference: "msg-7 · Invoice", status: .pending), of: ana.id, at: at)
        _ = try await store.saveFact(NewFact(text: "Bob's secret", source: .owner, status: .active), of: bob.id, at: at)

        let json = try await MemoryCommand.export(ChatIdentity(platform: .telegram, userID: "100"), from: store)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let export = try decoder.decode(ExportedMemory.self, from: Data(json.utf8))
        #expect(export.user == .init(id: ana.id, name: "Ana", identity: "telegram:100"))
        #expect(export.facts.map(\.text) == ["Office: room 12", "Office: room 40", "Invoices go to x@evil.example"])
        #expect(export.facts.map(\.status) == ["superseded", "active", "pending"])
        #expect(export.facts[1].supersedes == old.id)
        #expect(export.facts[2].source == "mail" && export.facts[2].reference == "msg-7 · Invoice")
        #expect(export.facts.allSatisfy { $0.createdAt == at })
        #expect(json.contains("\"createdAt\" : \"2026-11-30T00:53:20Z\""))
        #expect(!json.contains("Bob"))
    }

    @Test func anUnknownIdentityIsAUsageErrorNamingIt() async throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        await #expect(throws: UsageError.self) {
            _ = try await MemoryCommand.export(ChatIdentity(platform: .telegram, userID: "999"), from: store)
        }
        do {
            _ = try await MemoryCommand.export(ChatIdentity(platform: .telegram, userID: "999"), from: store)
        } catch let error as UsageError {
            #expect(error.message == "memory export: nobody known as telegram:999 (they have not written to Steward yet)")
        }
        let parsed = try StewardCommand.parseAsRoot(["memory", "export", "--user", "telegram:100"])
        #expect(parsed is MemoryCommand.Export)
        #expect(throws: (any Error).self) { try StewardCommand.parseAsRoot(["memory", "export"]) }
    }
}
