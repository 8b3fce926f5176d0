import Foundation
import GRDB
import StewardCore

extension SQLiteStore: UserRepository {
    public func user(for identity: ChatIdentity) async throws -> User? {
        try await pool.read { db in
            // Cached: this runs for every message, and compiling the join costs more than running it.
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT u.id, u.display_name, u.role FROM users u
                JOIN identities i ON i.user_id = u.id
                WHERE i.platform = ? AND i.platform_user_id = ?
                """), arguments: [identity.platform.rawValue, identity.userID]).map(Self.user(from:))
        }
    }

    public func ensureUser(identity: ChatIdentity, displayName: String, role: User.Role,
                           defaultSettings: UserSettings) async throws -> User {
        let settings = try String(decoding: JSONEncoder.storage.encode(defaultSettings), as: UTF8.self)
        return try await pool.write { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT u.id, u.display_name, u.role FROM users u
                JOIN identities i ON i.user_id = u.id
                WHERE i.platform = ? AND i.platform_user_id = ?
                """, arguments: [identity.platform.rawValue, identity.userID]) {
                var user = Self.user(from: row)
                if user.role != role {
                    try db.execute(sql: "UPDATE users SET role = ? WHERE id = ?", arguments: [role.rawValue, user.id])
                    user.role = role
                }
                return user
            }
            try db.execute(sql: "INSERT INTO users (display_name, role, settings, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [displayName, role.rawValue, settings, Date().storageValue])
            let id = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO identities (platform, platform_user_id, user_id) VALUES (?, ?, ?)",
                           arguments: [identity.platform.rawValue, identity.userID, id])
            return User(id: id, displayName: displayName, role: role)
        }
    }

    public func allUsers() async throws -> [User] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, display_name, role FROM users ORDER BY id").map(Self.user(from:))
        }
    }

    /// Every user's settings in one read, for jobs that look at everyone (the daily digest).
    public func allSettings() async throws -> [(user: User.ID, settings: UserSettings)] {
        try await allSettings(where: { _ in true })
    }

    /// The users whose settings pass `isWanted`, in one read. Rows stream through a cursor and only the
    /// matches are kept, so a job that looks at 10,000 users every 30 s holds a handful, not 10,000 rows.
    public func allSettings(where isWanted: @escaping @Sendable (UserSettings) -> Bool) async throws
        -> [(user: User.ID, settings: UserSettings)] {
        try await pool.read { [caches] db in
            var wanted: [(user: User.ID, settings: UserSettings)] = []
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, settings FROM users ORDER BY id"))
            while let row = try rows.next() {
                let settings = try caches.settings(fromJSON: row["settings"])
                if isWanted(settings) { wanted.append((row["id"], settings)) }
            }
            return wanted
        }
    }

    public func settings(of user: User.ID) async throws -> UserSettings {
        let text = try await pool.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT settings FROM users WHERE id = ?"), arguments: [user])
        }
        guard let text else { throw StorageError.notFound("user \(user)") }
        return try caches.settings(fromJSON: text)
    }

    public func profile(for identity: ChatIdentity) async throws -> SenderProfile? {
        let found = try await pool.lookUpOnWriter { db -> (User, HomeChat?, String, Bool)? in
            // One read for what every answer needs (it used to be three round trips to a reader), including
            // whether a drafted reply waits (only then may the message be an Edit's corrected text).
            // Plain values out: a closure returning `Row` (not Sendable) would pick GRDB's blocking `read`.
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT u.id, u.display_name, u.role, u.settings,
                       h.platform AS home_platform, h.chat_id AS home_chat, h.is_private AS home_private,
                       h.is_active AS home_active,
                       EXISTS (SELECT 1 FROM approvals a
                               WHERE a.user_id = u.id AND a.state = 'pending' AND a.tool_name = ?) AS reply_pending
                FROM identities i JOIN users u ON u.id = i.user_id
                LEFT JOIN home_chats h ON h.user_id = u.id
                WHERE i.platform = ? AND i.platform_user_id = ?
                """), arguments: [MailReplyArguments.toolName, identity.platform.rawValue, identity.userID])
            else { return nil }
            let home = (row["home_platform"] as String?).flatMap(Platform.init(rawValue:)).map { platform in
                HomeChat(chat: ChatRef(platform: platform, chatID: row["home_chat"], isPrivate: row["home_private"]),
                         isActive: row["home_active"])
            }
            return (Self.user(from: row), home, row["settings"], row["reply_pending"])
        }
        guard let (user, home, settingsText, replyPending) = found else { return nil }
        return SenderProfile(user: user, homeChat: home, settings: try caches.settings(fromJSON: settingsText),
                             replyDraftsPending: replyPending)
    }

    public func saveSettings(_ settings: UserSettings, of user: User.ID) async throws {
        let text = try String(decoding: JSONEncoder.storage.encode(settings), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET settings = ? WHERE id = ?", arguments: [text, user])
        }
    }

    public func homeChat(of user: User.ID) async throws -> HomeChat? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT platform, chat_id, is_private, is_active FROM home_chats WHERE user_id = ?"),
                             arguments: [user]).flatMap { row in
                guard let platform = Platform(rawValue: row["platform"]) else { return nil }
                return HomeChat(chat: ChatRef(platform: platform, chatID: row["chat_id"], isPrivate: row["is_private"]),
                                isActive: row["is_active"])
            }
        }
    }

    public func setHomeChat(_ chat: ChatRef, of user: User.ID) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO home_chats (user_id, platform, chat_id, is_private, is_active) VALUES (?, ?, ?, ?, 1)
                ON CONFLICT(user_id) DO UPDATE SET platform = excluded.platform, chat_id = excluded.chat_id,
                    is_private = excluded.is_private, is_active = 1
                """, arguments: [user, chat.platform.rawValue, chat.chatID, chat.isPrivate])
        }
    }

    public func deactivateHomeChat(_ chat: ChatRef) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE home_chats SET is_active = 0 WHERE platform = ? AND chat_id = ?",
                           arguments: [chat.platform.rawValue, chat.chatID])
        }
    }

    /// Refusals answered per minute, across all strangers: a flood of new senders gets this many answers
    /// a minute and the rest none (each may get theirs with a later message), so answering strangers never
    /// costs the people Steward serves.
    public static let refusalsPerMinute = 20

    public func recordRefusal(of identity: ChatIdentity, at date: Date) async throws -> Bool {
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM refusals WHERE identity = ?",
                                 arguments: [identity.description]) == true { return false }
            let lastMinute = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM refusals WHERE at > ?",
                                              arguments: [date.addingTimeInterval(-60).storageValue]) ?? 0
            guard lastMinute < Self.refusalsPerMinute else { return false }
            try db.execute(sql: "INSERT OR IGNORE INTO refusals (identity, at) VALUES (?, ?)",
                           arguments: [identity.description, date.storageValue])
            return db.changesCount > 0
        }
    }

    /// Forgets strangers refused before `date` (kept 30 days: long enough that a pest isn't answered
    /// again every day, short enough that the table doesn't grow for ever).
    public func pruneRefusals(before date: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM refusals WHERE at < ?", arguments: [date.storageValue])
        }
    }

    private static func user(from row: Row) -> User {
        User(id: row["id"], displayName: row["display_name"], role: User.Role(rawValue: row["role"]) ?? .member)
    }
}

