import Foundation
import GRDB
import StewardCore

extension SQLiteStore: OutboxRepository {
    public func enqueue(_ deliveries: [(key: String, delivery: Delivery)], at date: Date) async throws {
        let rows = try deliveries.map { try OutboxRow(key: $0.key, delivery: $0.delivery) }
        try await pool.write { db in try Self.insertOutbox(rows, at: date, in: db) }
    }

    /// A delivery encoded outside the write transaction, so the writer holds its lock only for SQL.
    struct OutboxRow {
        let key, platform, delivery, queue: String

        init(key: String, delivery: Delivery) throws {
            self.key = key
            platform = delivery.platform.rawValue
            self.delivery = String(decoding: try JSONEncoder.storage.encode(delivery), as: UTF8.self)
            queue = delivery.queue(key: key)
        }
    }

    static func insertOutbox(_ rows: [OutboxRow], at date: Date, in db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO outbox (key, platform, delivery, queue, state, not_before, created_at)
            VALUES (?, ?, ?, ?, 'pending', ?, ?)
            """)
        for row in rows {
            try insert.execute(arguments: [row.key, row.platform, row.delivery, row.queue,
                                           date.storageValue, date.storageValue])
        }
    }

    public func due(platform: Platform, at date: Date, limit: Int) async throws -> [OutboxItem] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM outbox WHERE platform = ? AND state = 'pending' AND not_before <= ?
                ORDER BY id LIMIT ?
                """, arguments: [platform.rawValue, date.storageValue, limit]).map(Self.outboxItem(from:))
        }
    }

    public func pending(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> [OutboxItem] {
        let busyList = String(decoding: try JSONEncoder().encode(busy.sorted()), as: UTF8.self)
        return try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM outbox WHERE platform = ? AND state = 'pending'
                AND queue NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?
                """), arguments: [platform.rawValue, busyList, limit]).map(Self.outboxItem(from:))
        }
    }

    public func markSent(_ sent: [SentDelivery]) async throws {
        let now = Date().storageValue
        try await pool.write { db in
            let update = try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'sent', platform_message_id = ?, attempts = attempts + 1, sent_at = ?
                WHERE id = ?
                """)
            for item in sent { try update.execute(arguments: [item.platformMessageID, now, item.id]) }
        }
    }

    public func markFailed(id: Int64, error: String, retryAt: Date?) async throws {
        try await pool.write { db in
            if let retryAt {
                try db.execute(sql: """
                    UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ? WHERE id = ?
                    """, arguments: [error, retryAt.storageValue, id])
            } else {
                try db.execute(sql: "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                               arguments: [error, id])
            }
        }
    }

    public func item(key: String) async throws -> OutboxItem? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE key = ?", arguments: [key]).map(Self.outboxItem(from:))
        }
    }

    public func pendingCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0
        }
    }

    private static func outboxItem(from row: Row) throws -> OutboxItem {
        let deliveryText: String = row["delivery"]
        return OutboxItem(
            id: row["id"], key: row["key"],
            delivery: try JSONDecoder.storage.decode(Delivery.self, from: Data(deliveryText.utf8)),
            state: OutboxItem.State(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
            notBefore: Date(storageValue: row["not_before"]), platformMessageID: row["platform_message_id"],
            lastError: row["last_error"])
    }
}

extension SQLiteStore: InboundRepository {
    public func store(_ event: InboundEvent) async throws -> Bool {
        let text = try String(decoding: JSONEncoder.storage.encode(event), as: UTF8.self)
        return try await pool.write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO inbound_events (id, event, received_at) VALUES (?, ?, ?)")
                .execute(arguments: [event.id, text, event.receivedAt.storageValue])
            return db.changesCount > 0
        }
    }

    /// Stores a batch in one transaction; returns the events that were new.
    public func storeBatch(_ events: [InboundEvent]) async throws -> [InboundEvent] {
        let encoded = try events.map { ($0, String(decoding: try JSONEncoder.storage.encode($0), as: UTF8.self)) }
        return try await pool.write { db in
            var fresh: [InboundEvent] = []
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO inbound_events (id, event, received_at) VALUES (?, ?, ?)")
            for (event, text) in encoded {
                try insert.execute(arguments: [event.id, text, event.receivedAt.storageValue])
                if db.changesCount > 0 { fresh.append(event) }
            }
            return fresh
        }
    }

    public func unprocessed(limit: Int) async throws -> [InboundEvent] {
        try await pool.read { db in
            try String.fetchAll(db.cachedStatement(sql: """
                SELECT event FROM inbound_events WHERE processed_at IS NULL ORDER BY rowid LIMIT ?
                """), arguments: [limit]).map { try JSONDecoder.storage.decode(InboundEvent.self, from: Data($0.utf8)) }
        }
    }

    public func complete(_ completions: [InboundCompletion], at date: Date) async throws {
        let rows = try completions.flatMap { completion in
            try completion.deliveries.map { try OutboxRow(key: $0.key, delivery: $0.delivery) }
        }
        try await pool.write { db in
            try Self.insertOutbox(rows, at: date, in: db)
            let markDone = try db.cachedStatement(sql: "UPDATE inbound_events SET processed_at = ? WHERE id = ?")
            for completion in completions {
                try markDone.execute(arguments: [date.storageValue, completion.eventID])
            }
        }
    }

    /// Drops processed events and sent deliveries older than `date`; ids newer than that still dedupe.
    public func prune(before date: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM inbound_events WHERE processed_at IS NOT NULL AND processed_at < ?",
                           arguments: [date.storageValue])
            try db.execute(sql: "DELETE FROM outbox WHERE state != 'pending' AND created_at < ?",
                           arguments: [date.storageValue])
        }
    }
}

extension SQLiteStore: StateRepository {
    public func value(_ key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM state WHERE key = ?"), arguments: [key])
        }
    }

    public func setValue(_ value: String, for key: String) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .execute(arguments: [key, value])
        }
    }
}
