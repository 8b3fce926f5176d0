import Foundation

// One protocol per aggregate. StewardStorage implements them on SQLite (and later PostgreSQL);
// the core only ever sees these.

/// Users, their chat identities, settings and home chats.
public protocol UserRepository: Sendable {
    func user(for identity: ChatIdentity) async throws -> User?
    /// Creates the user for `identity`, or returns the existing one (role updated to `role`).
    func ensureUser(identity: ChatIdentity, displayName: String, role: User.Role,
                    defaultSettings: UserSettings) async throws -> User
    func allUsers() async throws -> [User]
    func settings(of user: User.ID) async throws -> UserSettings
    func saveSettings(_ settings: UserSettings, of user: User.ID) async throws
    /// The chat where proactive pushes go, if one was recorded.
    func homeChat(of user: User.ID) async throws -> HomeChat?
    func setHomeChat(_ chat: ChatRef, of user: User.ID) async throws
    /// A platform said we may not write there any more (bot blocked): stop pushing to it.
    func deactivateHomeChat(_ chat: ChatRef) async throws
    /// Records that `identity` was refused; true only the first time, so an unknown identity is refused once.
    func recordRefusal(of identity: ChatIdentity, at date: Date) async throws -> Bool
    /// The user behind `identity` with their home chat and settings, or nil for a stranger: what every
    /// answer needs, which a store can read at once instead of in three round trips.
    func profile(for identity: ChatIdentity) async throws -> SenderProfile?
    /// The role `identity` was granted after setup (see `AccessGrant`), if any.
    func grantedRole(of identity: ChatIdentity) async throws -> User.Role?
    /// Lets `grant.identity` in (a pairing card's Allow).
    func grantAccess(_ grant: AccessGrant) async throws
}

extension UserRepository {
    /// A store that keeps no grants lets in only the people the configuration names.
    public func grantedRole(of identity: ChatIdentity) async throws -> User.Role? { nil }

    public func grantAccess(_ grant: AccessGrant) async throws {
        throw CalendarError("this store can't keep who was let in")
    }

    public func profile(for identity: ChatIdentity) async throws -> SenderProfile? {
        guard let user = try await user(for: identity) else { return nil }
        return SenderProfile(user: user, homeChat: try await homeChat(of: user.id), settings: try await settings(of: user.id))
    }
}

/// A known sender as one answer sees them.
public struct SenderProfile: Sendable, Equatable {
    public var user: User
    public var homeChat: HomeChat?
    public var settings: UserSettings
    /// Whether a drafted mail reply of theirs waits for approval, read with the profile; nil when the store
    /// didn't say. Only then can their next message be an Edit's corrected text, so a store that knows
    /// spares every other message that lookup (a read of its own: 9–11% of a Slack DM's CPU).
    public var replyDraftsPending: Bool?

    public init(user: User, homeChat: HomeChat?, settings: UserSettings, replyDraftsPending: Bool? = nil) {
        self.user = user
        self.homeChat = homeChat
        self.settings = settings
        self.replyDraftsPending = replyDraftsPending
    }
}

public struct HomeChat: Hashable, Codable, Sendable {
    public var chat: ChatRef
    public var isActive: Bool
    public init(chat: ChatRef, isActive: Bool) {
        self.chat = chat
        self.isActive = isActive
    }
}

/// A connected calendar or mail account. Secrets are stored encrypted and never returned in this value.
public struct Account: Hashable, Codable, Sendable {
    public var id: Int64
    public var userID: User.ID
    /// The provider kind, as registered in `AccountKinds`.
    public var kind: String
    public var label: String
    /// Non-secret settings: `file`, `url`, server names.
    public var options: [String: String]
    /// `ok`, or what is wrong (`needs reconnect`).
    public var status: String
    public var createdAt: Date

