import Foundation

/// Where a remote calendar's local copy stands: `/today` answers from the copy, and says so when the copy
/// is older than it should be.
public struct CalendarSyncState: Hashable, Codable, Sendable {
    public var accountID: Int64
    public var calendarID: String
    /// The provider's sync token (e.g. `nextSyncToken`): the next sync asks only for what changed since.
    public var syncToken: String?
    /// When the copy last matched the server.
    public var syncedAt: Date?
    /// Why the last sync failed; nil after a success.
    public var lastError: String?

    public init(accountID: Int64, calendarID: String, syncToken: String?, syncedAt: Date?, lastError: String?) {
        self.accountID = accountID
        self.calendarID = calendarID
        self.syncToken = syncToken
        self.syncedAt = syncedAt
        self.lastError = lastError
    }
}

/// The stored local copy of remote calendars (one row per event occurrence), so answers need no network
/// and survive restarts.
public protocol CalendarCacheRepository: Sendable {
    /// A full sync: the calendar's stored events become exactly `events`.
    func replaceEvents(_ events: [CalendarEvent], account: Int64, calendar: String, syncToken: String?,
                       at date: Date) async throws
    /// An incremental sync: `changed` events are added or replaced, `removed` ids are dropped.
    func applyChanges(_ changed: [CalendarEvent], removed: [String], account: Int64, calendar: String,
                      syncToken: String?, at date: Date) async throws
    /// Events Steward itself just wrote (`changed`, as the provider answered) or deleted (`removed` ids),
    /// stored at once so answers show them, without touching the sync state: the next sync still asks
    /// for everything since its token, and the copy's age stays what it was.
    func storeWrittenEvents(_ changed: [CalendarEvent], removed: [String], account: Int64, calendar: String) async throws
    /// Every stored event of the account, all calendars.
    func cachedEvents(account: Int64) async throws -> [CalendarEvent]
    func syncStates(account: Int64) async throws -> [CalendarSyncState]
    /// Records a failed sync without touching the events (the copy stays usable, marked stale).
    func recordSyncFailure(_ error: String, account: Int64, calendar: String) async throws
    /// Drops the account's copy (the account was removed, or its calendar list changed).
    func forgetCalendars(account: Int64, except keep: Set<String>) async throws
}

/// An authorization a user started with `/connect`, waiting for the provider to send them back.
public struct PendingAuthorization: Hashable, Codable, Sendable {
    /// The random `state` parameter: it binds the callback to this user and this attempt.
    public var state: String
    public var userID: User.ID
    /// The account kind being connected.
    public var provider: String
    /// PKCE: the secret half, sent only with the code exchange.
    public var codeVerifier: String
    public var scopes: [String]
    /// Where to say "Connected …" afterwards.
    public var chat: ChatRef?
    public var createdAt: Date
    public var expiresAt: Date

    public init(state: String, userID: User.ID, provider: String, codeVerifier: String, scopes: [String],
                chat: ChatRef?, createdAt: Date, expiresAt: Date) {
        self.state = state
        self.userID = userID
        self.provider = provider
        self.codeVerifier = codeVerifier
        self.scopes = scopes
        self.chat = chat
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public protocol AuthorizationRepository: Sendable {
    func savePendingAuthorization(_ authorization: PendingAuthorization) async throws
    /// Returns the authorization for `state` and deletes it, so a link works once; nil when it is unknown,
    /// already used or expired at `date`.
    func takePendingAuthorization(state: String, at date: Date) async throws -> PendingAuthorization?
}
