import Foundation
import Logging
import StewardCore

/// Steward's whole configuration, typed and validated.
///
/// Built only by ``load(environment:envFile:)``, which guarantees that every field holds a usable value:
/// ports are in range, base URLs are `http`/`https` with a host and no trailing slash, the time zone is
/// known to the time-zone database, identities are parsed, the secret key is exactly 32 bytes, and the
/// dependency rules between keys (webhook mode needs its secret, Matrix needs a way to log in, …) hold.
/// Fields are `var` so tests can adjust a loaded value; code that does so takes over those guarantees.
public struct Configuration: Sendable {
    // MARK: Steward core

    /// `STEWARD_DATA_DIR`: where the SQLite database and local files live. Absolute; a relative value is
    /// resolved against the working directory at load time. Default `./data`.
    public var dataDirectory: URL
    /// `STEWARD_DATABASE_URL`. Default: SQLite file `steward.sqlite` in ``dataDirectory``.
    public var database: DatabaseLocation
    /// `STEWARD_HTTP_HOST`: the address the HTTP listener binds. Default `127.0.0.1`.
    public var httpHost: String
    /// `STEWARD_HTTP_PORT`: 1–65535. Default `8080`.
    public var httpPort: Int
    /// `STEWARD_PUBLIC_URL`: external base URL for webhooks and OAuth redirects, without a trailing
    /// slash. Default `http://127.0.0.1:<port>` (or the configured host when it is not a wildcard).
    public var publicURL: URL
    /// `STEWARD_SECRET_KEY`: exactly 32 bytes when set; encrypts secrets at rest. `nil` until configured.
    public var secretKey: Data?
    /// `STEWARD_TIMEZONE`: default IANA zone for new users; `TimeZone(identifier:)` accepts it.
    /// Default: the system's zone.
    public var defaultTimeZone: String
    /// `STEWARD_OWNERS`: identities with full rights, in the order given, without duplicates.
    public var owners: [ChatIdentity]
    /// `STEWARD_ALLOWED_USERS`: further identities allowed to use the bot, in order, without duplicates.
    public var allowedUsers: [ChatIdentity]
    /// `STEWARD_LOG_LEVEL`. Default `info`.
    public var logLevel: Logger.Level
    /// `STEWARD_LOG_FORMAT`. Default `text`.
    public var logFormat: LogFormat

    // MARK: Telegram

    /// `TELEGRAM_BOT_TOKEN`: turns Telegram on. Contains no whitespace, `/`, `?` or `#`.
    public var telegramBotToken: String?
    /// `TELEGRAM_API_URL`: requests go to `{telegramAPIURL}/bot{token}/{method}`.
    /// Default `https://api.telegram.org`.
    public var telegramAPIURL: URL
    /// `TELEGRAM_MODE`. Default `.polling`.
    public var telegramMode: TelegramMode
    /// `TELEGRAM_WEBHOOK_SECRET`: 16–256 characters of `A-Za-z0-9_-`; never nil in webhook mode.
    public var telegramWebhookSecret: String?
    /// `TELEGRAM_RATE_LIMIT`: overall sends per second, `0` = no overall limit. Default `30`.
    public var telegramRateLimit: Int

    // MARK: Slack

    /// `SLACK_BOT_TOKEN`: turns Slack on.
    public var slackBotToken: String?
    /// `SLACK_SIGNING_SECRET`: verifies Events API requests; never nil when Slack is on without Socket Mode.
    public var slackSigningSecret: String?
    /// `SLACK_APP_TOKEN`: starts with `xapp-`; its presence turns on Socket Mode.
    public var slackAppToken: String?
    /// `SLACK_API_URL`. Default `https://slack.com/api`.
    public var slackAPIURL: URL

    // MARK: Matrix

    /// `MATRIX_HOMESERVER_URL`: turns Matrix on; then an access token or user id + password is present.
    public var matrixHomeserverURL: URL?
    /// `MATRIX_ACCESS_TOKEN`.
    public var matrixAccessToken: String?
    /// `MATRIX_USER_ID`: `@localpart:server` when set.
    public var matrixUserID: String?
    /// `MATRIX_PASSWORD`: set exactly when ``matrixUserID`` is, unless an access token is given.
    public var matrixPassword: String?

    // MARK: LLM

