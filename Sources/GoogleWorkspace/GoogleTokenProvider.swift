import Foundation
import Logging

/// Hands out a working access token for one Google account.
public protocol GoogleAccessTokenSource: Sendable {
    /// A token that is valid for a while yet (refreshing first when it is about to expire).
    func accessToken() async throws -> String
    /// The API refused `rejected` (HTTP 401): a fresh token. Callers that saw the same rejected token
    /// share one refresh.
    func accessToken(replacing rejected: String) async throws -> String
}

/// Keeps one account's tokens alive.
///
/// Guarantees: the access token is refreshed `refreshMargin` (60 s) before it expires, so requests
/// never go out with a token about to lapse; however many callers need a refresh at once, one request
/// reaches the token endpoint and all of them get its result; every new set of tokens is handed to
/// `persist` (the app encrypts and stores it) before callers see it; after `invalid_grant` the
/// provider stops asking Google, every call fails with `GoogleError.needsReconnect`, and
/// `onNeedsReconnect` runs exactly once (the app marks the account and sends one DM).
public actor GoogleTokenProvider: GoogleAccessTokenSource {
    public typealias Persist = @Sendable (GoogleTokens) async throws -> Void

    private var tokens: GoogleTokens
    private let oauth: GoogleOAuth
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private let persist: Persist
    private let onNeedsReconnect: @Sendable (GoogleError) async -> Void
    private let logger: Logger
    private var inFlight: Task<GoogleTokens, any Error>?
    private var reconnectError: GoogleError?
    /// How many refreshes reached the token endpoint (for `/status` and tests).
    public private(set) var refreshCount = 0

    /// - Parameters:
    ///   - tokens: what the app stored (decrypted).
    ///   - persist: stores refreshed tokens; a failure is logged and the new tokens are used anyway
    ///     (Google keeps the refresh token, so the stored copy still works after a restart).
    ///   - onNeedsReconnect: called once when the refresh token stops working.
    public init(tokens: GoogleTokens, oauth: GoogleOAuth, refreshMargin: TimeInterval = 60,
                now: @escaping @Sendable () -> Date = { Date() },
                persist: @escaping Persist = { _ in },
                onNeedsReconnect: @escaping @Sendable (GoogleError) async -> Void = { _ in },
                logger: Logger = Logger(label: "steward.google.tokens")) {
        self.tokens = tokens
        self.oauth = oauth
        self.refreshMargin = refreshMargin
        self.now = now
        self.persist = persist
        self.onNeedsReconnect = onNeedsReconnect
        self.logger = logger
    }

    /// The tokens as they are now.
    public var current: GoogleTokens { tokens }

    /// True once the refresh token was refused; only `replace(with:)` clears it.
    public var needsReconnect: Bool { reconnectError != nil }

    public func accessToken() async throws -> String {
        if let reconnectError { throw reconnectError }
        if !tokens.isExpiring(within: refreshMargin, at: now()) { return tokens.accessToken }
        return try await refreshed().accessToken
    }

    public func accessToken(replacing rejected: String) async throws -> String {
        if let reconnectError { throw reconnectError }
        // Someone else already replaced the rejected token: use theirs.
        if tokens.accessToken != rejected, !tokens.isExpiring(within: refreshMargin, at: now()) {
            return tokens.accessToken
        }
        return try await refreshed().accessToken
    }

    /// New tokens after the user connected the account again (clears "needs reconnect").
    public func replace(with newTokens: GoogleTokens) {
        tokens = newTokens
        reconnectError = nil
    }

    /// Joins the refresh in flight, or starts one.
    private func refreshed() async throws -> GoogleTokens {
        if let inFlight { return try await inFlight.value }
        // The task runs on this actor only after this method suspends below, so `inFlight` is set first.
        let task = Task { try await self.performRefresh() }
        inFlight = task
        return try await task.value
    }

    private func performRefresh() async throws -> GoogleTokens {
        defer { inFlight = nil }
        refreshCount += 1
        do {
            let fresh = try await oauth.refresh(tokens)
            do {
                try await persist(fresh)
            } catch {
                logger.warning("could not store refreshed Google tokens; using them anyway",
                               metadata: ["account": "\(fresh.email ?? "unknown")", "error": "\(error)"])
            }
            tokens = fresh
            return fresh
        } catch let error as GoogleError where error == .needsReconnect {
            reconnectError = error
            logger.notice("Google refresh token refused; the account needs reconnecting",
                          metadata: ["account": "\(tokens.email ?? "unknown")", "error": "\(error)"])
            await onNeedsReconnect(error)
            throw error
        }
    }
}

/// A fixed token, for tools and tests that manage tokens themselves.
public struct StaticAccessToken: GoogleAccessTokenSource {
    private let token: String
    public init(_ token: String) { self.token = token }
    public func accessToken() async throws -> String { token }
    public func accessToken(replacing rejected: String) async throws -> String { throw GoogleError.unauthorized }
}
