import Foundation
import GRDB
import StewardCore

extension SQLiteStore: TriageLog {
    public func record(_ mail: TriagedMail) async throws -> Bool {
        let text = String(decoding: try JSONEncoder.storage.encode(mail), as: UTF8.self)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO mail_triage (account_id, message_id, mail, category, received_at, alerted_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [mail.accountID, mail.messageID, text, mail.category.rawValue,
                                 mail.receivedAt.storageValue, mail.alertedAt?.storageValue])
            return db.changesCount > 0
        }
    }

    public func markAlerted(accountID: Int64, messageID: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE mail_triage SET alerted_at = ? WHERE account_id = ? AND message_id = ?",
                           arguments: [date.storageValue, accountID, messageID])
        }
    }

    public func unalertedUrgent(accountID: Int64) async throws -> [TriagedMail] {
        try await mails(sql: """
            SELECT mail, alerted_at FROM mail_triage WHERE account_id = ? AND category = 'urgent' AND alerted_at IS NULL
            ORDER BY received_at
            """, arguments: [accountID])
    }

    public func triagedMail(accountIDs: [Int64], since date: Date) async throws -> [TriagedMail] {
        let ids = String(decoding: try JSONEncoder().encode(accountIDs), as: UTF8.self)
        return try await mails(sql: """
            SELECT mail, alerted_at FROM mail_triage
            WHERE account_id IN (SELECT value FROM json_each(?)) AND received_at >= ? ORDER BY received_at DESC
            """, arguments: [ids, date.storageValue])
    }

    private func mails(sql: String, arguments: StatementArguments) async throws -> [TriagedMail] {
        // Plain values out of the read: a `Row` must not outlive its statement, and decoding outside the
        // read keeps the reader connection free sooner (every read runs in place, see `InPlaceDatabase`).
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (text: row["mail"] as String, alertedAt: row["alerted_at"] as Double?)
            }
        }
        return try rows.map { row in
            var mail = try JSONDecoder.storage.decode(TriagedMail.self, from: Data(row.text.utf8))
            mail.alertedAt = row.alertedAt.map(Date.init(storageValue:))
            return mail
        }
    }
}