    public init(id: Int64, userID: User.ID, kind: String, label: String, options: [String: String],
                status: String = "ok", createdAt: Date) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.label = label
        self.options = options
        self.status = status
        self.createdAt = createdAt
    }

    /// `ics:3`: how events and settings refer to the account.
    public var reference: String { "\(kind):\(id)" }
}

public protocol AccountRepository: Sendable {
    func accounts(of user: User.ID) async throws -> [Account]
    func allAccounts() async throws -> [Account]
    /// Adds an account. A non-nil `secret` is encrypted at rest; throws `StorageError.noSecretKey` without a key.
    func addAccount(userID: User.ID, kind: String, label: String, options: [String: String],
                    secret: Data?, at date: Date) async throws -> Account
    func removeAccount(id: Int64) async throws -> Bool
    func secret(ofAccount id: Int64) async throws -> Data?
    /// Replaces the account's secret (refreshed tokens), encrypted like `addAccount`'s.
    func updateSecret(_ secret: Data, options: [String: String]?, ofAccount id: Int64) async throws
    func setStatus(_ status: String, ofAccount id: Int64) async throws
}

public protocol ApprovalRepository: Sendable {
    /// Stores the request; if one with the same id exists, returns that one unchanged (idempotent).
    func insert(_ request: ApprovalRequest) async throws -> ApprovalRequest
    func approval(id: String) async throws -> ApprovalRequest?
    /// Compare-and-set: moves `id` from `from` to `to` only if it is in `from`. True if this call moved it.
    func transition(id: String, from: ApprovalState, to: ApprovalState, at date: Date,
                    outcome: String?) async throws -> Bool
    func pending(of user: User.ID) async throws -> [ApprovalRequest]
    /// Approved but never finished (the process died mid-execution): resumed at start-up.
    func approvedUnfinished() async throws -> [ApprovalRequest]
    /// Pending requests whose `expiresAt` is not after `date`.
    func pendingExpired(at date: Date) async throws -> [ApprovalRequest]
    /// Stores `card` and its requests (each with `cardID` and `choice` set) in one write; a card or request
    /// already stored is left as it is. Returns the stored requests, in the order given.
    func insert(card: ApprovalCard, requests: [ApprovalRequest]) async throws -> [ApprovalRequest]
    /// The card with its options and the message id the outbox recorded when it sent it.
    func card(id: String) async throws -> ApprovalCard?
    /// Deciding `request`: retires the other pending choices on its card in one write, unless one of them
    /// was already taken (approved, executed or failed) — then `request` itself is retired instead.
    func retireSiblings(of request: ApprovalRequest, at date: Date, outcome: String) async throws -> SiblingRetirement
}

public struct AuditEntry: Hashable, Codable, Sendable {
    public var id: Int64
    public var at: Date
    /// Who: a chat identity (`platform:id`) or `scheduler`.
    public var actor: String
    /// What: a tool name (`calendar_create_event`) or an event (`approval_rejected`).
    public var action: String
    public var payloadHash: String?
    /// `ok`, `failed: …`, `rejected`, `requested`.
    public var outcome: String
    public var detail: String

    public init(id: Int64 = 0, at: Date, actor: String, action: String, payloadHash: String? = nil,
                outcome: String, detail: String = "") {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.payloadHash = payloadHash
        self.outcome = outcome
        self.detail = detail
    }
}

public protocol AuditLog: Sendable {
    func record(_ entry: AuditEntry) async throws
    func recent(limit: Int) async throws -> [AuditEntry]
}

/// An outgoing delivery stored before it is attempted.
public struct OutboxItem: Equatable, Codable, Sendable {
    public enum State: String, Codable, Sendable { case pending, sent, failed }
    public var id: Int64
    /// Idempotency key: enqueueing the same key twice stores it once.
    public var key: String
    public var delivery: Delivery
    public var state: State
    public var attempts: Int
    public var notBefore: Date
    /// The platform's id of the sent message (to edit it later).
    public var platformMessageID: String?
    public var lastError: String?
    /// Chunks of a long message the platform already took (see `PartialDelivery`).
    public var chunksSent: Int

