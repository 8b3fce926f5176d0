import Foundation
import GRDB
import StewardCore

extension SQLiteStore: OutboxRepository {
    public func enqueue(_ deliveries: [(key: String, delivery: Delivery)], at date: Date) async throws {
        let rows = try deliveries.map { try OutboxRow(key: $0.key, delivery: $0.delivery) }
        let inserted = try await pool.write { db in try Self.insertOutbox(rows, at: date, in: db) }
        didQueue(inserted, at: date)
    }

    public func enqueue(_ deliveries: [KeyedDelivery], at date: Date) async throws {
        let rows = try deliveries.map { try OutboxRow($0) }
        let inserted = try await pool.write { db in try Self.insertOutbox(rows, at: date, in: db) }
        didQueue(inserted, at: date)
    }

    /// A delivery encoded outside the write transaction, so the writer holds its lock only for SQL.
    struct OutboxRow {
        let key, platform, delivery, queue: String
        let value: Delivery
        /// The approval card whose message id is recorded when this is sent.
        let afterSendCard: String?

        init(_ keyed: KeyedDelivery) throws {
            try self.init(key: keyed.key, delivery: keyed.delivery, afterSendCard: keyed.afterSend.map {
                switch $0 { case .recordCardMessage(let cardID): cardID }
            })
        }

        init(key: String, delivery: Delivery, afterSendCard: String? = nil) throws {
            self.afterSendCard = afterSendCard
            self.key = key
            value = delivery
            platform = delivery.platform.rawValue
            self.delivery = try StoredJSON.text(of: delivery)
            queue = delivery.queue(key: key)
        }
    }

