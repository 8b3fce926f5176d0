import Foundation
import GRDB
import StewardCore

extension SQLiteStore: ApprovalRepository {
    public func insert(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        let row = try ApprovalRow(request)
        return try await pool.write { db in
            try Self.insert(row, in: db)
            return try Self.approval(id: request.id, in: db) ?? request
        }
    }

    /// A request encoded outside the write transaction.
    struct ApprovalRow {
        let request: ApprovalRequest
        let chat: String

        init(_ request: ApprovalRequest) throws {
            self.request = request
            chat = try String(decoding: JSONEncoder.storage.encode(request.cardChat), as: UTF8.self)
        }
    }

    static func insert(_ row: ApprovalRow, in db: Database) throws {
        let request = row.request
        try db.execute(sql: """
            INSERT OR IGNORE INTO approvals (id, user_id, tool_name, payload, payload_hash, summary, state,
                created_at, expires_at, decided_at, card_chat, card_message_id, outcome, card_id, choice)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [request.id, request.userID, request.toolName, request.payload, request.payloadHash,
                             request.summary, request.state.rawValue, request.createdAt.storageValue,
                             request.expiresAt.storageValue, request.decidedAt?.storageValue, row.chat,
                             request.cardMessageID, request.outcome, request.cardID, request.choice?.rawValue])
    }

    /// A request with its card's message id, which lives on the card's record.
    static let selectApprovals = """
        SELECT approvals.*, approval_cards.message_id AS card_message FROM approvals
        LEFT JOIN approval_cards ON approval_cards.id = approvals.card_id
        """

    static func approval(id: String, in db: Database) throws -> ApprovalRequest? {
        try Row.fetchOne(db, sql: selectApprovals + " WHERE approvals.id = ?", arguments: [id]).map(approval(from:))
    }

    public func approval(id: String) async throws -> ApprovalRequest? {
        try await pool.read { db in
            try Self.approval(id: id, in: db)
        }
    }

    public func transition(id: String, from: ApprovalState, to: ApprovalState, at date: Date,
                           outcome: String?) async throws -> Bool {
        guard from.canMove(to: to) else { return false }
        return try await pool.write { db in
            // The WHERE on the old state makes this a compare-and-set: of two racing taps only one moves it.
            try db.execute(sql: """
                UPDATE approvals SET state = ?, decided_at = COALESCE(decided_at, ?), outcome = COALESCE(?, outcome)
                WHERE id = ? AND state = ?
                """, arguments: [to.rawValue, date.storageValue, outcome, id, from.rawValue])
            return db.changesCount > 0
        }
    }

    public func pending(of user: User.ID) async throws -> [ApprovalRequest] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.selectApprovals
                             + " WHERE approvals.user_id = ? AND state = 'pending' ORDER BY approvals.created_at",
                             arguments: [user]).map(Self.approval(from:))
        }
    }

    public func approvedUnfinished() async throws -> [ApprovalRequest] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.selectApprovals + " WHERE state = 'approved' ORDER BY approvals.created_at")
                .map(Self.approval(from:))
        }
    }

    public func pendingExpired(at date: Date) async throws -> [ApprovalRequest] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.selectApprovals + " WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at",
                             arguments: [date.storageValue]).map(Self.approval(from:))
        }
    }

    static func approval(from row: Row) throws -> ApprovalRequest {
        let chatText: String = row["card_chat"]
        return ApprovalRequest(
            id: row["id"], userID: row["user_id"], toolName: row["tool_name"], payload: row["payload"],
            payloadHash: row["payload_hash"], summary: row["summary"],
            state: ApprovalState(rawValue: row["state"]) ?? .failed,
            createdAt: Date(storageValue: row["created_at"]), expiresAt: Date(storageValue: row["expires_at"]),
            decidedAt: (row["decided_at"] as Double?).map(Date.init(storageValue:)),
            cardChat: try JSONDecoder.storage.decode(ChatRef.self, from: Data(chatText.utf8)),
            cardMessageID: row["card_message"] ?? row["card_message_id"], outcome: row["outcome"],
            cardID: row["card_id"], choice: (row["choice"] as String?).flatMap(ApprovalCard.Choice.init(rawValue:)))
    }
}

extension SQLiteStore: AuditLog {
    public func record(_ entry: AuditEntry) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO audit_log (at, actor, action, payload_hash, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [entry.at.storageValue, entry.actor, entry.action, entry.payloadHash, entry.outcome,
                                 entry.detail])
        }
    }

    public func recent(limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditEntry(id: row["id"], at: Date(storageValue: row["at"]), actor: row["actor"], action: row["action"],
                           payloadHash: row["payload_hash"], outcome: row["outcome"], detail: row["detail"])
            }
        }
    }
}

extension SQLiteStore: JobRepository {
    public func ensureJob(name: String, firstRunAt: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO jobs (name, next_run_at) VALUES (?, ?)",
                           arguments: [name, firstRunAt.storageValue])
        }
    }

    public func dueJobs(at date: Date) async throws -> [ScheduledJob] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE next_run_at <= ? ORDER BY next_run_at",
                             arguments: [date.storageValue]).map(Self.job(from:))
        }
    }

    public func claim(name: String, expectedNextRun: Date, nextRunAt: Date, at date: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE jobs SET next_run_at = ?, last_run_at = ? WHERE name = ? AND next_run_at = ?
                """, arguments: [nextRunAt.storageValue, date.storageValue, name, expectedNextRun.storageValue])
            return db.changesCount > 0
        }
    }

    public func recordResult(name: String, error: String?) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE jobs SET last_error = ? WHERE name = ?", arguments: [error, name])
        }
    }

    public func allJobs() async throws -> [ScheduledJob] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY name").map(Self.job(from:))
        }
    }

    private static func job(from row: Row) -> ScheduledJob {
        ScheduledJob(name: row["name"], nextRunAt: Date(storageValue: row["next_run_at"]),
                     lastRunAt: (row["last_run_at"] as Double?).map(Date.init(storageValue:)),
                     lastError: row["last_error"])
    }
}
