import Foundation

/// The short window of past turns the planner sends along (user text and final answers only: tool
/// results are not replayed, so untrusted text does not linger in later prompts). `chatID` is the
/// conversation's key, one person in one chat (`ConversationKey`): in a group, each member has their own.
public protocol ConversationStore: Sendable {
    func recent(chatID: String) async -> [ChatMessage]
    func append(_ messages: [ChatMessage], chatID: String) async
}

public actor InMemoryConversationStore: ConversationStore {
    private var chats: [String: [ChatMessage]] = [:]
    private let window: Int

    /// - Parameter window: messages kept per chat (a user line and an answer = 2).
    public init(window: Int = 6) { self.window = window }

    public func recent(chatID: String) -> [ChatMessage] { chats[chatID] ?? [] }

    public func append(_ messages: [ChatMessage], chatID: String) {
        var kept = (chats[chatID] ?? []) + messages
        if kept.count > window { kept.removeFirst(kept.count - window) }
        chats[chatID] = kept
    }
}

/// Names one person's conversation in one chat. A chat alone is not enough: in a group, one member's
/// request must never carry another member's turns or the answers they got.
public enum ConversationKey {
    /// `person` is the user's stable id (shared by their linked identities); `chat` the chat's description.
    public static func of(person: String, chat: String) -> String { "user:\(person)|\(chat)" }
}
