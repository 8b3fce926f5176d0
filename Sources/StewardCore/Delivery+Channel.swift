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

/// Sends stored deliveries to one platform. Implementations throttle before sending and report
/// failures as `DeliveryFailure`; the outbox decides about retries.
public protocol DeliveryChannel: Sendable {
    var platform: Platform { get }
    /// Performs the delivery and returns the platform's id of the message it created or edited.
    func deliver(_ delivery: Delivery) async throws -> String?
}

/// Where adapters hand inbound events. `accept` returns once the events are durably stored;
/// only then may the adapter acknowledge them to its platform (advance the offset, ack the envelope).
public protocol InboundSink: Sendable {
    func accept(_ events: [InboundEvent]) async throws
}

/// Shows that Steward is working on something (Telegram's "typing…"). Best effort: errors are ignored.
public protocol ChatPresence: Sendable {
    func showTyping(in chat: ChatRef) async
}