    /// `LLM_BASE_URL`: an OpenAI-compatible endpoint; `nil` = deterministic parser only.
    public var llmBaseURL: URL?
    /// `LLM_API_KEY`: optional (local servers often need none).
    public var llmAPIKey: String?
    /// `LLM_MODEL`: never nil when ``llmBaseURL`` is set.
    public var llmModel: String?
    /// `LLM_DAILY_TOKEN_BUDGET`: > 0 when set; `nil` = no daily limit.
    public var llmDailyTokenBudget: Int?
    /// `LLM_EMBEDDINGS_MODEL`: an embeddings model on the same endpoint (`/embeddings`) for memory search;
    /// `nil` = full-text search only.
    public var llmEmbeddingsModel: String?

    // MARK: Google

    /// `GOOGLE_CLIENT_ID`: set exactly when ``googleClientSecret`` is.
    public var googleClientID: String?
    /// `GOOGLE_CLIENT_SECRET`.
    public var googleClientSecret: String?
    /// `GOOGLE_AUTH_URL`. Default `https://accounts.google.com/o/oauth2/v2/auth`.
    public var googleAuthURL: URL
    /// `GOOGLE_TOKEN_URL`. Default `https://oauth2.googleapis.com/token`.
    public var googleTokenURL: URL
    /// `GOOGLE_API_URL`: Calendar at `{googleAPIURL}/calendar/v3/…`, Gmail at `{googleAPIURL}/gmail/v1/…`.
    /// Default `https://www.googleapis.com`.
    public var googleAPIURL: URL

    // MARK: Calendars

    /// `STEWARD_CALENDAR_SYNC_SECONDS`: background refresh interval, ≥ 5. Default `60`.
    public var calendarSyncSeconds: Int

    /// `STEWARD_TEST_CLOCK_FILE`, for tests only: Steward's "now" (jobs, triage, quiet hours, the digest,
    /// approvals) is the ISO 8601 instant written in this file, so end-to-end tests can move time. Unset:
    /// the system clock.
    public var testClockFile: URL?
    /// `STEWARD_METRICS_TOKEN`: when set, `/metrics` and `/healthz` want `Authorization: Bearer <token>`.
    public var metricsToken: String?

    // MARK: Notes for `steward doctor`

    /// Keys in the env file that Steward does not know (probably typos), one line each; they are ignored.
    public var warnings: [String]

    // MARK: Nested types

    /// Where the database lives.
    public enum DatabaseLocation: Sendable, Hashable {
        /// An SQLite file (absolute path).
        case sqlite(path: URL)
        /// A PostgreSQL connection URL (`postgres://` or `postgresql://`, with a host), exactly as given.
        case postgres(url: String)
    }

    /// How log lines are written.
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// How Telegram updates arrive.
    public enum TelegramMode: String, Sendable, CaseIterable {
        case polling, webhook
    }
}

extension Configuration {
    /// True when Telegram, Slack or Matrix is configured; otherwise only the console is available.
    public var hasChatPlatform: Bool {
        telegramBotToken != nil || slackBotToken != nil || hasMatrix
    }

    /// True when Matrix has a homeserver and a way to log in.
    public var hasMatrix: Bool {
        matrixHomeserverURL != nil && (matrixAccessToken != nil || (matrixUserID != nil && matrixPassword != nil))
    }

    /// True when Slack uses Socket Mode (an app token is set) rather than the Events API.
    public var slackUsesSocketMode: Bool { slackAppToken != nil }

    /// True when an LLM endpoint is configured.
    public var hasLLM: Bool { llmBaseURL != nil }

    /// True when a Google OAuth client is configured.
    public var hasGoogle: Bool { googleClientID != nil && googleClientSecret != nil }

    /// A fresh `STEWARD_SECRET_KEY`: base64 of 32 bytes from `SystemRandomNumberGenerator`.
    public static func generateSecretKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    /// Every key Steward reads, in the order of DESIGN.md's table.
    public static var knownKeys: [String] { ConfigKey.allCases.map(\.rawValue) }
}

