import Foundation
import GRDB
import StewardCore

extension SQLiteStore: CalendarCacheRepository {
    public func replaceEvents(_ events: [CalendarEvent], account: Int64, calendar: String, syncToken: String?,
                              at date: Date) async throws {
        let rows = try Self.encoded(events)
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM calendar_events WHERE account_id = ? AND calendar_id = ?",
                           arguments: [account, calendar])
            try Self.upsert(rows, account: account, calendar: calendar, in: db)
            try Self.recordSuccess(account: account, calendar: calendar, syncToken: syncToken, at: date, in: db)
        }
    }

    public func applyChanges(_ changed: [CalendarEvent], removed: [String], account: Int64, calendar: String,
                             syncToken: String?, at date: Date) async throws {
        let rows = try Self.encoded(changed)
        try await pool.write { db in
            let delete = try db.cachedStatement(sql: """
                DELETE FROM calendar_events WHERE account_id = ? AND calendar_id = ? AND event_id = ?
                """)
            for id in removed { try delete.execute(arguments: [account, calendar, id]) }
            try Self.upsert(rows, account: account, calendar: calendar, in: db)
            try Self.recordSuccess(account: account, calendar: calendar, syncToken: syncToken, at: date, in: db)
        }
    }

    public func storeWrittenEvents(_ changed: [CalendarEvent], removed: [String], account: Int64,
                                   calendar: String) async throws {
        let rows = try Self.encoded(changed)
        try await pool.write { db in
            let delete = try db.cachedStatement(sql: """
                DELETE FROM calendar_events WHERE account_id = ? AND calendar_id = ? AND event_id = ?
                """)
            for id in removed { try delete.execute(arguments: [account, calendar, id]) }
            try Self.upsert(rows, account: account, calendar: calendar, in: db)
        }
    }

    public func cachedEvents(account: Int64) async throws -> [CalendarEvent] {
        let texts = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT event FROM calendar_events WHERE account_id = ?", arguments: [account])
        }
        return try texts.map { try JSONDecoder.storage.decode(CalendarEvent.self, from: Data($0.utf8)) }
    }

    public func syncStates(account: Int64) async throws -> [CalendarSyncState] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM calendar_sync WHERE account_id = ? ORDER BY calendar_id",
                             arguments: [account]).map { row in
                CalendarSyncState(accountID: row["account_id"], calendarID: row["calendar_id"],
                                  syncToken: row["sync_token"],
                                  syncedAt: (row["synced_at"] as Double?).map(Date.init(storageValue:)),
                                  lastError: row["last_error"])
            }
        }
    }

    public func recordSyncFailure(_ error: String, account: Int64, calendar: String) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO calendar_sync (account_id, calendar_id, last_error) VALUES (?, ?, ?)
                ON CONFLICT(account_id, calendar_id) DO UPDATE SET last_error = excluded.last_error
                """, arguments: [account, calendar, error])
        }
    }

    public func forgetCalendars(account: Int64, except keep: Set<String>) async throws {
        let kept = String(decoding: try JSONEncoder().encode(keep.sorted()), as: UTF8.self)
        try await pool.write { db in
            for table in ["calendar_events", "calendar_sync"] {
                try db.execute(sql: """
                    DELETE FROM \(table) WHERE account_id = ? AND calendar_id NOT IN (SELECT value FROM json_each(?))
                    """, arguments: [account, kept])
            }
        }
    }

    private static func encoded(_ events: [CalendarEvent]) throws -> [(String, String)] {
        try events.map { ($0.id, String(decoding: try JSONEncoder.storage.encode($0), as: UTF8.self)) }
    }

    private static func upsert(_ rows: [(String, String)], account: Int64, calendar: String, in db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO calendar_events (account_id, calendar_id, event_id, event) VALUES (?, ?, ?, ?)
            """)
        for (id, text) in rows { try insert.execute(arguments: [account, calendar, id, text]) }
    }

    private static func recordSuccess(account: Int64, calendar: String, syncToken: String?, at date: Date,
                                      in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO calendar_sync (account_id, calendar_id, sync_token, synced_at, last_error)
            VALUES (?, ?, ?, ?, NULL)
            ON CONFLICT(account_id, calendar_id) DO UPDATE SET sync_token = excluded.sync_token,
                synced_at = excluded.synced_at, last_error = NULL
            """, arguments: [account, calendar, syncToken, date.storageValue])
    }
}

extension SQLiteStore: AuthorizationRepository {
    public func savePendingAuthorization(_ authorization: PendingAuthorization) async throws {
        // It holds the PKCE verifier: sealed like tokens (connecting Google needs the key anyway).
        guard let secrets else { throw StorageError.noSecretKey }
        let sealed = try secrets.seal(try JSONEncoder.storage.encode(authorization))
        try await pool.write { db in
            // Expired attempts are dropped as new ones come in; nobody can use them anyway.
            try db.execute(sql: "DELETE FROM pending_authorizations WHERE expires_at <= ?",
                           arguments: [authorization.createdAt.storageValue])
            try db.execute(sql: """
                INSERT INTO pending_authorizations (state, user_id, authorization, expires_at) VALUES (?, ?, ?, ?)
                """, arguments: [authorization.state, authorization.userID, sealed, authorization.expiresAt.storageValue])
        }
    }

    public func takePendingAuthorization(state: String, at date: Date) async throws -> PendingAuthorization? {
        let stored = try await pool.write { db -> DatabaseValue? in
            let row = try Row.fetchOne(db, sql: "SELECT authorization, expires_at FROM pending_authorizations WHERE state = ?",
                                       arguments: [state])
            guard let row else { return nil }
            try db.execute(sql: "DELETE FROM pending_authorizations WHERE state = ?", arguments: [state])
            let expiresAt: Double = row["expires_at"]
            return expiresAt > date.storageValue ? row["authorization"] : nil
        }
        switch stored?.storage {
        case .blob(let sealed):
            guard let secrets else { throw StorageError.noSecretKey }
            return try JSONDecoder.storage.decode(PendingAuthorization.self, from: try secrets.open(sealed))
        case .string(let text):  // written in the clear by an earlier version, within its 10 minutes
            return try JSONDecoder.storage.decode(PendingAuthorization.self, from: Data(text.utf8))
        default:
            return nil
        }
    }
}
