import Crypto
import Foundation
import GRDB
import StewardCore

extension SQLiteStore: OwnerCodeRepository {
    public func issueOwnerCode(_ code: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO owner_code (id, code_hash, issued_at, spent_by, spent_at)
                VALUES (1, ?, ?, NULL, NULL)
                """, arguments: [Self.ownerCodeHash(code), date.storageValue])
        }
    }

    public func redeemOwnerCode(_ code: String, granting grant: AccessGrant) async throws -> Bool {
        try await pool.write { db in
            // Spending and granting in one transaction: two people racing with the code can't both win.
            try db.execute(sql: """
                UPDATE owner_code SET spent_by = ?, spent_at = ?
                WHERE id = 1 AND spent_at IS NULL AND code_hash = ?
                """, arguments: [grant.identity.description, grant.grantedAt.storageValue, Self.ownerCodeHash(code)])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: """
                INSERT INTO access_grants (platform, platform_user_id, role, display_name, granted_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (platform, platform_user_id) DO UPDATE SET role = excluded.role,
                    display_name = excluded.display_name
                """, arguments: [grant.identity.platform.rawValue, grant.identity.userID, grant.role.rawValue,
                                 grant.displayName, grant.grantedAt.storageValue])
            return true
        }
    }

    public func discardOwnerCode() async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM owner_code WHERE spent_at IS NULL")
        }
    }

    /// SHA-256, hex: what is kept instead of the code.
    static func ownerCodeHash(_ code: String) -> String {
        SHA256.hash(data: Data(code.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
