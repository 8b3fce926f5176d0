import Foundation

/// Everything the fake Google knows, and the test API to seed it, break it and inspect it.
///
/// Accounts own calendars; calendars hold events (one-off events, recurring series, and exceptions to
/// single instances). Tokens are issued by the fake token endpoint only, expire by the fake's clock
/// (`advanceClock(by:)`), and refresh tokens can be revoked. Every request is recorded without its
/// credentials.
public actor FakeGoogleState {
    public let clientID: String
    public let clientSecret: String

    /// Seconds an access token lives (Google: 3599).
    public internal(set) var accessTokenLifetime: TimeInterval = 3599
    /// The most events one page of `events.list` holds, whatever `maxResults` says (Google may also
    /// return fewer than asked); lower it to exercise paging.
    public internal(set) var maxPageSize = 2500
    /// Redirect URIs the OAuth client is registered with; empty = accept any http(s) URI.
    public internal(set) var registeredRedirectURIs: Set<String> = []

    var clockOffset: TimeInterval = 0
    var accounts: [String: Account] = [:]
    var accountOrder: [String] = []
    var calendars: [String: CalendarRecord] = [:]
    var events: [String: [String: StoredEvent]] = [:]
    var revision = 0
    var insertionCounter = 0
    var consentingAccount: String?
    var denyNextConsent = false
    var authorizationCodes: [String: PendingCode] = [:]
    var refreshTokens: [String: RefreshGrant] = [:]
    var accessTokens: [String: AccessGrant] = [:]
    var syncPoints: [String: SyncPoint] = [:]
    var pageCursors: [String: PageCursor] = [:]
    var faults: [ScheduledFault] = []
    /// Writes to these event ids answer this status (403 "forbidden" or 5xx) until cleared: a step of a plan that fails.
    var eventWriteFaults: [String: Int] = [:]
    /// Calendar writes answered so far, and the one after which the fake stops answering (a hung connection).
    var calendarWritesServed = 0
    var stallAfterWrite: Int?
    var tokenFaults: [Int] = []
    var log: [FakeGoogleRequest] = []
    var responseProblems: [String] = []
    /// Gmail mailboxes by account address (`FakeGoogleState+Gmail*.swift`).
    var mailboxes: [String: GmailMailbox] = [:]

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    struct Account {
        var email: String
        var subject: String
        var grantedScopes: Set<String> = []
        var entries: [CalendarEntry] = []
    }

    struct CalendarEntry {
        var calendarID: String
        var accessRole: String
        var primary: Bool
        var selected: Bool
        var hidden: Bool
    }

    struct CalendarRecord {
        var id: String
        var summary: String
        var timeZone: String
        var owner: String?
    }

    struct StoredEvent {
        var resource: [String: FakeJSON]
        var revision: Int
        var deleted = false
        var order: Int
    }

    struct PendingCode {
        var email: String
        var redirectURI: String
        var scopes: [String]
        var challenge: String?
        var challengeMethod: String
        var offline: Bool
        var expiresAt: Date
    }

    struct RefreshGrant {
        var email: String
        var scopes: [String]
        var revoked = false
    }

    struct AccessGrant {
        var email: String
        var scopes: [String]
        var expiresAt: Date
    }

    struct SyncPoint {
        var calendarID: String
        var revision: Int
        var window: (Date, Date)?
        var expired = false
    }

    struct PageCursor {
        var calendarID: String
        var remaining: [FakeJSON]
        var pageSize: Int
        var nextSyncToken: String?
    }

    struct ScheduledFault {
        var fault: FakeGoogleFault
        var methodID: String?
        var remaining: Int
    }

    // MARK: Clock

    /// The fake's idea of now: the real time moved by `advanceClock(by:)`.
    public var now: Date { Date().addingTimeInterval(clockOffset) }

    /// Moves the fake's clock (token expiry, `updated` stamps) forward.
    public func advanceClock(by seconds: TimeInterval) { clockOffset += seconds }

    public func setAccessTokenLifetime(_ seconds: TimeInterval) { accessTokenLifetime = seconds }
    public func setMaxPageSize(_ size: Int) { maxPageSize = max(1, size) }
    public func registerRedirectURI(_ uri: String) { registeredRedirectURIs.insert(uri) }

    // MARK: Faults

    /// The next `count` Calendar API calls (of `methodID` only, e.g. `calendar.events.list`, when given)
    /// answer with `fault` instead of being served. Requests that are malformed still get their 400.
    public func failNext(_ count: Int = 1, with fault: FakeGoogleFault, method methodID: String? = nil) {
        faults.append(ScheduledFault(fault: fault, methodID: methodID, remaining: count))
    }

    /// The next `count` token requests answer `status` (500 or 503) with no JSON body.
    public func failNextTokenRequests(_ count: Int = 1, status: Int = 500) {
        tokenFaults += Array(repeating: status, count: count)
    }

    /// Every write (insert, patch, delete) to event `eventID` answers `status` until `clearEventWriteFault`.
    public func failWrites(toEvent eventID: String, status: Int = 403) { eventWriteFaults[eventID] = status }

    public func clearEventWriteFault(_ eventID: String) { eventWriteFaults[eventID] = nil }

    /// The `count`-th calendar write from now is applied, then its answer never comes (until the test ends):
    /// what a process killed in the middle of a write leaves behind.
    public func stallAfterApplying(write count: Int) { stallAfterWrite = calendarWritesServed + count }

    /// True once, for the answer that should hang.
    func takeStall() -> Bool {
        guard let stall = stallAfterWrite, calendarWritesServed >= stall else { return false }
        stallAfterWrite = nil
        return true
    }

    func takeFault(for methodID: String) -> FakeGoogleFault? {
        guard let index = faults.firstIndex(where: { $0.methodID == nil || $0.methodID == methodID }) else { return nil }
        let fault = faults[index].fault
        faults[index].remaining -= 1
        if faults[index].remaining <= 0 { faults.remove(at: index) }
        return fault
    }

    // MARK: Inspection

    /// Every request served, oldest first, without credentials.
    public var requests: [FakeGoogleRequest] { log }

    /// The requests of one method (`calendar.events.insert`, `oauth.token`, `oauth.authorize`).
    public func requests(_ methodID: String) -> [FakeGoogleRequest] { log.filter { $0.method == methodID } }

    /// Token endpoint requests with `grant_type` `grant` that were answered 200.
    public func grantedTokenRequests(_ grant: String) -> Int {
        log.filter { $0.method == "oauth.token" && $0.status == 200 && $0.form["grant_type"] == grant }.count
    }

    /// Answers of the fake that did not match the discovery document (should stay empty).
    public var responseShapeProblems: [String] { responseProblems }

    func record(_ request: FakeGoogleRequest) { log.append(request) }

    // MARK: Tokens (test API)

    /// Makes every access token issued so far invalid (as if it expired early): the next API call
    /// with one gets 401.
    public func expireAccessTokens() { accessTokens.removeAll() }

    /// Revokes every refresh token of `email` (the user removed the app's access): refreshing then
    /// answers `invalid_grant`.
    public func revokeRefreshTokens(of email: String) {
        for (token, grant) in refreshTokens where grant.email == email { refreshTokens[token]?.revoked = true }
    }

    /// Makes every sync token issued so far answer 410 (`fullSyncRequired`).
    public func expireSyncTokens() {
        for token in syncPoints.keys { syncPoints[token]?.expired = true }
    }

    /// The account the consent page signs in as (default: the first account added).
    public func setConsentingAccount(_ email: String) { consentingAccount = email }

    /// The next consent is refused: the redirect carries `error=access_denied`.
    public func denyNextAuthorization() { denyNextConsent = true }

    func randomToken(_ prefix: String, length: Int = 32) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return prefix + String((0..<length).map { _ in alphabet.randomElement()! })
    }

    func nextRevision() -> Int {
        revision += 1
        return revision
    }
}

