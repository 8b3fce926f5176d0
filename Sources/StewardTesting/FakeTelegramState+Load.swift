import Foundation

/// Hooks for load runs (`Benchmarks/telegram-load`), which push far more traffic through the fake
/// than a test does: a cheap way to know how far the bot got, and a way to keep memory bounded.
extension FakeTelegramState {
    /// How many messages the bot has sent over every chat, and in how many chats it has sent at least
    /// `atLeast` (since the last `forgetHistory()`). With one update per chat the second number counts
    /// the answered updates even when a bot sends something twice; the first then says how often it did.
    public func botMessageTally(atLeast: Int = 1) -> (messages: Int, chats: Int) {
        var total = 0
        var chats = 0
        for chat in messages.values {
            let sent = chat.lazy.filter(\.fromBot).count
            total += sent
            if sent >= atLeast { chats += 1 }
        }
        return (total, chats)
    }

    /// Forgets what a long run piles up: messages (chats, users and message ids stay, so numbering
    /// continues), served times, edits, chat actions, and the parameters of recorded requests (the
    /// requests themselves stay, without parameters, since a waiting long poll holds an index into them).
    /// Pending updates are kept.
    public func forgetHistory() {
        messages.removeAll(keepingCapacity: false)
        servedAt.removeAll(keepingCapacity: false)
        editLog.removeAll()
        chatActions.removeAll()
        for index in recorded.indices where !recorded[index].parameters.isEmpty {
            recorded[index].parameters = [:]
        }
    }
}
