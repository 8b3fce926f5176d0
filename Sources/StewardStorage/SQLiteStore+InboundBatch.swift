import Foundation
import GRDB
import StewardCore

extension SQLiteStore {
    /// Stores a batch and the platform's position after it (Telegram's offset) in one transaction, and
    /// returns the new events with their rowids so the processor can answer them without reading them
    /// back. Nothing goes into the decoded cache: a processor that takes the events from this answer never
    /// reads them, and the cache would fill with entries no one takes.
    public func storeBatch(_ events: [InboundEvent], cursor: InboundCursor?) async throws -> [StoredInboundEvent]? {
        let encoded = try events.map { ($0, try StoredJSON.text(of: $0)) }
        return try await pool.write { db in
            var fresh: [StoredInboundEvent] = []
            fresh.reserveCapacity(encoded.count)
            if !encoded.isEmpty {
                let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO inbound_events (id, event, received_at) VALUES (?, ?, ?)")
                for (event, text) in encoded {
                    try insert.execute(arguments: [event.id, text, event.receivedAt.storageValue])
                    if db.changesCount > 0 { fresh.append(StoredInboundEvent(position: db.lastInsertedRowID, event: event)) }
                }
            }
            if let cursor {
                try db.cachedStatement(sql: "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                    .execute(arguments: [cursor.key, cursor.value])
            }
            return fresh
        }
    }
}