    /// Inserts the rows (a key already stored is skipped); returns the new rows' ids and deliveries.
    @discardableResult
    static func insertOutbox(_ rows: [OutboxRow], at date: Date, in db: Database) throws -> [(OutboxCacheKey, Delivery)] {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO outbox (key, platform, delivery, queue, state, not_before, created_at, after_send_card)
            VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
            """)
        var inserted: [(OutboxCacheKey, Delivery)] = []
        for row in rows {
            try insert.execute(arguments: [row.key, row.platform, row.delivery, row.queue,
                                           date.storageValue, date.storageValue, row.afterSendCard])
            if db.changesCount > 0 { inserted.append((OutboxCacheKey(id: db.lastInsertedRowID, key: row.key), row.value)) }
        }
        return inserted
    }

    /// After the commit of rows just queued: their values are kept for the read that lists them, and the
    /// observer (the dispatcher) is told, so it can send them without that read.
    func didQueue(_ inserted: [(OutboxCacheKey, Delivery)], at date: Date) {
        guard !inserted.isEmpty else { return }
        for (row, delivery) in inserted { caches.outbox.put(delivery, for: row) }
        guard let observer = caches.queuedObserver.withLock({ $0 }) else { return }
        observer.call(inserted.map { row, delivery in
            OutboxItem(id: row.id, key: row.key, delivery: delivery, state: .pending, attempts: 0, notBefore: date,
                       platformMessageID: nil, lastError: nil)
        })
    }

    public func observeQueued(_ observer: @escaping @Sendable ([OutboxItem]) -> Void) -> Bool {
        caches.queuedObserver.withLock { $0 = QueuedObserver(call: observer) }
        return true
    }

    public func due(platform: Platform, at date: Date, limit: Int) async throws -> [OutboxItem] {
        try await pool.read { db in
            try Array(Row.fetchCursor(db, sql: """
                SELECT * FROM outbox WHERE platform = ? AND state = 'pending' AND not_before <= ?
                ORDER BY id LIMIT ?
                """, arguments: [platform.rawValue, date.storageValue, limit]).map(outboxItem(from:)))
        }
    }

    public func pending(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> [OutboxItem] {
        try await pendingPage(platform: platform, limit: limit, excludingQueues: busy).items
    }

    public func pendingPage(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> OutboxPage {
        // A JSON array for `json_each`, written directly: under a burst the set holds hundreds of chats, and
        // `JSONEncoder` with a sort took a third of this read's CPU (Benchmarks/README.md, "Sixth pass").
        var busyJSON = JSONObjectWriter(capacity: 2 + busy.count * 24)
        busyJSON.strings(busy)
        let busyList = String(decoding: busyJSON.bytes, as: UTF8.self)
        return try await pool.lookUpOnWriter { db in
            // The table's highest id first (the last row of its b-tree, one page), and only rows up to it:
            // on the writer's connection the two statements are not one snapshot, so a row another process
            // adds between them is left for the next read instead of being counted as listed.
            let highest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM outbox")) ?? 0
            // A cursor, not copied rows: a delivery this process just wrote is never read out as text.
            let items = try Array(Row.fetchCursor(db.cachedStatement(sql: """
                SELECT * FROM outbox WHERE platform = ? AND state = 'pending' AND id <= ?
                AND queue NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?
                """), arguments: [platform.rawValue, highest, busyList, limit]).map(outboxItem(from:)))
            return OutboxPage(items: items, highestID: highest)
        }
    }

    public func markSent(_ sent: [SentDelivery]) async throws {
        let now = Date().storageValue
        try await pool.write { db in
            // A sent approval card's message id goes on the card's record in the same write, so an expiry or
            // an edit can change the card later, whichever process sent it. Most rows carry no card: the
            // subquery finds none and nothing is written. (Not `RETURNING after_send_card` on the update:
            // SQLite builds an ephemeral table, with a pager of its own, for every row it returns.)
            let recordCard = try db.cachedStatement(sql: """
                UPDATE approval_cards SET message_id = ?
                WHERE id = (SELECT after_send_card FROM outbox WHERE id = ?) AND message_id IS NULL
                """)
            let update = try db.cachedStatement(sql: """
                UPDATE outbox SET state = 'sent', platform_message_id = ?, attempts = attempts + 1, sent_at = ?
                WHERE id = ?
                """)
            for item in sent {
                if let messageID = item.platformMessageID {
                    try recordCard.execute(arguments: [messageID, item.id])
                }
                try update.execute(arguments: [item.platformMessageID, now, item.id])
            }
        }
        caches.outbox.remove(sent.lazy.map(\.id))
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
        if retryAt == nil { caches.outbox.remove([id]) }
    }

    public func recordChunksSent(id: Int64, chunksSent: Int) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE outbox SET chunks_sent = MAX(chunks_sent, ?) WHERE id = ?",
                           arguments: [chunksSent, id])
        }
    }

    public func item(key: String) async throws -> OutboxItem? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE key = ?", arguments: [key]).map(outboxItem(from:))
        }
    }

    public func pendingCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0
        }
    }

    private func outboxItem(from row: Row) throws -> OutboxItem {
        let id: Int64 = row["id"], key: String = row["key"]
        // Written by this process a moment ago: the value it was written from instead of decoding. Kept until
        // the row is sent or given up (`markSent`, `markFailed`): under a backlog the dispatcher reads a row
        // several times before a send slot frees up for its chat.
        let delivery = try caches.outbox.value(for: OutboxCacheKey(id: id, key: key)) ?? {
            let deliveryText: String = row["delivery"]
            return try JSONDecoder.storage.decode(Delivery.self, from: Data(deliveryText.utf8))
        }()
        return OutboxItem(
            id: id, key: key, delivery: delivery,
            state: OutboxItem.State(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
            notBefore: Date(storageValue: row["not_before"]), platformMessageID: row["platform_message_id"],
            lastError: row["last_error"], chunksSent: row["chunks_sent"] ?? 0)
    }
}

extension SQLiteStore: InboundRepository {
    public func store(_ event: InboundEvent) async throws -> Bool {
        let text = try StoredJSON.text(of: event)
        return try await pool.write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO inbound_events (id, event, received_at) VALUES (?, ?, ?)")
                .execute(arguments: [event.id, text, event.receivedAt.storageValue])
            return db.changesCount > 0
        }
    }

    /// Stores a batch in one transaction; returns the events that were new. They are kept decoded for the
    /// read that will take them (`unprocessed`), unlike `storeBatch(_:cursor:)`'s, which are handed over.
    public func storeBatch(_ events: [InboundEvent]) async throws -> [InboundEvent] {
        let fresh = try await storeBatch(events, cursor: nil)?.map(\.event) ?? []
        for event in fresh { caches.inbound.put(event, for: event.id) }
        return fresh
    }

    public func unprocessed(limit: Int) async throws -> [InboundEvent] {
        try await pool.read { db in
            try Array(Row.fetchCursor(db.cachedStatement(sql: """
                SELECT id, event FROM inbound_events WHERE processed_at IS NULL ORDER BY rowid LIMIT ?
                """), arguments: [limit]).map { row -> InboundEvent in
                // Stored by this process a moment ago: take the event it was stored from instead of decoding.
                if let cached = self.caches.inbound.take(row["id"]) { return cached }
                let text: String = row["event"]
                return try JSONDecoder.storage.decode(InboundEvent.self, from: Data(text.utf8))
            })
        }
    }

    public func unprocessed(after position: Int64, limit: Int) async throws -> [StoredInboundEvent] {
        try await pool.read { db in
            try Array(Row.fetchCursor(db.cachedStatement(sql: """
                SELECT rowid AS position, id, event FROM inbound_events WHERE processed_at IS NULL AND rowid > ?
                ORDER BY rowid LIMIT ?
                """), arguments: [position, limit]).map { row -> StoredInboundEvent in
                let position: Int64 = row["position"]
                if let cached = self.caches.inbound.take(row["id"]) { return StoredInboundEvent(position: position, event: cached) }
                let text: String = row["event"]
                return StoredInboundEvent(position: position,
                                          event: try JSONDecoder.storage.decode(InboundEvent.self, from: Data(text.utf8)))
            })
        }
    }

    public func complete(_ completions: [InboundCompletion], at date: Date) async throws {
        let rows = try completions.flatMap { completion in
            try completion.deliveries.map { try OutboxRow($0) }
        }
        let inserted = try await pool.write { db in
            let inserted = try Self.insertOutbox(rows, at: date, in: db)
            let markDone = try db.cachedStatement(sql: "UPDATE inbound_events SET processed_at = ? WHERE id = ?")
            for completion in completions {
                try markDone.execute(arguments: [date.storageValue, completion.eventID])
            }
            return inserted
        }
        // Only after the commit: a rolled-back row must never be served from the cache, nor sent.
        didQueue(inserted, at: date)
    }

    /// Drops processed events and sent deliveries older than `date`; ids newer than that still dedupe.
    public func prune(before date: Date) async throws {
        try await pool.write { db in
            let events = try Self.rowsBefore(date, in: "inbound_events", timeColumn: "received_at", db)
            try db.execute(sql: """
                DELETE FROM inbound_events WHERE rowid < ? AND processed_at IS NOT NULL AND processed_at < ?
                """, arguments: [events, date.storageValue])
            let deliveries = try Self.rowsBefore(date, in: "outbox", timeColumn: "created_at", db)
            try db.execute(sql: "DELETE FROM outbox WHERE rowid < ? AND state != 'pending' AND created_at < ?",
                           arguments: [deliveries, date.storageValue])
        }
    }

    /// The rowid of the first row of `table` (rows stored in time order) stamped at or after `date`, or one past
    /// the last: the old rows are the first ones, so this walks only them, with no index of every row's time
    /// (one would cost a page written per row stored, for a job that runs once a day).
    private static func rowsBefore(_ date: Date, in table: String, timeColumn: String, _ db: Database) throws -> Int64 {
        var end: Int64 = 0
        let oldest = try Row.fetchCursor(db, sql: "SELECT rowid, \(timeColumn) FROM \(table) ORDER BY rowid")
        while let row = try oldest.next() {
            end = row[0]
            if (row[1] as Double) >= date.storageValue { return end }
            end += 1
        }
        return end
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
