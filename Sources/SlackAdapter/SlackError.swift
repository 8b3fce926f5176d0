import Foundation
import StewardHTTP

/// Everything that can go wrong calling the Slack Web API, sorted by what the caller should do.
/// Built in one place (`SlackError.from(status:error:retryAfter:)`) from the HTTP status, the `error`
/// string of an `ok: false` answer and the `Retry-After` header. A struct around a private code so new
/// cases do not break callers; equality compares the kind only. Never contains a token.
public struct SlackError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case invalidAuth, channelNotFound, notInChannel, isArchived, ratelimited, noText, server, network, api
    }

    private let code: Code
    /// Slack's `error` string (`channel_not_found`…), or what the network said.
    public let error: String
    /// The HTTP status, nil when no response arrived.
    public let status: Int?
    /// `Retry-After` in seconds, for `ratelimited`.
    public let retryAfterSeconds: Double?

    private init(_ code: Code, error: String = "", status: Int? = nil, retryAfterSeconds: Double? = nil) {
        self.code = code
        self.error = error
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The token is wrong, revoked, or of the wrong kind (`invalid_auth`, `not_authed`, `token_revoked`…).
    public static let invalidAuth = SlackError(.invalidAuth)
    /// The channel does not exist or the bot cannot see it.
    public static let channelNotFound = SlackError(.channelNotFound)
    /// The bot is not a member of the channel.
    public static let notInChannel = SlackError(.notInChannel)
    /// The channel is archived.
    public static let isArchived = SlackError(.isArchived)
    /// HTTP 429 / `ratelimited`: wait `retryAfterSeconds`.
    public static let ratelimited = SlackError(.ratelimited)
    /// `no_text`: the message had neither text nor blocks.
    public static let noText = SlackError(.noText)
    /// 5xx, or a body that is not a Web API answer.
    public static let server = SlackError(.server)
    /// No response: timeout, refused or dropped connection.
    public static let network = SlackError(.network)
    /// Any other `ok: false` error: the request is wrong and will not succeed as is.
    public static let api = SlackError(.api)

    public static func == (lhs: SlackError, rhs: SlackError) -> Bool { lhs.code == rhs.code }

    /// Worth retrying later without changing the request.
    public var isTransient: Bool { code == .server || code == .network || code == .ratelimited }

    /// One line for logs and `/status`, e.g. `Slack channel_not_found (HTTP 200)`.
    public var description: String {
        var text = "Slack \(error.isEmpty ? code.rawValue : error)"
        if let status { text += " (HTTP \(status))" }
        if let retryAfterSeconds { text += " [retry after \(retryAfterSeconds)s]" }
        return text
    }

    static func from(status: Int, error: String?, retryAfter: Double?) -> SlackError {
        if status == 429 || error == "ratelimited" || error == "rate_limited" {
            // A 429 without Retry-After still must wait: one second is the smallest sensible pause.
            return .init(.ratelimited, error: error ?? "ratelimited", status: status, retryAfterSeconds: retryAfter ?? 1)
        }
        guard let error else {
            return .init(.server, error: "HTTP \(status)", status: status)
        }
        let code: Code = switch error {
        case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
            .invalidAuth
        case "channel_not_found", "user_not_found", "users_not_found": .channelNotFound
        case "not_in_channel": .notInChannel
        case "is_archived": .isArchived
        case "no_text": .noText
        case "internal_error", "fatal_error", "service_unavailable", "request_timeout": .server
        default: status >= 500 ? .server : .api
        }
        return .init(code, error: error, status: status)
    }

    static func network(_ message: String) -> SlackError { .init(.network, error: message) }
    static func server(status: Int, message: String) -> SlackError { .init(.server, error: message, status: status) }

    /// The Web API's failures in the pipeline's shared classes (`RemoteCall` retries, waits and counts by them).
    public var remoteFailure: RemoteFailure {
        let failure: RemoteFailure = switch code {
        case .ratelimited: .rateLimited(retryAfter: .seconds(retryAfterSeconds ?? 1))
        case .server: .unavailable
        case .network: error.contains("timed out") ? .timeout : .network
        case .invalidAuth: .unauthorized
        case .channelNotFound: .notFound
        case .notInChannel, .isArchived, .noText, .api: .rejected
        }
        return failure.with(detail: description)
    }

    /// The classifier `RemoteCall` takes: a `SlackError`'s class; anything else is not the Web API's failure.
    public static func classify(_ error: any Error) -> RemoteFailure? {
        (error as? SlackError)?.remoteFailure
    }
}
