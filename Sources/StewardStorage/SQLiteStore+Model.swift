import Foundation
import GRDB

/// What the LLM planner must remember across restarts: today's spent tokens (so `LLM_DAILY_TOKEN_BUDGET`
/// stays a hard cap when the process restarts) and each chat's last few turns.
extension SQLiteStore {
    public func addModelTokens(_ tokens: Int, userKey: String, day: String) async throws {
        guard tokens > 0 else { return }
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO model_usage (user_key, day, tokens) VALUES (?, ?, ?)
                ON CONFLICT(user_key, day) DO UPDATE SET tokens = tokens + excluded.tokens
                """, arguments: [userKey, day, tokens])
        }
    }

    public func modelTokens(userKey: String, day: String) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT tokens FROM model_usage WHERE user_key = ? AND day = ?",
                             arguments: [userKey, day]) ?? 0
        }
    }

    /// Appends turns to a chat's window and keeps only its newest `window` turns.
    public func appendConversation(_ turns: [(role: String, content: String)], chatKey: String, window: Int) async throws {
        guard !turns.isEmpty else { return }
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO conversation_turns (chat_key, role, content) VALUES (?, ?, ?)")
            for turn in turns { try insert.execute(arguments: [chatKey, turn.role, turn.content]) }
            try db.execute(sql: """
                DELETE FROM conversation_turns WHERE chat_key = ? AND id NOT IN (
                    SELECT id FROM conversation_turns WHERE chat_key = ? ORDER BY id DESC LIMIT ?)
                """, arguments: [chatKey, chatKey, window])
        }
    }

    /// A chat's window, oldest first.
    public func conversation(chatKey: String) async throws -> [(role: String, content: String)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT role, content FROM conversation_turns WHERE chat_key = ? ORDER BY id",
                             arguments: [chatKey]).map { ($0["role"] as String, $0["content"] as String) }
        }
    }

    /// Forgets every chat's conversation (`/forget all` and tests).
    public func forgetConversations() async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM conversation_turns") }
    }
}
