import Foundation
import StewardHTTP

/// Everything that can go wrong talking to the Bot API, sorted by what the caller should do.
/// Built in one place (`TelegramError.from(envelope:)`) from the response's `error_code`,
/// `description` and `parameters`. A struct around a private code so new cases do not break callers.
/// Its description never contains the bot token.
public struct TelegramError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case retryAfter, forbidden, chatMigrated, notModified, badRequest, unauthorized, conflict, server, network
    }

    private let code: Code
    /// Telegram's `error_code` (the HTTP status), nil for network failures.
    public let errorCode: Int?
    /// Telegram's `description`, or what the network said.
    public let message: String
    /// `parameters.retry_after` in seconds (flood control).
    public let retryAfterSeconds: Double?
    /// `parameters.migrate_to_chat_id`: the group became a supergroup with this id.
    public let migrateToChatID: Int64?

    private init(_ code: Code, errorCode: Int? = nil, message: String = "", retryAfterSeconds: Double? = nil,
                 migrateToChatID: Int64? = nil) {
        self.code = code
        self.errorCode = errorCode
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.migrateToChatID = migrateToChatID
    }

    // Kinds, for comparisons such as `error == .forbidden` (equality looks at the kind only).
    /// 429: flood control; wait `retryAfterSeconds`, and pause every request of this bot meanwhile.
    public static let retryAfter = TelegramError(.retryAfter)
    /// 403: the bot was blocked, kicked, or may not write there.
    public static let forbidden = TelegramError(.forbidden)
    /// The group was upgraded to a supergroup: see `migrateToChatID`.
    public static let chatMigrated = TelegramError(.chatMigrated)
    /// 400 "message is not modified": the edit asked for what is already shown.
    public static let notModified = TelegramError(.notModified)
    /// Any other 4xx: the request is wrong and will never succeed.
    public static let badRequest = TelegramError(.badRequest)
    /// 401: the bot token is wrong or revoked.
    public static let unauthorized = TelegramError(.unauthorized)
    /// 409: a webhook is set, or another process is polling with this token.
    public static let conflict = TelegramError(.conflict)
    /// 5xx or a response that is not the Bot API's envelope.
    public static let server = TelegramError(.server)
    /// No response: timeout, refused or dropped connection.
    public static let network = TelegramError(.network)

    public static func == (lhs: TelegramError, rhs: TelegramError) -> Bool { lhs.code == rhs.code }

    /// Worth retrying later without changing the request.
    public var isTransient: Bool { code == .server || code == .network || code == .retryAfter }

    public var description: String {
        var text = "Telegram \(code.rawValue)"
        if let errorCode { text += " (\(errorCode))" }
        if !message.isEmpty { text += ": \(message)" }
        if let retryAfterSeconds { text += " [retry after \(retryAfterSeconds)s]" }
        if let migrateToChatID { text += " [migrated to \(migrateToChatID)]" }
        return text
    }

    /// Maps a failed envelope (`ok: false`) or a non-2xx status without one.
    static func from(status: Int, envelope: ErrorEnvelope?) -> TelegramError {
        let errorCode = envelope?.errorCode ?? status
        let message = envelope?.description ?? "HTTP \(status)"
        let parameters = envelope?.parameters
        if let retry = parameters?.retryAfter {
            return .init(.retryAfter, errorCode: errorCode, message: message, retryAfterSeconds: retry)
        }
        if let chat = parameters?.migrateToChatID {
            return .init(.chatMigrated, errorCode: errorCode, message: message, migrateToChatID: chat)
        }
        let code: Code = switch errorCode {
        case 429: .retryAfter
        case 401: .unauthorized
        case 403: .forbidden
        case 409: .conflict
        case 400 where message.lowercased().contains("message is not modified"): .notModified
        case 500...: .server
        case 400..<500: .badRequest
        default: envelope == nil ? .server : .badRequest
        }
        // A 429 without retry_after still must wait: one second is Telegram's usual minimum.
        return .init(code, errorCode: errorCode, message: message, retryAfterSeconds: code == .retryAfter ? 1 : nil)
    }

    static func network(_ message: String) -> TelegramError { .init(.network, message: message) }
    static func server(status: Int, message: String) -> TelegramError { .init(.server, errorCode: status, message: message) }

    /// The Bot API's failures in the pipeline's shared classes (`RemoteCall` retries, waits and counts by them).
    public var remoteFailure: RemoteFailure {
        let failure: RemoteFailure = switch code {
        case .retryAfter: .rateLimited(retryAfter: .seconds(retryAfterSeconds ?? 1))
        case .server: .unavailable
        case .network: message.contains("timed out") ? .timeout : .network
        case .unauthorized, .forbidden: .unauthorized
        case .badRequest where message.lowercased().contains("chat not found"): .notFound
        case .chatMigrated, .notModified, .badRequest, .conflict: .rejected
        }
        return failure.with(detail: description)
    }

    /// The classifier `RemoteCall` takes: a `TelegramError`'s class; anything else (a storage error, a
    /// delivery verdict) is not the Bot API's failure.
    public static func classify(_ error: any Error) -> RemoteFailure? {
        (error as? TelegramError)?.remoteFailure
    }
}

/// The Bot API's answer: `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …,
/// "parameters": {"retry_after": …, "migrate_to_chat_id": …}}`.
struct ErrorEnvelope: Decodable {
    struct Parameters: Decodable {
        var retryAfter: Double?
        var migrateToChatID: Int64?
        enum CodingKeys: String, CodingKey {
            case retryAfter = "retry_after", migrateToChatID = "migrate_to_chat_id"
        }
    }

    var ok: Bool
    var errorCode: Int?
    var description: String?
    var parameters: Parameters?

    enum CodingKeys: String, CodingKey {
        case ok, errorCode = "error_code", description, parameters
    }
}

struct ResultEnvelope<R: Decodable>: Decodable {
    var result: R
}

/// The usual answer, `{"ok": true, "result": …}`, read in one pass; anything else goes the long way.
struct SuccessEnvelope<R: Decodable>: Decodable {
    var ok: Bool
    var result: R?
}
