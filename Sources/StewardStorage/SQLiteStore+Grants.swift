import Foundation
import GRDB
import StewardCore

extension SQLiteStore: AccessGrantRepository {
    public func grant(_ grant: AccessGrant) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO access_grants (platform, platform_user_id, role, display_name, granted_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (platform, platform_user_id) DO UPDATE SET role = excluded.role,
                    display_name = excluded.display_name
                """, arguments: [grant.identity.platform.rawValue, grant.identity.userID, grant.role.rawValue,
                                 grant.displayName, grant.grantedAt.storageValue])
        }
    }

    public func grantAccess(_ grant: AccessGrant) async throws { try await self.grant(grant) }

    public func revokeGrant(of identity: ChatIdentity) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM access_grants WHERE platform = ? AND platform_user_id = ?",
                           arguments: [identity.platform.rawValue, identity.userID])
            return db.changesCount > 0
        }
    }

    public func grants() async throws -> [AccessGrant] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_grants ORDER BY granted_at, platform, platform_user_id")
                .compactMap { row in
                    guard let platform = Platform(rawValue: row["platform"]) else { return nil }
                    return AccessGrant(identity: ChatIdentity(platform: platform, userID: row["platform_user_id"]),
                                       role: User.Role(rawValue: row["role"]) ?? .member,
                                       displayName: row["display_name"],
                                       grantedAt: Date(storageValue: row["granted_at"]))
                }
        }
    }

    public func grantedRole(of identity: ChatIdentity) async throws -> User.Role? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT role FROM access_grants WHERE platform = ? AND platform_user_id = ?",
                                arguments: [identity.platform.rawValue, identity.userID]).flatMap(User.Role.init(rawValue:))
        }
    }
}
