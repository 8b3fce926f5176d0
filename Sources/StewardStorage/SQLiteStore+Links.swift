import Foundation
import GRDB
import StewardCore

/// One person on several platforms: link codes, joining and separating identities, and each identity's
/// private chat. See `IdentityLinkRepository` for the rules.
extension SQLiteStore: IdentityLinkRepository {
    public func issueLinkCode(hash: String, for user: User.ID, chat: ChatRef, at date: Date,
                              expiresAt: Date) async throws {
        let chatText = try String(decoding: JSONEncoder.storage.encode(chat), as: UTF8.self)
        try await pool.write { db in
            // One waiting code per person: asking again retires the one shown before.
            try db.execute(sql: "DELETE FROM link_codes WHERE user_id = ? AND spent_at IS NULL", arguments: [user])
            try db.execute(sql: """
                INSERT OR REPLACE INTO link_codes (code_hash, user_id, issued_chat, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [hash, user, chatText, date.storageValue, expiresAt.storageValue])
            // Codes are short-lived: what expired a day ago is of no use to anyone.
            try db.execute(sql: "DELETE FROM link_codes WHERE expires_at < ?",
                           arguments: [date.addingTimeInterval(-24 * 3600).storageValue])
        }
    }

    public func redeemLinkCode(hash: String, by identity: ChatIdentity, displayName: String, at date: Date,
                               limit: LinkAttemptLimit) async throws -> LinkRedemption {
        try await pool.write { db in
            let who = identity.description
            let recentFailures = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM link_failures WHERE identity = ? AND at > ?",
                                                  arguments: [who, date.addingTimeInterval(-limit.window).storageValue]) ?? 0
            guard recentFailures < limit.failures else { return .tooManyAttempts }
            func failed(_ outcome: LinkRedemption) throws -> LinkRedemption {
                try db.execute(sql: "INSERT INTO link_failures (identity, at) VALUES (?, ?)",
                               arguments: [who, date.storageValue])
                try db.execute(sql: "DELETE FROM link_failures WHERE at < ?",
                               arguments: [date.addingTimeInterval(-24 * 3600).storageValue])
                return outcome
            }
            guard let code = try Row.fetchOne(db, sql: """
                SELECT user_id, issued_chat, expires_at, spent_at FROM link_codes WHERE code_hash = ?
                """, arguments: [hash]) else { return try failed(.unknownCode) }
            if (code["spent_at"] as Double?) != nil { return try failed(.used) }
            if Date(storageValue: code["expires_at"]) <= date { return try failed(.expired) }
            let target: User.ID = code["user_id"]
            let chatText: String = code["issued_chat"]
            let issuedIn = try JSONDecoder.storage.decode(ChatRef.self, from: Data(chatText.utf8))
            let current = try User.ID.fetchOne(db, sql: "SELECT user_id FROM identities WHERE platform = ? AND platform_user_id = ?",
                                               arguments: [identity.platform.rawValue, identity.userID])
            if current == target { return .alreadyLinked }
            try db.execute(sql: "UPDATE link_codes SET spent_by = ?, spent_at = ? WHERE code_hash = ?",
                           arguments: [who, date.storageValue, hash])
            guard let current else {
                try db.execute(sql: """
                    INSERT INTO identities (platform, platform_user_id, user_id, display_name) VALUES (?, ?, ?, ?)
                    """, arguments: [identity.platform.rawValue, identity.userID, target, displayName])
                return .linked(person: target, issuedIn: issuedIn, movedFrom: nil)
            }
            // The identity keeps the name it was known by (its old person's, unless it had its own).
            try db.execute(sql: """
                UPDATE identities SET user_id = ?,
                    display_name = COALESCE(display_name, (SELECT display_name FROM users WHERE id = ?), ?)
                WHERE platform = ? AND platform_user_id = ?
                """, arguments: [target, current, displayName, identity.platform.rawValue, identity.userID])
            let left = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identities WHERE user_id = ?", arguments: [current]) ?? 0
            guard left == 0 else { return .linked(person: target, issuedIn: issuedIn, movedFrom: nil) }
            try Self.merge(person: current, into: target, in: db)
            return .linked(person: target, issuedIn: issuedIn, movedFrom: current)
        }
    }

    /// Moves everything of `source` to `target` and deletes `source`. Every table with a `user_id` column
    /// is moved, so what other parts add later (facts, plans, …) follows without a change here; a row that
    /// would collide with one of `target`'s keeps `target`'s. The person's own row, settings and home chat
    /// are `target`'s; the token ledger and the conversation windows are keyed by text and moved by hand.
    static func merge(person source: User.ID, into target: User.ID, in db: Database) throws {
        let kept: Set<String> = ["users", "identities", "home_chats", "link_codes"]
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
            """)
        for table in tables where !kept.contains(table) {
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))")
                .map { $0["name"] as String }
            guard columns.contains("user_id") else { continue }
            try db.execute(sql: "UPDATE OR IGNORE \(table.quotedDatabaseIdentifier) SET user_id = ? WHERE user_id = ?",
                           arguments: [target, source])
        }
        // The daily token budget is per person: what both spent today counts once, summed.
        try db.execute(sql: """
            INSERT INTO model_usage (user_key, day, tokens)
                SELECT ?, day, tokens FROM model_usage WHERE user_key = ?
            ON CONFLICT (user_key, day) DO UPDATE SET tokens = tokens + excluded.tokens
            """, arguments: [String(target), String(source)])
        try db.execute(sql: "DELETE FROM model_usage WHERE user_key = ?", arguments: [String(source)])
        // Conversation windows are `user:<id>|<chat>` (LLMPlanner's ConversationKey).
        let from = "user:\(source)|", to = "user:\(target)|"
        try db.execute(sql: """
            UPDATE OR IGNORE conversation_turns SET chat_key = ? || substr(chat_key, ?)
            WHERE substr(chat_key, 1, ?) = ?
            """, arguments: [to, from.utf8.count + 1, from.utf8.count, from])
        try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [source])
    }

    public func cancelLinkCode(hash: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM link_codes WHERE code_hash = ? AND spent_at IS NULL", arguments: [hash])
            return db.changesCount > 0
        }
    }

    public func identities(of user: User.ID) async throws -> [LinkedIdentity] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.selectIdentities + " WHERE i.user_id = ? ORDER BY i.rowid", arguments: [user])
                .compactMap(Self.linkedIdentity(from:))
        }
    }

    public func identities(sharingPersonWith identity: ChatIdentity) async throws -> [LinkedIdentity] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.selectIdentities + """
                 WHERE i.user_id = (SELECT user_id FROM identities WHERE platform = ? AND platform_user_id = ?)
                ORDER BY i.rowid
                """, arguments: [identity.platform.rawValue, identity.userID]).compactMap(Self.linkedIdentity(from:))
        }
    }

    public func unlink(_ identity: ChatIdentity, from user: User.ID, settings: UserSettings,
                       at date: Date) async throws -> User.ID? {
        let settingsText = try String(decoding: JSONEncoder.storage.encode(settings), as: UTF8.self)
        return try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: Self.selectIdentities + " WHERE i.user_id = ? ORDER BY i.rowid",
                                        arguments: [user])
            let all = rows.compactMap(Self.linkedIdentity(from:))
            guard all.count > 1, let leaving = all.first(where: { $0.identity == identity }) else { return nil }
            // A new person, empty: the role is a member's until its own configured role (if any) is read
            // on its next message.
            try db.execute(sql: "INSERT INTO users (display_name, role, settings, created_at) VALUES (?, 'member', ?, ?)",
                           arguments: [leaving.displayName, settingsText, date.storageValue])
            let person = db.lastInsertedRowID
            try db.execute(sql: "UPDATE identities SET user_id = ?, display_name = ? WHERE platform = ? AND platform_user_id = ?",
                           arguments: [person, leaving.displayName, identity.platform.rawValue, identity.userID])
            if let chat = leaving.privateChat {
                try Self.setHome(chat, of: person, in: db)
                let home = try Row.fetchOne(db, sql: "SELECT platform, chat_id FROM home_chats WHERE user_id = ?",
                                            arguments: [user])
                if let home, home["platform"] == chat.platform.rawValue, home["chat_id"] == chat.chatID {
                    // The person's pushes went to the chat that just left: the latest other private chat takes them.
                    let others = all.filter { $0.identity != identity }.compactMap { entry in
                        entry.privateChat.map { ($0, entry.privateChatUsedAt ?? .distantPast) }
                    }
                    if let next = others.max(by: { $0.1 < $1.1 }) {
                        try Self.setHome(next.0, of: user, in: db)
                    } else {
                        try db.execute(sql: "DELETE FROM home_chats WHERE user_id = ?", arguments: [user])
                    }
                }
            }
            return person
        }
    }

    public func recordPrivateChat(_ chat: ChatRef, of identity: ChatIdentity, user: User.ID, makeHome: Bool,
                                  at date: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE identities SET private_chat = ?, private_chat_used_at = ? WHERE platform = ? AND platform_user_id = ?
                """, arguments: [chat.chatID, date.storageValue, identity.platform.rawValue, identity.userID])
            if makeHome { try Self.setHome(chat, of: user, in: db) }
        }
    }

    private static func setHome(_ chat: ChatRef, of user: User.ID, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO home_chats (user_id, platform, chat_id, is_private, is_active) VALUES (?, ?, ?, ?, 1)
            ON CONFLICT(user_id) DO UPDATE SET platform = excluded.platform, chat_id = excluded.chat_id,
                is_private = excluded.is_private, is_active = 1
            """, arguments: [user, chat.platform.rawValue, chat.chatID, chat.isPrivate])
    }

    private static let selectIdentities = """
        SELECT i.platform, i.platform_user_id, COALESCE(i.display_name, u.display_name) AS name,
               i.private_chat, i.private_chat_used_at
        FROM identities i JOIN users u ON u.id = i.user_id
        """

    private static func linkedIdentity(from row: Row) -> LinkedIdentity? {
        guard let platform = Platform(rawValue: row["platform"]) else { return nil }
        let chat = (row["private_chat"] as String?).map { ChatRef(platform: platform, chatID: $0, isPrivate: true) }
        return LinkedIdentity(identity: ChatIdentity(platform: platform, userID: row["platform_user_id"]),
                              displayName: row["name"], privateChat: chat,
                              privateChatUsedAt: (row["private_chat_used_at"] as Double?).map(Date.init(storageValue:)))
    }
}
