import Foundation

/// The model's spending per user and day, kept across restarts so the daily token budget stays a hard
/// cap when the process restarts.
public protocol ModelTokenRepository: Sendable {
    /// Adds `tokens` to what `userKey` spent on `day`.
    func addModelTokens(_ tokens: Int, userKey: String, day: String) async throws
    func modelTokens(userKey: String, day: String) async throws -> Int
}

/// Each chat's last few turns with the model, so a follow-up keeps its context after a restart.
public protocol ConversationRepository: Sendable {
    /// Appends `turns` and keeps only the newest `window` of the chat's turns.
    func appendConversation(_ turns: [(role: String, content: String)], chatKey: String, window: Int) async throws
    /// The chat's kept turns, oldest first.
    func conversation(chatKey: String) async throws -> [(role: String, content: String)]
}
