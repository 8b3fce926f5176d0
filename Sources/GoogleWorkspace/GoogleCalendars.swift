import Foundation
import Logging
import StewardCore
import StewardHTTP
import Synchronization

/// Every connected Google account at run time: its token keeper, its API client, and the local copy of its
/// calendars that answers `/today` and `/free` without waiting for the network.
///
/// Guarantees: refreshed tokens are stored (encrypted) before they are used; an account whose refresh
/// token stops working is marked "needs reconnect" and `needsReconnect` runs once for it — not once per
/// sync — and it is not synced again until the user connects it anew; a failed sync keeps the copy and
/// answers from it, saying how old it is. Steward reads its own writes: an event it created, moved or
/// deleted is stored in the copy (memory and database) from Google's answer at once, and laid over the
/// copy again after any sync that asked Google before the write, so no answer shows the old state.
public final class GoogleCalendars: Sendable {
    public struct Connection: Sendable {
        public let tokens: GoogleTokenProvider
        public let remote: GoogleCalendarProvider
    }

    /// One account's copy as answers read it: decoded once, replaced after each sync.
    public struct Copy: Sendable {
        public var events: CalendarSnapshot
        public var syncedAt: Date?
        public var lastError: String?
    }

    /// A change Steward made itself, as Google answered it.
    struct LocalWrite: Sendable {
        var sequence: Int
        var calendarID: String
        var eventID: String
        /// The event as it is now; nil when it was deleted.
        var event: CalendarEvent?
    }

    /// Local writes not yet known to be in a stored sync: a write stays until a sync that began after it
    /// (and every sync begun before that) has stored Google's listing.
    private struct WriteLog {
        var next = 1
        var pending: [Int64: [LocalWrite]] = [:]
        /// Per account, the first sequence number each sync under way may have missed.
        var syncsUnderWay: [Int64: [UUID: Int]] = [:]
    }

    public static let needsReconnectStatus = "needs reconnect"

    public let oauth: GoogleOAuth
    private let apiURL: URL
    private let transport: any HTTPTransport
    private let accounts: any AccountRepository
    private let copies: any CalendarCacheRepository
    public let syncInterval: TimeInterval
    private let logger: Logger
    private let connections = Mutex<[Int64: Connection]>([:])
    private let loaded = Mutex<[Int64: Copy]>([:])
    private let reconnectNotice = Mutex<(@Sendable (Account) async -> Void)?>(nil)
    private let writeLog = Mutex(WriteLog())

    public init(oauth: GoogleOAuth, apiURL: URL, transport: any HTTPTransport, accounts: any AccountRepository,
                copies: any CalendarCacheRepository, syncInterval: TimeInterval, logger: Logger) {
        self.oauth = oauth
        self.apiURL = apiURL
        self.transport = transport
        self.accounts = accounts
        self.copies = copies
        self.syncInterval = syncInterval
        self.logger = logger
    }

    /// What to do, once, when an account needs reconnecting (the composition root sends the DM).
    public func onNeedsReconnect(_ notice: @escaping @Sendable (Account) async -> Void) {
        reconnectNotice.withLock { $0 = notice }
    }

    /// How far the copy reaches: a month back and a year ahead.
    public static func syncWindow(now: Date) -> DateInterval {
        DateInterval(start: now.addingTimeInterval(-31 * 86_400), end: now.addingTimeInterval(366 * 86_400))
    }

    // MARK: Accounts

    /// Stores freshly granted tokens: the user's account with the same address is updated (and healthy
    /// again), otherwise a new account is added. Returns it with its address.
    public func connect(_ tokens: GoogleTokens, user: User.ID) async throws -> (account: Account, email: String) {
        var tokens = tokens
        let email: String
        if let known = tokens.email {
            email = known
        } else {
            let probe = GoogleCalendarProvider(accountID: "google:new", client: HTTPGoogleAPIClient(
                baseURL: apiURL, tokens: StaticAccessToken(tokens.accessToken), transport: transport))
            email = try await probe.accountEmail()
            tokens.email = email
        }
        let secret = try JSONEncoder().encode(tokens)
        let existing = try await accounts.accounts(of: user).first { $0.kind == "google" && $0.options["email"] == email }
        let account: Account
        if var existing {
            try await accounts.updateSecret(secret, options: nil, ofAccount: existing.id)
            try await accounts.setStatus("ok", ofAccount: existing.id)
            existing.status = "ok"
            account = existing
            // The old connection holds the revoked tokens: the next use builds a new one.
            _ = connections.withLock { $0.removeValue(forKey: existing.id) }
        } else {
            account = try await accounts.addAccount(userID: user, kind: "google", label: email,
                                                    options: ["email": email], secret: secret, at: Date())
        }
        return (account, email)
    }

