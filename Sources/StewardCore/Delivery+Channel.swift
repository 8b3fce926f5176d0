import Foundation

/// Why a platform did not take a delivery, sorted by what the outbox should do next.
public enum DeliveryFailure: Error, Sendable, Equatable {
    /// The platform asked us to wait (HTTP 429): pause this platform's sends, then retry.
    case retryAfter(seconds: Double)
    /// 5xx, a timeout, a dropped connection: retry with backoff and jitter.
    case transient(String)
    /// The bot may no longer write to this chat (blocked, kicked): stop pushing there.
    case chatUnavailable(String)
    /// The group became a supergroup with a new id: resend there.
    case chatMigrated(newChatID: String)
    /// The request itself is wrong and will never succeed: give up, log it.
    case rejected(String)
}

/// A long message that went out in part: its first `sent` chunks were taken before `failure`. The outbox
/// records the count, so the retry sends only the rest instead of repeating what the chat already shows.
public struct PartialDelivery: Error, Sendable, Equatable {
    public var sent: Int
    public var failure: DeliveryFailure

    public init(sent: Int, failure: DeliveryFailure) {
        self.sent = sent
        self.failure = failure
    }
}

/// Sends stored deliveries to one platform. Implementations throttle before sending and report
/// failures as `DeliveryFailure` (or `PartialDelivery` for a long message cut short); the outbox decides
/// about retries.
public protocol DeliveryChannel: Sendable {
    var platform: Platform { get }
    /// What this platform can do; Core decides from it (see `PlatformKinds`).
    var capabilities: ChannelCapabilities { get }
    /// Performs the delivery and returns the platform's id of the message it created or edited.
    func deliver(_ delivery: Delivery) async throws -> String?
    /// The same, as the outbox sends it: told the delivery's idempotency key (a platform with transaction
    /// ids derives them from it, so a resend after a crash is shown once) and how many chunks of
    /// a long message the platform already took (`PartialDelivery`).
    func deliver(_ delivery: Delivery, key: String, resumingAfter sentChunks: Int) async throws -> String?
}

extension DeliveryChannel {
    public var capabilities: ChannelCapabilities { .basic }

    /// Channels without transaction ids or chunks have neither to use.
    public func deliver(_ delivery: Delivery, key: String, resumingAfter sentChunks: Int) async throws -> String? {
        try await deliver(delivery)
    }
}

/// Where adapters hand inbound events. `accept` returns once the events are durably stored;
/// only then may the adapter acknowledge them to its platform (advance the offset, ack the envelope).
public protocol InboundSink: Sendable {
    func accept(_ events: [InboundEvent]) async throws
    /// Stores `events` and, in the same transaction, the platform's position after them (Telegram's
    /// offset), so a crash can leave both or neither. False when this sink stored the events only: the
    /// caller then writes `cursor` itself, after this returns.
    func accept(_ events: [InboundEvent], cursor: InboundCursor) async throws -> Bool
}

extension InboundSink {
    public func accept(_ events: [InboundEvent], cursor: InboundCursor) async throws -> Bool {
        try await accept(events)
        return false
    }
}

/// A named value (a `StateRepository` key) written together with the inbound batch it acknowledges.
public struct InboundCursor: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Shows that Steward is working on something (a "typing…" indicator). Best effort: errors are ignored.
public protocol ChatPresence: Sendable {
    func showTyping(in chat: ChatRef) async
}