/// What an injected failure answers, each with Google's documented body.
public enum FakeGoogleFault: Sendable, Equatable {
    /// 401 `authError` "Invalid Credentials" (an expired or revoked access token).
    case unauthorized
    /// 403 `rateLimitExceeded`.
    case rateLimitExceeded
    /// 403 `userRateLimitExceeded`.
    case userRateLimitExceeded
    /// 429 `rateLimitExceeded`, with `Retry-After` when given.
    case tooManyRequests(retryAfterSeconds: Int?)
    /// 410 `fullSyncRequired` (the sync token is too old).
    case syncTokenGone
    /// 500 `backendError`, or another 5xx.
    case serverError(status: Int)
    /// 404 `notFound` on Gmail's `history.list`: the `startHistoryId` is older than the history Gmail keeps.
    case historyExpired

    public static let internalServerError = FakeGoogleFault.serverError(status: 500)
}

/// One request the fake served.
public struct FakeGoogleRequest: Sendable {
    /// Discovery id (`calendar.events.insert`), `oauth.token` or `oauth.authorize`.
    public var method: String
    public var httpMethod: String
    public var path: String
    /// Query parameters in the order sent.
    public var query: [(name: String, value: String)]
    /// The JSON body of API calls.
    public var body: FakeJSON?
    /// Form fields of token requests, secrets (`client_secret`, `code`, `refresh_token`, `code_verifier`) blanked.
    public var form: [String: String]
    public var status: Int
    /// The account the access token belonged to.
    public var account: String?
    public var receivedAt: Date

    /// The first value of query parameter `name`.
    public func query(_ name: String) -> String? { query.first { $0.name == name }?.value }
}