    public init(id: Int64, key: String, delivery: Delivery, state: State, attempts: Int, notBefore: Date,
                platformMessageID: String?, lastError: String?, chunksSent: Int = 0) {
        self.chunksSent = chunksSent
        self.id = id
        self.key = key
        self.delivery = delivery
        self.state = state
        self.attempts = attempts
        self.notBefore = notBefore
        self.platformMessageID = platformMessageID
        self.lastError = lastError
    }
}

public protocol OutboxRepository: Sendable {
    /// Stores each delivery under its key; keys already present are left as they are.
    func enqueue(_ deliveries: [(key: String, delivery: Delivery)], at date: Date) async throws
    /// `enqueue` keeping each delivery's `afterSend` note.
    func enqueue(_ deliveries: [KeyedDelivery], at date: Date) async throws
    /// Pending items for `platform` due at `date`, oldest first.
    func due(platform: Platform, at date: Date, limit: Int) async throws -> [OutboxItem]
    /// Every pending item for `platform`, due or waiting for a retry, oldest first (to keep per-chat order),
    /// leaving out the queues in `busy` (see `Delivery.queue(key:)`) — their sends are in progress.
    func pending(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> [OutboxItem]
    /// `pending`, and the highest row id in the outbox when it was read (one snapshot): every row at or below
    /// it was either listed, or pending in a left-out queue, or not pending.
    func pendingPage(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> OutboxPage
    /// Calls `observer` after each commit that queued rows, with those rows (in the order of their ids);
    /// false when this repository can't (the dispatcher then finds every row by reading).
    func observeQueued(_ observer: @escaping @Sendable ([OutboxItem]) -> Void) -> Bool
    /// Marks deliveries sent, all in one transaction.
    func markSent(_ sent: [SentDelivery]) async throws
    /// A failed attempt: retried at `retryAt`, or given up on when `retryAt` is nil.
    func markFailed(id: Int64, error: String, retryAt: Date?) async throws
    /// Records that the first `chunksSent` chunks of item `id` reached the platform.
    func recordChunksSent(id: Int64, chunksSent: Int) async throws
    func item(key: String) async throws -> OutboxItem?
    func pendingCount() async throws -> Int
}

/// A delivery the platform accepted, and the id it gave the message (to edit it later).
public struct SentDelivery: Sendable, Equatable {
    public var id: Int64
    public var platformMessageID: String?

    public init(id: Int64, platformMessageID: String?) {
        self.id = id
        self.platformMessageID = platformMessageID
    }
}

/// A read of pending outbox rows (see `OutboxRepository.pendingPage`).
public struct OutboxPage: Sendable {
    public var items: [OutboxItem]
    /// The outbox's highest row id in the same snapshot; nil when unknown.
    public var highestID: Int64?

    public init(items: [OutboxItem], highestID: Int64?) {
        self.items = items
        self.highestID = highestID
    }
}

extension OutboxRepository {
    public func pendingPage(platform: Platform, limit: Int, excludingQueues busy: Set<String>) async throws -> OutboxPage {
        OutboxPage(items: try await pending(platform: platform, limit: limit, excludingQueues: busy), highestID: nil)
    }

    public func observeQueued(_ observer: @escaping @Sendable ([OutboxItem]) -> Void) -> Bool { false }

    public func markSent(id: Int64, platformMessageID: String?) async throws {
        try await markSent([SentDelivery(id: id, platformMessageID: platformMessageID)])
    }
}

/// Inbound events, stored before the platform is acknowledged; duplicates dropped by id.
public protocol InboundRepository: Sendable {
    /// False when an event with this id was stored before (a redelivery).
    func store(_ event: InboundEvent) async throws -> Bool
    /// Stores a batch in one transaction; returns the events that were new.
    func storeBatch(_ events: [InboundEvent]) async throws -> [InboundEvent]
    func unprocessed(limit: Int) async throws -> [InboundEvent]
    /// Unprocessed events stored after `position` (0: from the start), oldest first, with their positions:
    /// lets a reader move past events it is still working on instead of reading them again.
    func unprocessed(after position: Int64, limit: Int) async throws -> [StoredInboundEvent]
    /// Marks each event handled and queues its answers in one transaction, so a crash leaves either both or
    /// neither; a batch shares the transaction, which is what makes a burst cheap.
    func complete(_ completions: [InboundCompletion], at date: Date) async throws
    /// Stores a batch and, when given, `cursor` in one transaction; returns the new events with their
    /// positions, so the reader can take them without reading them back. Nil when this repository can't
    /// tell positions: then nothing was stored, and the caller uses `storeBatch(_:)`.
    func storeBatch(_ events: [InboundEvent], cursor: InboundCursor?) async throws -> [StoredInboundEvent]?
}

/// An unprocessed inbound event and its place in arrival order.
public struct StoredInboundEvent: Sendable {
    public var position: Int64
    public var event: InboundEvent

    public init(position: Int64, event: InboundEvent) {
        self.position = position
        self.event = event
    }
}

/// A handled inbound event and the answers it produced.
public struct InboundCompletion: Sendable, Equatable {
    public var eventID: String
    public var deliveries: [KeyedDelivery]

    public init(eventID: String, deliveries: [KeyedDelivery]) {
        self.eventID = eventID
        self.deliveries = deliveries
    }
}

extension InboundRepository {
    public func storeBatch(_ events: [InboundEvent], cursor: InboundCursor?) async throws -> [StoredInboundEvent]? { nil }

    public func complete(id: String, enqueueing deliveries: [KeyedDelivery], at date: Date) async throws {
        try await complete([InboundCompletion(eventID: id, deliveries: deliveries)], at: date)
    }
}

extension Delivery {
    /// The queue this delivery waits in: one per chat, so a chat's messages keep their order while chats
    /// are sent in parallel; a delivery without a chat (a button acknowledgement) queues alone.
    public func queue(key: String) -> String {
        chat?.description ?? "action:\(key)"
    }
}

/// Small named values that must survive restarts: a poll offset, the last successful poll.
public protocol StateRepository: Sendable {
    func value(_ key: String) async throws -> String?
    func setValue(_ value: String, for key: String) async throws
}

/// A job in the database, so restarts lose none.
public struct ScheduledJob: Hashable, Codable, Sendable {
    /// Unique name, e.g. `approval-expiry`, `digest:3`.
    public var name: String
    public var nextRunAt: Date
    public var lastRunAt: Date?
    public var lastError: String?
    public init(name: String, nextRunAt: Date, lastRunAt: Date? = nil, lastError: String? = nil) {
        self.name = name
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
        self.lastError = lastError
    }
}

public protocol JobRepository: Sendable {
    /// Creates the job if missing (an existing job keeps its schedule).
    func ensureJob(name: String, firstRunAt: Date) async throws
    func dueJobs(at date: Date) async throws -> [ScheduledJob]
    /// Moves a job's next run forward only if it is still `expectedNextRun`, so each run happens once.
    func claim(name: String, expectedNextRun: Date, nextRunAt: Date, at date: Date) async throws -> Bool
    func recordResult(name: String, error: String?) async throws
    func allJobs() async throws -> [ScheduledJob]
}

public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSecretKey
    case badSecretKey
    case decryptionFailed
    case notFound(String)

    public var description: String {
        switch self {
        case .noSecretKey:
            "STEWARD_SECRET_KEY is not set: a secret must be stored encrypted. Run `steward keygen` and put the key in bot.env."
        case .badSecretKey:
            "STEWARD_SECRET_KEY: expected a base64-encoded 32-byte key (`steward keygen` makes one)"
        case .decryptionFailed:
            "a stored secret could not be decrypted: STEWARD_SECRET_KEY differs from the key it was stored with"
        case .notFound(let what):
            "\(what) not found"
        }
    }
}
