import Foundation

/// Someone let in after setup — by `steward users allow` or by the owner's Allow on a pairing card — kept
/// in the database, beside the people `STEWARD_OWNERS` and `STEWARD_ALLOWED_USERS` name.
public struct AccessGrant: Hashable, Sendable {
    public var identity: ChatIdentity
    public var role: User.Role
    public var displayName: String
    public var grantedAt: Date

    public init(identity: ChatIdentity, role: User.Role, displayName: String, grantedAt: Date) {
        self.identity = identity
        self.role = role
        self.displayName = displayName
        self.grantedAt = grantedAt
    }
}

public protocol AccessGrantRepository: Sendable {
    /// Lets `identity` in with `role` (again: the role and name are updated).
    func grant(_ grant: AccessGrant) async throws
    /// Takes `identity`'s grant away; false when there was none.
    func revokeGrant(of identity: ChatIdentity) async throws -> Bool
    /// Everyone let in, oldest first.
    func grants() async throws -> [AccessGrant]
}