/// Why the configuration cannot be used. Its description is one line naming the key and what is
/// expected; it never contains the value of a secret (tokens, passwords, keys, database credentials).
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The key at fault, or `path:line` for a malformed env-file line.
    public let key: String
    /// What a valid value looks like, in words.
    public let expected: String
    /// What was found, already safe to print (`got "80a"`, `got a value that is not base64`, `got nothing`).
    public let found: String

    public var description: String { "\(key): expected \(expected), \(found)" }

    init(key: String, expected: String, found: String) {
        self.key = key
        self.expected = expected
        self.found = found
    }

    /// A bad value of a non-secret key; the value is echoed (credentials in URLs masked, shortened).
    static func invalid(_ key: ConfigKey, _ expected: String, got value: String) -> ConfigurationError {
        ConfigurationError(key: key.rawValue, expected: expected, found: "got \(printable(value))")
    }

    /// A bad value of a secret key; `reason` describes the value without echoing it.
    static func invalidSecret(_ key: ConfigKey, _ expected: String, gotAValueThat reason: String)
        -> ConfigurationError {
        ConfigurationError(key: key.rawValue, expected: expected, found: "got a value that \(reason)")
    }

    /// A value that is required by another setting but is not set.
    static func missing(_ key: ConfigKey, _ expected: String) -> ConfigurationError {
        ConfigurationError(key: key.rawValue, expected: expected, found: "got nothing")
    }

    /// The value quoted on one line, with URL credentials masked and long values shortened.
    static func printable(_ value: String) -> String {
        var shown = maskingCredentials(value)
        if shown.count > 80 { shown = String(shown.prefix(77)) + "..." }
        return String(reflecting: shown)
    }

    /// `scheme://user:pass@host…` → `scheme://***@host…`; other text is returned unchanged.
    /// Masks up to the *last* `@`, so a password with an unescaped `/` or `@` is still hidden.
    static func maskingCredentials(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + "***" + String(rest[at...])
    }
}

/// Every key Steward reads. `isSecret` keys are never echoed in errors or summaries.
enum ConfigKey: String, CaseIterable, Sendable {
    case dataDir = "STEWARD_DATA_DIR"
    case databaseURL = "STEWARD_DATABASE_URL"
    case httpHost = "STEWARD_HTTP_HOST"
    case httpPort = "STEWARD_HTTP_PORT"
    case publicURL = "STEWARD_PUBLIC_URL"
    case secretKey = "STEWARD_SECRET_KEY"
    case timeZone = "STEWARD_TIMEZONE"
    case owners = "STEWARD_OWNERS"
    case allowedUsers = "STEWARD_ALLOWED_USERS"
    case logLevel = "STEWARD_LOG_LEVEL"
    case logFormat = "STEWARD_LOG_FORMAT"
    case telegramBotToken = "TELEGRAM_BOT_TOKEN"
    case telegramAPIURL = "TELEGRAM_API_URL"
    case telegramMode = "TELEGRAM_MODE"
    case telegramWebhookSecret = "TELEGRAM_WEBHOOK_SECRET"
    case telegramRateLimit = "TELEGRAM_RATE_LIMIT"
    case slackBotToken = "SLACK_BOT_TOKEN"
    case slackSigningSecret = "SLACK_SIGNING_SECRET"
    case slackAppToken = "SLACK_APP_TOKEN"
    case slackAPIURL = "SLACK_API_URL"
    case matrixHomeserverURL = "MATRIX_HOMESERVER_URL"
    case matrixAccessToken = "MATRIX_ACCESS_TOKEN"
    case matrixUserID = "MATRIX_USER_ID"
    case matrixPassword = "MATRIX_PASSWORD"
    case llmBaseURL = "LLM_BASE_URL"
    case llmAPIKey = "LLM_API_KEY"
    case llmModel = "LLM_MODEL"
    case llmDailyTokenBudget = "LLM_DAILY_TOKEN_BUDGET"
    case llmEmbeddingsModel = "LLM_EMBEDDINGS_MODEL"
    case googleClientID = "GOOGLE_CLIENT_ID"
    case googleClientSecret = "GOOGLE_CLIENT_SECRET"
    case googleAuthURL = "GOOGLE_AUTH_URL"
    case googleTokenURL = "GOOGLE_TOKEN_URL"
    case googleAPIURL = "GOOGLE_API_URL"
    case calendarSyncSeconds = "STEWARD_CALENDAR_SYNC_SECONDS"
    case testClockFile = "STEWARD_TEST_CLOCK_FILE"
    case metricsToken = "STEWARD_METRICS_TOKEN"

    var isSecret: Bool {
        switch self {
        case .secretKey, .telegramBotToken, .telegramWebhookSecret, .slackBotToken, .slackSigningSecret,
             .slackAppToken, .matrixAccessToken, .matrixPassword, .llmAPIKey, .googleClientSecret, .metricsToken:
            true
        default:
            false
        }
    }
}
