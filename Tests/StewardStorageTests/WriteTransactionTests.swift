import Foundation
import GRDB
@testable import StewardStorage
import Testing

/// The store's write transactions (`InPlaceDatabase.write`, with its `BEGIN` and `COMMIT` prepared once):
/// all or nothing, and the connection usable again after a failure.
@Suite struct WriteTransactionTests {
    struct Refused: Error {}

    private static func count(_ store: SQLiteStore, key: String) throws -> Int {
        try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM state WHERE key = ?", arguments: [key]) ?? 0 }
    }

    private static func insert(_ key: String, in db: Database) throws {
        try db.execute(sql: "INSERT INTO state (key, value) VALUES (?, 'v')", arguments: [key])
    }

    @Test func aWriteThatThrowsLeavesNothingAndTheNextOneCommits() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        await #expect(throws: Refused.self) {
            try await store.pool.write { db in
                try Self.insert("first", in: db)
                throw Refused()
            }
        }
        #expect(try Self.count(store, key: "first") == 0)
        try await store.pool.write { db in try Self.insert("second", in: db) }
        #expect(try Self.count(store, key: "second") == 1)
    }

    @Test func aFailingStatementRollsBackTheStatementsBeforeIt() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.pool.write { db in try Self.insert("taken", in: db) }
        await #expect(throws: DatabaseError.self) {
            try await store.pool.write { db in
                try Self.insert("fresh", in: db)
                try Self.insert("taken", in: db)  // the primary key is taken
            }
        }
        #expect(try Self.count(store, key: "fresh") == 0)
        // Committed for another process too: a second store on the same file reads it.
        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        try await store.pool.write { db in try Self.insert("after", in: db) }
        #expect(try Self.count(reopened, key: "after") == 1)
        #expect(try Self.count(reopened, key: "fresh") == 0)
    }
}