extension SQLiteStore: AccountRepository {
    public func accounts(of user: User.ID) async throws -> [Account] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM accounts WHERE user_id = ? ORDER BY id", arguments: [user])
                .map(self.account(from:))
        }
    }

    public func allAccounts() async throws -> [Account] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM accounts ORDER BY id").map(self.account(from:))
        }
    }

    public func addAccount(userID: User.ID, kind: String, label: String, options: [String: String],
                           secret: Data?, at date: Date) async throws -> Account {
        let sealed: Data? = try secret.map { secret in
            guard let secrets else { throw StorageError.noSecretKey }
            return try secrets.seal(secret)
        }
        let optionsText = try String(decoding: JSONEncoder.storage.encode(sealOptions(options)), as: UTF8.self)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO accounts (user_id, kind, label, options, secret, status, created_at)
                VALUES (?, ?, ?, ?, ?, 'ok', ?)
                """, arguments: [userID, kind, label, optionsText, sealed, date.storageValue])
            return Account(id: db.lastInsertedRowID, userID: userID, kind: kind, label: label, options: options,
                           createdAt: date)
        }
    }

    public func removeAccount(id: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM accounts WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func secret(ofAccount id: Int64) async throws -> Data? {
        let sealed = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT secret FROM accounts WHERE id = ?", arguments: [id])
        }
        guard let sealed else { return nil }
        guard let secrets else { throw StorageError.noSecretKey }
        return try secrets.open(sealed)
    }

    public func updateSecret(_ secret: Data, options: [String: String]?, ofAccount id: Int64) async throws {
        guard let secrets else { throw StorageError.noSecretKey }
        let sealed = try secrets.seal(secret)
        let optionsText = try options.map { String(decoding: try JSONEncoder.storage.encode(sealOptions($0)), as: UTF8.self) }
        try await pool.write { db in
            try db.execute(sql: "UPDATE accounts SET secret = ?, options = COALESCE(?, options) WHERE id = ?",
                           arguments: [sealed, optionsText, id])
        }
    }

    public func setStatus(_ status: String, ofAccount id: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE accounts SET status = ? WHERE id = ?", arguments: [status, id])
        }
    }

    private func account(from row: Row) -> Account {
        let optionsText: String = row["options"]
        let options = openOptions((try? JSONDecoder.storage.decode([String: String].self,
                                                                   from: Data(optionsText.utf8))) ?? [:])
        return Account(id: row["id"], userID: row["user_id"], kind: row["kind"], label: row["label"],
                       options: options, status: row["status"], createdAt: Date(storageValue: row["created_at"]))
    }
}
