import Foundation

/// Everything that can go wrong talking to Google (the token endpoint or an API), sorted by what the
/// caller should do. A struct around a private code so new cases do not break callers; equality
/// compares the kind only. Never contains a token: messages come from Google's error body or from
/// the transport, whose errors never carry a URL or a header.
public struct GoogleError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case needsReconnect, authorizationRejected, invalidClient, unauthorized, forbidden, notFound,
             conflict, gone, syncTokenExpired, rateLimited, badRequest, server, network, malformedResponse,
             unavailable, tooManyEvents
    }

    private let code: Code
    /// The HTTP status, nil when no response arrived.
    public let status: Int?
    /// Google's machine-readable reason (`invalid_grant`, `rateLimitExceeded`, `fullSyncRequired`…).
    public let reason: String
    /// Google's message, or what the network said.
    public let message: String

    private init(_ code: Code, status: Int? = nil, reason: String = "", message: String = "") {
        self.code = code
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// The refresh token was revoked or expired (`invalid_grant`): the user must connect the account
    /// again. Retrying will not help.
    public static let needsReconnect = GoogleError(.needsReconnect)
    /// The authorization code was refused (used, expired, or the PKCE verifier does not match): the
    /// user should start `/connect` again.
    public static let authorizationRejected = GoogleError(.authorizationRejected)
    /// `GOOGLE_CLIENT_ID` / `GOOGLE_CLIENT_SECRET` are wrong (`invalid_client`, `unauthorized_client`).
    public static let invalidClient = GoogleError(.invalidClient)
    /// The API refused the access token even after a refresh (HTTP 401).
    public static let unauthorized = GoogleError(.unauthorized)
    /// HTTP 403 other than a rate limit: missing scope, no access to that calendar.
    public static let forbidden = GoogleError(.forbidden)
    public static let notFound = GoogleError(.notFound)
    /// HTTP 409: an event with that id already exists.
    public static let conflict = GoogleError(.conflict)
    /// HTTP 410 on a resource (the event was already deleted).
    public static let gone = GoogleError(.gone)
    /// HTTP 410 on `events.list` with a `syncToken`: drop the local copy and list everything again.
    public static let syncTokenExpired = GoogleError(.syncTokenExpired)
    /// HTTP 429 or 403 `rateLimitExceeded` / `userRateLimitExceeded`, still failing after the backoff.
    public static let rateLimited = GoogleError(.rateLimited)
    /// HTTP 400 and other 4xx: the request is wrong and will not succeed as is.
    public static let badRequest = GoogleError(.badRequest)
    /// HTTP 5xx, still failing after the backoff.
    public static let server = GoogleError(.server)
    /// No response: timeout, refused or dropped connection.
    public static let network = GoogleError(.network)
    /// A 2xx answer Steward could not read.
    public static let malformedResponse = GoogleError(.malformedResponse)
    /// The circuit breaker is open: Google failed repeatedly and is left alone for a while.
    public static let unavailable = GoogleError(.unavailable)
    /// `events.list` still had pages after the most Steward reads for one span: asking again won't help,
    /// a shorter span will.
    public static let tooManyEvents = GoogleError(.tooManyEvents)

    public static func == (lhs: GoogleError, rhs: GoogleError) -> Bool { lhs.code == rhs.code }

    /// Worth retrying later without changing anything.
    public var isTransient: Bool {
        [.rateLimited, .server, .network, .unavailable].contains(code)
    }

    /// One line for the user, logs, `/status` and `steward doctor`: what happened and what to do,
    /// then Google's own words, e.g. `Google is limiting how fast Steward may ask; try again in a
    /// minute (HTTP 403 rateLimitExceeded: Rate Limit Exceeded)`.
    public var description: String {
        var detail = [status.map { "HTTP \($0)" }, reason.isEmpty ? nil : reason].compactMap { $0 }.joined(separator: " ")
        if !message.isEmpty { detail += (detail.isEmpty ? "" : ": ") + message }
        return detail.isEmpty ? summary : "\(summary) (\(detail))"
    }

    private var summary: String {
        switch code {
        case .needsReconnect: "Google access for this account was revoked or has expired; connect it again with /connect google"
        case .authorizationRejected: "Google refused the sign-in code; start again with /connect google"
        case .invalidClient: "Google rejected Steward's OAuth client; check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"
        case .unauthorized: "Google refused Steward's access token"
        case .forbidden: "Google denied access"
        case .notFound: "Google could not find that calendar or event"
        case .conflict: "That event already exists in Google Calendar"
        case .gone: "That event was already deleted in Google Calendar"
        case .syncTokenExpired: "Google asked for a full resync of the calendar"
        case .rateLimited: "Google is limiting how fast Steward may ask; try again in a minute"
        case .badRequest: "Google refused the request"
        case .server: "Google had a server error"
        case .network: "Google could not be reached"
        case .malformedResponse: "Google sent an answer Steward could not read"
        case .unavailable: "Google failed several times in a row; Steward is pausing requests for a moment"
        case .tooManyEvents: "That span holds more events than Steward reads at once; ask for a shorter one"
        }
    }

    static func make(_ kind: GoogleError, status: Int?, reason: String, message: String) -> GoogleError {
        GoogleError(kind.code, status: status, reason: reason, message: message)
    }

    static func network(_ message: String) -> GoogleError { make(.network, status: nil, reason: "", message: message) }

    static func malformed(status: Int, _ message: String) -> GoogleError {
        make(.malformedResponse, status: status, reason: "", message: message)
    }
}

