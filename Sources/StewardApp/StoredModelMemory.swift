import Foundation
import LLMPlanner
import Logging
import StewardCore

/// The planner's token ledger in the database: a restart does not reset today's spending, so the daily
/// budget stays a hard cap. A failed write is logged; the answer it belongs to is already given.
struct StoredTokenLedger: TokenLedger {
    let store: any ModelTokenRepository
    let logger: Logger

    func record(_ usage: TokenUsage, userID: String, day: String) async {
        do {
            try await store.addModelTokens(usage.totalTokens, userKey: userID, day: day)
        } catch {
            logger.error("could not record model tokens", metadata: ["error": "\(error)"])
        }
    }

    func tokensUsed(userID: String, day: String) async -> Int {
        do {
            return try await store.modelTokens(userKey: userID, day: day)
        } catch {
            // Unknown spending counts as spent: the cap must not open because a read failed.
            logger.error("could not read model tokens", metadata: ["error": "\(error)"])
            return .max
        }
    }
}

/// The short conversation window of one person in one chat (`ConversationKey`) in the database, so a
/// follow-up still has its context after a restart. Only user lines and final answers are ever stored
/// (see `ConversationStore`).
struct StoredConversations: ConversationStore {
    let store: any ConversationRepository
    let window: Int
    let logger: Logger

    func recent(chatID: String) async -> [ChatMessage] {
        do {
            return try await store.conversation(chatKey: chatID).compactMap { turn in
                ChatMessage.Role(rawValue: turn.role).map { ChatMessage(role: $0, content: turn.content) }
            }
        } catch {
            logger.warning("could not read the conversation; answering without it", metadata: ["error": "\(error)"])
            return []
        }
    }

    func append(_ messages: [ChatMessage], chatID: String) async {
        let turns = messages.compactMap { message in message.content.map { (role: message.role.rawValue, content: $0) } }
        do {
            try await store.appendConversation(turns, chatKey: chatID, window: window)
        } catch {
            logger.warning("could not store the conversation", metadata: ["error": "\(error)"])
        }
    }
}
