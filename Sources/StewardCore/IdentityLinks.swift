import Foundation

/// Where one person's identities on several platforms are joined (`/link`, `/whoami`, `/unlink`) and where
/// each identity's private chat with Steward is remembered. A store that can't keep links doesn't conform;
/// the commands then say so and change nothing.
///
/// Rules a store keeps:
/// - A link code is kept as its hash only, with the person who asked for it, until it expires or is used:
///   it works once.
/// - Redeeming moves the identity that typed the code to the code's person. When that identity was its old
///   person's only one, everything of the old person (accounts, approvals and cards, facts, plans, model
///   budget, conversation: every row keyed by its user id) moves with it in the same transaction, and the
///   empty person is deleted; the code's person keeps its own settings and home chat.
/// - Wrong, expired and used codes are counted per identity; at the cap no code is looked at.
public protocol IdentityLinkRepository: Sendable {
    /// Keeps `hash` as the one waiting link code of `user` (an earlier unused one stops working).
    func issueLinkCode(hash: String, for user: User.ID, chat: ChatRef, at date: Date, expiresAt: Date) async throws
    /// Spends the code whose hash is `hash` for `identity` (see the rules above).
    func redeemLinkCode(hash: String, by identity: ChatIdentity, displayName: String, at date: Date,
                        limit: LinkAttemptLimit) async throws -> LinkRedemption
    /// Stops a waiting code from working (it was typed where others could read it); true if one was waiting.
    func cancelLinkCode(hash: String) async throws -> Bool
    /// Every identity of `user`, in the order they joined.
    func identities(of user: User.ID) async throws -> [LinkedIdentity]
    /// Every identity of the person `identity` belongs to (empty for an identity Steward never saw).
    func identities(sharingPersonWith identity: ChatIdentity) async throws -> [LinkedIdentity]
    /// Makes `identity` a person of its own again, with `settings` and nothing else; its private chat becomes
    /// that person's home chat, and the old person's home moves to another of its private chats if it was
    /// this identity's. Returns the new person, or nil when `identity` isn't one of `user`'s or is the last.
    func unlink(_ identity: ChatIdentity, from user: User.ID, settings: UserSettings, at date: Date) async throws
        -> User.ID?
    /// Records `chat` as `identity`'s private chat with Steward; with `makeHome`, also as `user`'s home chat,
    /// in the same write.
    func recordPrivateChat(_ chat: ChatRef, of identity: ChatIdentity, user: User.ID, makeHome: Bool,
                           at date: Date) async throws
}

/// How many wrong codes one identity may try in a window before it is refused without a look.
public struct LinkAttemptLimit: Sendable, Equatable {
    public var failures: Int
    public var window: TimeInterval

    public init(failures: Int, window: TimeInterval) {
        self.failures = failures
        self.window = window
    }
}

/// One identity of a person, as `/whoami` shows it.
public struct LinkedIdentity: Sendable, Hashable {
    public var identity: ChatIdentity
    public var displayName: String
    /// Its private chat with Steward, once it has written there.
    public var privateChat: ChatRef?
    public var privateChatUsedAt: Date?

    public init(identity: ChatIdentity, displayName: String, privateChat: ChatRef?, privateChatUsedAt: Date?) {
        self.identity = identity
        self.displayName = displayName
        self.privateChat = privateChat
        self.privateChatUsedAt = privateChatUsedAt
    }
}

/// What typing a link code did.
public enum LinkRedemption: Sendable, Equatable {
    /// `identity` belongs to `person` now; `movedFrom` is the person whose data moved over (deleted since).
    case linked(person: User.ID, issuedIn: ChatRef, movedFrom: User.ID?)
    case unknownCode
    case expired
    case used
    /// The identity already belongs to the code's person: nothing to do, and the code stays unused.
    case alreadyLinked
    /// Too many wrong codes from this identity lately: nothing was looked at.
    case tooManyAttempts
}
