import Foundation
import StewardCore

/// Decoded values the store would otherwise decode from JSON again and again, behind a lock.
///
/// Two uses, both measured in the Telegram load benchmark (JSON decoding was a fifth of the CPU per update):
/// - settings are keyed by their stored JSON text, so a value is only reused while the row still holds
///   exactly that text (an edit from another process is seen at once), and the many users with the same
///   settings share one entry;
/// - inbound events stored by this process are keyed by their id and handed over once to the read that picks
///   them up; a row not in the cache is decoded as before. (Outbox deliveries have `QueuedDeliveries`.)
final class DecodedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Remembers `value` unless the cache is full (then the reader decodes; nothing is evicted mid-use).
    func put(_ value: Value, for key: Key) {
        lock.withLock {
            if values.count < capacity || values[key] != nil { values[key] = value }
        }
    }

    func value(for key: Key) -> Value? { lock.withLock { values[key] } }

    /// The value once: later reads of the same key decode again.
    func take(_ key: Key) -> Value? { lock.withLock { values.removeValue(forKey: key) } }

    /// The cached value for `key`, or `make()`'s, remembered for next time.
    func value(for key: Key, orMake make: () throws -> Value) rethrows -> Value {
        if let cached = value(for: key) { return cached }
        let made = try make()
        put(made, for: key)
        return made
    }
}

/// An outbox row by id and idempotency key, so a reused rowid can never match an older entry.
struct OutboxCacheKey: Hashable, Sendable {
    let id: Int64
    let key: String
}

/// Deliveries this process queued, by outbox row id, until the row is sent or given up: the read that lists
/// them takes the value instead of decoding its JSON. Keyed by id alone so that a sent mark forgets its
/// rows one lookup each (a scan of every entry per mark was 2.7 % of a burst); the idempotency key is
/// checked on the way out, so a reused rowid never matches an older entry.
final class QueuedDeliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64: (key: String, delivery: Delivery)] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Remembers the delivery unless the cache is full (then the reader decodes).
    func put(_ delivery: Delivery, for row: OutboxCacheKey) {
        lock.withLock {
            if values.count < capacity || values[row.id] != nil { values[row.id] = (row.key, delivery) }
        }
    }

    func value(for row: OutboxCacheKey) -> Delivery? {
        lock.withLock {
            guard let entry = values[row.id], entry.key == row.key else { return nil }
            return entry.delivery
        }
    }

    func remove<S: Sequence<Int64>>(_ ids: S) {
        lock.withLock { for id in ids { values.removeValue(forKey: id) } }
    }
}

/// The store's caches, one per kind of row.
struct StoreCaches: Sendable {
    let settings = DecodedCache<String, UserSettings>(capacity: 256)
    let inbound = DecodedCache<String, InboundEvent>(capacity: 512)
    /// Room for a burst's backlog: a 5,000-update burst once read rows the 512 entries here could not hold,
    /// and decoded them again (5 % of its CPU).
    let outbox = QueuedDeliveries(capacity: 4_096)
    /// Told of every row queued, after its commit (`SQLiteStore.observeQueued`).
    let queuedObserver = Locked<QueuedObserver?>(nil)

    /// `text` decoded as settings, from the cache when that exact text was seen before.
    func settings(fromJSON text: String) throws -> UserSettings {
        try settings.value(for: text) { try JSONDecoder.storage.decode(UserSettings.self, from: Data(text.utf8)) }
    }
}

/// The observer of queued rows, in a struct on purpose: a bare closure kept in the generic `Locked` is
/// reabstracted on the way into `withLock`'s `inout` and wrapped again on the way back, two thunks more at
/// every access — the first build of this measured 18 % of a paced update in a chain of thunks that grew
/// with every answer (and would have overflowed the stack after enough of them).
struct QueuedObserver: Sendable {
    let call: @Sendable ([OutboxItem]) -> Void
}