extension GoogleError {
    /// Google's API error body: `{"error": {"code": 403, "message": "…", "errors": [{"domain", "reason", "message"}]}}`.
    private struct APIErrorBody: Decodable {
        struct Detail: Decodable {
            var code: Int?
            var message: String?
            var errors: [Item]?
            var status: String?
        }
        struct Item: Decodable {
            var domain: String?
            var reason: String?
            var message: String?
        }
        var error: Detail
    }

    /// Reads an API error response (`{"error": {…}}`); `reason` is the first listed reason.
    static func fromAPI(status: Int, body: Data) -> GoogleError {
        let detail = try? JSONDecoder().decode(APIErrorBody.self, from: body).error
        let reason = detail?.errors?.first?.reason ?? detail?.status ?? ""
        let message = detail?.message ?? detail?.errors?.first?.message ?? ""
        let kind: GoogleError
        switch status {
        case 401: kind = .unauthorized
        case 403 where isRateLimitReason(reason): kind = .rateLimited
        case 403: kind = .forbidden
        case 404: kind = .notFound
        case 409: kind = .conflict
        case 410: kind = reason == "fullSyncRequired" ? .syncTokenExpired : .gone
        case 429: kind = .rateLimited
        case 500...: kind = .server
        default: kind = .badRequest
        }
        return make(kind, status: status, reason: reason, message: message)
    }

    static func isRateLimitReason(_ reason: String) -> Bool {
        reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || reason == "quotaExceeded"
    }

    /// The token endpoint's error body: `{"error": "invalid_grant", "error_description": "…"}`.
    private struct OAuthErrorBody: Decodable {
        var error: String
        var error_description: String?
    }

    /// Reads a token endpoint refusal. `invalid_grant` means different things for the two grants:
    /// a refresh token that no longer works (reconnect) or a code that was refused (start again).
    static func fromTokenEndpoint(status: Int, body: Data, refreshing: Bool) -> GoogleError {
        guard let parsed = try? JSONDecoder().decode(OAuthErrorBody.self, from: body) else {
            let kind: GoogleError = status >= 500 ? .server : (status == 429 ? .rateLimited : .badRequest)
            return make(kind, status: status, reason: "", message: "the token endpoint answered HTTP \(status)")
        }
        let kind: GoogleError = switch parsed.error {
        case "invalid_grant": refreshing ? .needsReconnect : .authorizationRejected
        case "invalid_client", "unauthorized_client": .invalidClient
        default: status >= 500 ? .server : (status == 429 ? .rateLimited : .badRequest)
        }
        return make(kind, status: status, reason: parsed.error, message: parsed.error_description ?? "")
    }
}
