import Foundation
import GRDB
import StewardCore

extension SQLiteStore: FollowUpRepository {
    public func insert(_ followUp: FollowUp) async throws -> FollowUp {
        let thread = try followUp.thread.map { String(decoding: try JSONEncoder.storage.encode($0), as: UTF8.self) }
        return try await pool.write { db in
            // The same request handled again (a restart before it was marked done) finds the first one.
            try db.execute(sql: """
                INSERT OR IGNORE INTO follow_ups (id, user_id, kind, request, task, due_at, time_zone, local_due, thread,
                    status, created_at, fired_at, round, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL)
                """, arguments: [followUp.id, followUp.userID, followUp.kind.rawValue, followUp.request, followUp.task,
                                 followUp.dueAt.storageValue, followUp.timeZone, followUp.localDue, thread,
                                 followUp.status.rawValue, followUp.createdAt.storageValue])
            return try Row.fetchOne(db, sql: "SELECT * FROM follow_ups WHERE id = ?", arguments: [followUp.id])
                .map(Self.followUp(from:)) ?? followUp
        }
    }

    public func followUp(id: String) async throws -> FollowUp? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM follow_ups WHERE id = ?", arguments: [id]).map(Self.followUp(from:))
        }
    }

    public func waiting(of user: User.ID) async throws -> [FollowUp] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM follow_ups WHERE user_id = ? AND status IN ('waiting', 'snoozed') ORDER BY due_at, id
                """, arguments: [user]).map(Self.followUp(from:))
        }
    }

    public func settled(of user: User.ID, since date: Date) async throws -> [FollowUp] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM follow_ups WHERE user_id = ? AND status IN ('done', 'cancelled', 'fired')
                AND COALESCE(settled_at, fired_at) >= ? ORDER BY COALESCE(settled_at, fired_at) DESC, id
                """, arguments: [user, date.storageValue]).map(Self.followUp(from:))
        }
    }

    public func due(at date: Date, limit: Int) async throws -> [FollowUp] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM follow_ups WHERE status IN ('waiting', 'snoozed') AND due_at <= ? ORDER BY due_at, id LIMIT ?
                """, arguments: [date.storageValue, limit]).map(Self.followUp(from:))
        }
    }

    public func fire(_ id: String, push: KeyedDelivery, at date: Date) async throws -> Bool {
        let row = try OutboxRow(push)
        let queuedAt = Date()
        let inserted = try await pool.write { db -> [(OutboxCacheKey, Delivery)]? in
            // One transaction: the trigger is marked fired exactly when its push is queued, so a crash
            // leaves either both (sent later by the outbox) or neither (fired on the next run).
            try db.execute(sql: """
                UPDATE follow_ups SET status = 'fired', fired_at = ? WHERE id = ? AND status IN ('waiting', 'snoozed')
                """, arguments: [date.storageValue, id])
            guard db.changesCount == 1 else { return nil }
            return try Self.insertOutbox([row], at: queuedAt, in: db)
        }
        guard let inserted else { return false }
        didQueue(inserted, at: queuedAt)
        return true
    }

    public func transition(_ id: String, from: Set<FollowUp.Status>, to: FollowUp.Status, dueAt: Date?, outcome: String?,
                           at date: Date) async throws -> Bool {
        let allowed = String(decoding: try JSONEncoder().encode(from.map(\.rawValue).sorted()), as: UTF8.self)
        let settles = to == .done || to == .cancelled
        return try await pool.write { db in
            // A snooze is a new round: its push gets a key of its own.
            try db.execute(sql: """
                UPDATE follow_ups SET status = ?, due_at = COALESCE(?, due_at), outcome = COALESCE(?, outcome),
                    settled_at = CASE WHEN ? THEN ? ELSE settled_at END,
                    round = round + CASE WHEN ? = 'snoozed' THEN 1 ELSE 0 END
                WHERE id = ? AND status IN (SELECT value FROM json_each(?))
                """, arguments: [to.rawValue, dueAt?.storageValue, outcome, settles, date.storageValue, to.rawValue, id,
                                 allowed])
            return db.changesCount == 1
        }
    }

    static func followUp(from row: Row) throws -> FollowUp {
        let threadText: String? = row["thread"]
        let thread = try threadText.map { try JSONDecoder.storage.decode(FollowUpThread.self, from: Data($0.utf8)) }
        let kindText: String = row["kind"], statusText: String = row["status"]
        guard let kind = FollowUp.Kind(rawValue: kindText), let status = FollowUp.Status(rawValue: statusText) else {
            throw StorageError.notFound("the kind or status of follow-up \(row["id"] as String? ?? "?")")
        }
        let firedAt: Double? = row["fired_at"]
        return FollowUp(id: row["id"], userID: row["user_id"], kind: kind, request: row["request"], task: row["task"],
                        dueAt: Date(storageValue: row["due_at"]), timeZone: row["time_zone"], localDue: row["local_due"],
                        thread: thread, status: status, createdAt: Date(storageValue: row["created_at"]),
                        firedAt: firedAt.map(Date.init(storageValue:)), round: row["round"], outcome: row["outcome"])
    }
}
