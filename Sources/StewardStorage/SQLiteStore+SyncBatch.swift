import Foundation
import GRDB
import StewardCore

extension SQLiteStore {
    /// Stores a batch of inbound events and the platform's position after it (Matrix's `next_batch`) in
    /// one transaction: after a crash either both are there (the batch is answered from the store) or
    /// neither (the same batch is fetched again). Returns the events that were new.
    public func storeBatch(_ events: [InboundEvent], settingState key: String, to value: String) async throws -> [InboundEvent] {
        let encoded = try events.map { ($0, String(decoding: try JSONEncoder.storage.encode($0), as: UTF8.self)) }
        let fresh = try await pool.write { db in
            var fresh: [InboundEvent] = []
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO inbound_events (id, event, received_at) VALUES (?, ?, ?)")
            for (event, text) in encoded {
                try insert.execute(arguments: [event.id, text, event.receivedAt.storageValue])
                if db.changesCount > 0 { fresh.append(event) }
            }
            try db.cachedStatement(sql: "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .execute(arguments: [key, value])
            return fresh
        }
        for event in fresh { caches.inbound.put(event, for: event.id) }
        return fresh
    }
}
