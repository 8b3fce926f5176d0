import Foundation
import GRDB
import StewardCore

/// Approval cards: a card and its choices are stored in one write, and deciding one choice retires the
/// others in one statement, so no reader ever sees half a card or two choices taken.
extension SQLiteStore {
    public func insert(card: ApprovalCard, requests: [ApprovalRequest]) async throws -> [ApprovalRequest] {
        let chat = try String(decoding: JSONEncoder.storage.encode(card.chat), as: UTF8.self)
        let rows = try requests.map { request in
            var request = request
            request.cardID = card.id
            return try ApprovalRow(request)
        }
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO approval_cards (id, user_id, chat, message_id, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [card.id, card.userID, chat, card.messageID, card.createdAt.storageValue])
            for row in rows { try Self.insert(row, in: db) }
            return try rows.map { try Self.approval(id: $0.request.id, in: db) ?? $0.request }
        }
    }

    public func card(id: String) async throws -> ApprovalCard? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM approval_cards WHERE id = ?", arguments: [id])
            else { return nil }
            let requests = try Row.fetchAll(db, sql: Self.selectApprovals + " WHERE approvals.card_id = ?",
                                            arguments: [id]).map(Self.approval(from:))
            let chatText: String = row["chat"]
            return ApprovalCard(id: id, userID: row["user_id"],
                                chat: try JSONDecoder.storage.decode(ChatRef.self, from: Data(chatText.utf8)),
                                requests: requests, messageID: row["message_id"],
                                createdAt: Date(storageValue: row["created_at"]))
        }
    }

    public func retireSiblings(of request: ApprovalRequest, at date: Date,
                               outcome: String) async throws -> SiblingRetirement {
        guard let cardID = request.cardID else { return .retired(count: 0) }
        return try await pool.write { db in
            let taken = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM approvals WHERE card_id = ? AND id <> ?
                               AND state IN ('approved', 'executed', 'failed'))
                """, arguments: [cardID, request.id]) ?? false
            if taken {
                try db.execute(sql: """
                    UPDATE approvals SET state = 'rejected', decided_at = COALESCE(decided_at, ?), outcome = ?
                    WHERE id = ? AND state = 'pending'
                    """, arguments: [date.storageValue, outcome, request.id])
                return .otherTaken
            }
            // The one statement that retires every other pending choice on the card.
            try db.execute(sql: """
                UPDATE approvals SET state = 'rejected', decided_at = COALESCE(decided_at, ?), outcome = ?
                WHERE card_id = ? AND id <> ? AND user_id = ? AND state = 'pending'
                """, arguments: [date.storageValue, outcome, cardID, request.id, request.userID])
            return .retired(count: db.changesCount)
        }
    }
}