    public func accounts(of user: User.ID) async throws -> [Account] {
        try await accounts.accounts(of: user)
    }

    /// Mail is read for this account from now on (its tokens carry the Gmail scope).
    public func enableMail(on account: Account) async throws {
        var options = account.options
        options["mail"] = "on"
        guard let secret = try await accounts.secret(ofAccount: account.id) else { return }
        try await accounts.updateSecret(secret, options: options, ofAccount: account.id)
    }

    public func connection(for account: Account) async throws -> Connection {
        if let known = connections.withLock({ $0[account.id] }) { return known }
        guard let secret = try await accounts.secret(ofAccount: account.id),
              let tokens = try? JSONDecoder().decode(GoogleTokens.self, from: secret) else {
            throw CalendarError("the Google tokens of \(account.label) are missing; connect it again with /connect google")
        }
        let accounts = accounts
        let keeper = GoogleTokenProvider(tokens: tokens, oauth: oauth, persist: { fresh in
            try await accounts.updateSecret(try JSONEncoder().encode(fresh), options: nil, ofAccount: account.id)
        }, onNeedsReconnect: { [weak self] _ in await self?.markNeedsReconnect(account) }, logger: logger)
        let client = HTTPGoogleAPIClient(baseURL: apiURL, tokens: keeper, transport: transport,
                                         breaker: CircuitBreaker(failureThreshold: 5, coolDown: .seconds(60)),
                                         logger: logger)
        let made = Connection(tokens: keeper, remote: GoogleCalendarProvider(accountID: account.reference, client: client))
        return connections.withLock { known in
            if let existing = known[account.id] { return existing }
            known[account.id] = made
            return made
        }
    }

    /// Marks the account and tells its owner — only on the change from healthy, so a restart or the next
    /// sync never repeats the message.
    private func markNeedsReconnect(_ account: Account) async {
        guard let current = try? await accounts.accounts(of: account.userID).first(where: { $0.id == account.id }),
              current.status != Self.needsReconnectStatus else { return }
        do {
            try await accounts.setStatus(Self.needsReconnectStatus, ofAccount: account.id)
        } catch {
            logger.error("could not mark a Google account as needing reconnect", metadata: ["error": "\(error)"])
            return
        }
        logger.notice("Google account needs reconnecting", metadata: ["account": "\(account.reference)"])
        await reconnectNotice.withLock { $0 }?(current)
    }

    // MARK: The local copy

    /// Brings every healthy Google account's copy up to date (the background job).
    public func syncAll() async throws {
        for account in try await accounts.allAccounts() where account.kind == "google" && account.status == "ok" {
            await sync(account)
        }
    }

    /// Brings one account's copy up to date: incrementally where a sync token allows, in full otherwise.
    public func sync(_ account: Account, now: Date = Date()) async {
        var known: [String] = []
        let ticket = UUID()
        let startedAt = writeLog.withLock { log in
            log.syncsUnderWay[account.id, default: [:]][ticket] = log.next
            return log.next
        }
        var stored = false
        defer { finishSync(ticket, startedAt: startedAt, account: account, stored: stored) }
        do {
            let connection = try await connection(for: account)
            let states = try await copies.syncStates(account: account.id)
            known = states.map(\.calendarID)
            let calendarIDs = try await connection.remote.readableCalendarIDs()
            for calendarID in calendarIDs {
                let token = states.first { $0.calendarID == calendarID }?.syncToken
                let changes = try await connection.remote.changes(calendarID: calendarID, since: token,
                                                                  window: Self.syncWindow(now: now))
                if changes.isFullSync {
                    try await copies.replaceEvents(changes.events, account: account.id, calendar: calendarID,
                                                   syncToken: changes.nextSyncToken, at: now)
                } else {
                    try await copies.applyChanges(changes.events, removed: changes.removedEventIDs, account: account.id,
                                                  calendar: calendarID, syncToken: changes.nextSyncToken, at: now)
                }
            }
            try await copies.forgetCalendars(account: account.id, except: Set(calendarIDs))
            // Google's listing may predate what Steward wrote meanwhile: store those writes over it again.
            for write in pendingWrites(of: account, from: startedAt) { try await store(write, of: account) }
            try await reload(account)
            stored = true
        } catch {
            logger.warning("Google calendar sync failed", metadata: ["account": "\(account.reference)",
                                                                     "error": "\(error)"])
            for calendarID in known.isEmpty ? ["primary"] : known {
                try? await copies.recordSyncFailure("\(error)", account: account.id, calendar: calendarID)
            }
            loaded.withLock { $0[account.id]?.lastError = "\(error)" }
        }
    }

