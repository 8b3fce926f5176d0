import Foundation
import StewardCore

/// Decoded values the store would otherwise decode from JSON again and again, behind a lock.
///
/// Two uses, both measured in the Telegram load benchmark (JSON decoding was a fifth of the CPU per update):
/// - settings are keyed by their stored JSON text, so a value is only reused while the row still holds
///   exactly that text (an edit from another process is seen at once), and the many users with the same
///   settings share one entry;
/// - rows written by this process (inbound events, outbox deliveries) are keyed by their id and handed
///   over once to the read that picks them up; a row not in the cache is decoded as before.
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

    /// Forgets the entries whose key matches (rows that left the state they were cached for).
    func removeAll(where matches: (Key) -> Bool) {
        lock.withLock {
            guard values.keys.contains(where: matches) else { return }
            values = values.filter { !matches($0.key) }
        }
    }

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

/// The store's caches, one per kind of row.
struct StoreCaches: Sendable {
    let settings = DecodedCache<String, UserSettings>(capacity: 256)
    let inbound = DecodedCache<String, InboundEvent>(capacity: 512)
    let outbox = DecodedCache<OutboxCacheKey, Delivery>(capacity: 512)

    /// `text` decoded as settings, from the cache when that exact text was seen before.
    func settings(fromJSON text: String) throws -> UserSettings {
        try settings.value(for: text) { try JSONDecoder.storage.decode(UserSettings.self, from: Data(text.utf8)) }
    }
}
