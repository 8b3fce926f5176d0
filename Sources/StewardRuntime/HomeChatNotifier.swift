import Foundation
import StewardCore

/// Where every proactive push is queued: the daily digest, a reconnect notice, an expired card's edit.
/// A push goes to the user's home chat while it is active, under an outbox key that makes it go out once,
/// across restarts too; then the dispatcher is woken.
public struct HomeChatNotifier: Sendable {
    let users: any UserRepository
    let outbox: any OutboxRepository
    let wake: @Sendable () -> Void

    public init(users: any UserRepository, outbox: any OutboxRepository, wake: @escaping @Sendable () -> Void) {
        self.users = users
        self.outbox = outbox
        self.wake = wake
    }

    /// The user's home chat, when it is active (a chat that stopped accepting messages gets no pushes).
    public func homeChat(of user: User.ID) async throws -> ChatRef? {
        guard let home = try await users.homeChat(of: user), home.isActive else { return nil }
        return home.chat
    }

    /// Whether a push under `key` was queued already (then building it again is wasted work).
    public func wasQueued(_ key: String) async throws -> Bool {
        try await outbox.item(key: key) != nil
    }

    /// Queues `message` to `user`'s home chat under `key`, unless there is no active home chat or the key
    /// was queued before; true when it was queued now. Deliveries go out by real time, whatever the clock.
    @discardableResult
    public func push(_ message: OutboundMessage, to user: User.ID, key: String) async throws -> Bool {
        guard let chat = try await homeChat(of: user), try await !wasQueued(key) else { return false }
        try await outbox.enqueue([(key: key, delivery: .send(chat: chat, message: message))], at: Date())
        wake()
        return true
    }

    /// Queues deliveries already addressed, such as expired cards' edits, each under its own key.
    public func queue(_ deliveries: [KeyedDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await outbox.enqueue(deliveries, at: Date())
        wake()
    }
}