    /// The account's copy, read from the database the first time; nil when it was never synced.
    public func copy(of account: Account) async throws -> Copy? {
        if let copy = loaded.withLock({ $0[account.id] }) { return copy }
        return try await reload(account)
    }

    @discardableResult
    private func reload(_ account: Account) async throws -> Copy? {
        let states = try await copies.syncStates(account: account.id)
        let synced = states.compactMap(\.syncedAt)
        guard !synced.isEmpty else { return nil }
        var copy = Copy(events: CalendarSnapshot(try await copies.cachedEvents(account: account.id)), syncedAt: synced.min(),
                        lastError: states.compactMap(\.lastError).first)
        // A write may be under way to the database while it was read: its answer counts either way.
        for write in pendingWrites(of: account, from: 0) { Self.apply(write, to: &copy.events) }
        let fresh = copy
        loaded.withLock { $0[account.id] = fresh }
        return fresh
    }

    // MARK: Steward's own writes

    /// An event Steward just wrote (or read from Google directly) shows in answers at once, as Google
    /// answered it, before the next sync lists it.
    public func remember(_ event: CalendarEvent, in account: Account) async {
        var event = event
        event.calendarID = Self.calendarID(event.calendarID, of: account)
        await record(calendarID: event.calendarID, eventID: event.id, event: event, in: account)
    }

    /// An event Steward just deleted (or found gone) leaves answers at once, before the next sync drops it.
    public func forget(eventID: String, calendarID: String, in account: Account) async {
        await record(calendarID: Self.calendarID(calendarID, of: account), eventID: eventID, event: nil, in: account)
    }

    /// Google's alias `primary` is the account's address, the id syncs store the primary calendar under.
    private static func calendarID(_ id: String, of account: Account) -> String {
        id == "primary" ? account.options["email"] ?? id : id
    }

    private func record(calendarID: String, eventID: String, event: CalendarEvent?, in account: Account) async {
        let write = writeLog.withLock { log in
            let write = LocalWrite(sequence: log.next, calendarID: calendarID, eventID: eventID, event: event)
            log.next += 1
            log.pending[account.id, default: []].append(write)
            return write
        }
        do {
            try await store(write, of: account)
        } catch {
            // The copy in memory still shows it; the next sync stores Google's version.
            logger.warning("could not store a calendar change in the local copy",
                           metadata: ["account": "\(account.reference)", "error": "\(error)"])
        }
        loaded.withLock { copies in
            guard var copy = copies[account.id] else { return }
            Self.apply(write, to: &copy.events)
            copies[account.id] = copy
        }
    }

    private func store(_ write: LocalWrite, of account: Account) async throws {
        try await copies.storeWrittenEvents(write.event.map { [$0] } ?? [], removed: write.event == nil ? [write.eventID] : [],
                                            account: account.id, calendar: write.calendarID)
    }

    private static func apply(_ write: LocalWrite, to snapshot: inout CalendarSnapshot) {
        if let event = write.event { snapshot.upsert(event) } else { snapshot.remove(id: write.eventID) }
    }

    private func pendingWrites(of account: Account, from sequence: Int) -> [LocalWrite] {
        writeLog.withLock { $0.pending[account.id]?.filter { $0.sequence >= sequence } ?? [] }
    }

    /// A sync is over: writes every sync still under way has seen at Google are dropped from the log.
    private func finishSync(_ ticket: UUID, startedAt: Int, account: Account, stored: Bool) {
        writeLog.withLock { log in
            log.syncsUnderWay[account.id]?[ticket] = nil
            // Only a sync that stored Google's listing makes earlier writes redundant.
            guard stored else { return }
            let floor = min(startedAt, log.syncsUnderWay[account.id]?.values.min() ?? startedAt)
            log.pending[account.id]?.removeAll { $0.sequence < floor }
        }
    }
}
