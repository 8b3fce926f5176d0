import Foundation
import Logging
import StewardCore

extension Configuration {
    /// Reads the configuration from `envFile` (if it exists) and `environment`; the environment wins.
    ///
    /// Guarantees: an empty value counts as unset; every key is validated (the first problem found,
    /// in the order of DESIGN.md's table, is thrown); then the rules between keys are checked:
    /// - `TELEGRAM_MODE=webhook` needs `TELEGRAM_WEBHOOK_SECRET`;
    /// - Slack with a bot token needs `SLACK_SIGNING_SECRET` unless `SLACK_APP_TOKEN` turns on Socket
    ///   Mode, and an app token needs a bot token;
    /// - Matrix needs `MATRIX_HOMESERVER_URL` plus `MATRIX_ACCESS_TOKEN` or `MATRIX_USER_ID` +
    ///   `MATRIX_PASSWORD`, and those are not given without a homeserver;
    /// - `LLM_BASE_URL` needs `LLM_MODEL`, and `LLM_API_KEY`/`LLM_MODEL` need `LLM_BASE_URL`;
    /// - `GOOGLE_CLIENT_ID` and `GOOGLE_CLIENT_SECRET` come together.
    ///
    /// - Parameters:
    ///   - environment: the process environment (tests pass their own).
    ///   - envFile: the `bot.env` file; a missing file is fine, `nil` reads none. Default: `bot.env`
    ///     in the working directory.
    /// - Throws: ``ConfigurationError`` whose description is one line naming the key (or `file:line`).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        envFile: URL? = URL(fileURLWithPath: "bot.env")
    ) throws(ConfigurationError) -> Configuration {
        var file = EnvFile()
        if let envFile { file = try EnvFile.read(envFile) }
        let raw = RawSettings(environment: environment, file: file, fileLocation: envFile?.path ?? "bot.env")
        return try Configuration(raw)
    }

    init(_ raw: RawSettings) throws(ConfigurationError) {
        // Steward core
        let dataPath = NSString(string: raw.string(.dataDir) ?? "./data").expandingTildeInPath
        dataDirectory = URL(fileURLWithPath: dataPath, isDirectory: true).standardizedFileURL
        database = try raw.database(dataDirectory: dataDirectory)
        httpHost = try raw.host() ?? "127.0.0.1"
        httpPort = try raw.integer(.httpPort, in: 1...65535, expected: "a port number 1-65535") ?? 8080
        let defaultPublicURL = "http://\(Self.reachableHost(forListening: httpHost)):\(httpPort)"
        publicURL = try raw.baseURL(.publicURL, fallback: defaultPublicURL)!
        secretKey = try raw.secretKey()
        defaultTimeZone = try raw.timeZone() ?? TimeZone.current.identifier
        owners = try raw.identities(.owners)
        allowedUsers = try raw.identities(.allowedUsers)
        let levels = Logger.Level.allCases.map(\.rawValue)
        logLevel = try raw.choice(.logLevel, levels) { Logger.Level(rawValue: $0) } ?? .info
        logFormat = try raw.choice(.logFormat, LogFormat.allCases.map(\.rawValue)) { LogFormat(rawValue: $0) }
            ?? .text

        // Telegram
        telegramBotToken = try raw.token(.telegramBotToken, expected: "the bot token from @BotFather") {
            $0.contains(where: { "/?#".contains($0) }) ? "contains /, ? or #" : nil
        }
        telegramAPIURL = try raw.baseURL(.telegramAPIURL, fallback: "https://api.telegram.org")!
        telegramMode = try raw.choice(.telegramMode, TelegramMode.allCases.map(\.rawValue)) {
            TelegramMode(rawValue: $0)
        } ?? .polling
        // Telegram allows 1-256; fewer than 16 could be guessed by whoever can reach the webhook.
        let webhookSecretRule = "16-256 characters from A-Z a-z 0-9 _ -"
        telegramWebhookSecret = try raw.token(.telegramWebhookSecret, expected: webhookSecretRule) { secret in
            guard (16...256).contains(secret.count) else { return "is \(secret.count) characters long" }
            let allowed = secret.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
            }
            return allowed ? nil : "contains other characters"
        }
        telegramRateLimit = try raw.integer(
            .telegramRateLimit, in: 0...Int.max, expected: "sends per second, a whole number >= 0 (0 = no limit)"
        ) ?? 30

        // Slack
        slackBotToken = try raw.token(.slackBotToken, expected: "a Slack bot token (xoxb-…)")
        slackSigningSecret = try raw.token(.slackSigningSecret, expected: "the Slack app's signing secret")
        slackAppToken = try raw.token(.slackAppToken, expected: "a Slack app-level token starting with xapp-") {
            $0.hasPrefix("xapp-") ? nil : "does not start with xapp-"
        }
        slackAPIURL = try raw.baseURL(.slackAPIURL, fallback: "https://slack.com/api")!

        // Matrix
        matrixHomeserverURL = try raw.baseURL(.matrixHomeserverURL, fallback: nil)
        matrixAccessToken = try raw.token(.matrixAccessToken, expected: "a Matrix access token")
        matrixUserID = raw.string(.matrixUserID)
        if let userID = matrixUserID {
            let parts = userID.dropFirst().split(separator: ":", maxSplits: 1)
            guard userID.hasPrefix("@"), parts.count == 2, !userID.contains(where: \.isWhitespace) else {
                throw .invalid(.matrixUserID, "a Matrix user id like @steward:example.org", got: userID)
            }
        }
        matrixPassword = raw.string(.matrixPassword)

        // LLM
        llmBaseURL = try raw.baseURL(.llmBaseURL, fallback: nil)
        llmAPIKey = try raw.token(.llmAPIKey, expected: "the API key of the LLM endpoint")
        llmModel = raw.string(.llmModel)?.trimmingCharacters(in: .whitespacesAndNewlines)
        llmDailyTokenBudget = try raw.integer(
            .llmDailyTokenBudget, in: 1...Int.max, expected: "a whole number of tokens per day > 0"
        )
        llmEmbeddingsModel = raw.string(.llmEmbeddingsModel)?.trimmingCharacters(in: .whitespacesAndNewlines)

        // Google
        googleClientID = raw.string(.googleClientID)?.trimmingCharacters(in: .whitespacesAndNewlines)
        googleClientSecret = try raw.token(.googleClientSecret, expected: "the OAuth client secret")
        googleAuthURL = try raw.baseURL(.googleAuthURL, fallback: "https://accounts.google.com/o/oauth2/v2/auth")!
        googleTokenURL = try raw.baseURL(.googleTokenURL, fallback: "https://oauth2.googleapis.com/token")!
        googleAPIURL = try raw.baseURL(.googleAPIURL, fallback: "https://www.googleapis.com")!

        calendarSyncSeconds = try raw.integer(
            .calendarSyncSeconds, in: 5...Int.max, expected: "a whole number of seconds >= 5"
        ) ?? 60
        testClockFile = raw.string(.testClockFile).map { URL(fileURLWithPath: $0) }
        metricsToken = try raw.token(.metricsToken, expected: "16 or more characters without spaces") { token in
            guard token.count >= 16 else { return "is \(token.count) characters long" }
            return token.contains(where: \.isWhitespace) ? "contains spaces" : nil
        }

        warnings = raw.warnings
        try checkDependencies()
    }

    /// The rules between keys; see ``load(environment:envFile:)``.
    private func checkDependencies() throws(ConfigurationError) {
        if telegramMode == .webhook, telegramWebhookSecret == nil {
            throw .missing(.telegramWebhookSecret,
                           "1-256 characters from A-Z a-z 0-9 _ - when TELEGRAM_MODE is webhook")
        }
        if slackAppToken != nil, slackBotToken == nil {
            throw .missing(.slackBotToken, "a Slack bot token (xoxb-…) when SLACK_APP_TOKEN is set")
        }
        if slackBotToken != nil, slackAppToken == nil, slackSigningSecret == nil {
            throw .missing(.slackSigningSecret,
                           "the Slack app's signing secret for the Events API (or SLACK_APP_TOKEN for Socket Mode)")
        }
        let matrixLogin = matrixAccessToken != nil || matrixUserID != nil || matrixPassword != nil
        if matrixHomeserverURL == nil, matrixLogin {
            throw .missing(.matrixHomeserverURL, "the homeserver's https:// URL when other MATRIX_ keys are set")
        }
        if matrixHomeserverURL != nil, matrixAccessToken == nil {
            if matrixUserID == nil {
                throw .missing(.matrixUserID,
                               "a Matrix user id like @steward:example.org (with MATRIX_PASSWORD), or MATRIX_ACCESS_TOKEN")
            }
            if matrixPassword == nil {
                throw .missing(.matrixPassword, "the password of MATRIX_USER_ID, or MATRIX_ACCESS_TOKEN")
            }
        }
        if llmBaseURL == nil, llmEmbeddingsModel != nil {
            throw .missing(.llmBaseURL, "the OpenAI-compatible endpoint that serves LLM_EMBEDDINGS_MODEL")
        }
        if llmBaseURL == nil, llmAPIKey != nil || llmModel != nil {
            throw .missing(.llmBaseURL,
                           "an OpenAI-compatible https:// URL such as https://api.openai.com/v1 when LLM_API_KEY or LLM_MODEL is set")
        }
        if llmBaseURL != nil, llmModel == nil {
            throw .missing(.llmModel, "a model name when LLM_BASE_URL is set")
        }
        if googleClientID != nil, googleClientSecret == nil {
            throw .missing(.googleClientSecret, "the OAuth client secret when GOOGLE_CLIENT_ID is set")
        }
        if googleClientSecret != nil, googleClientID == nil {
            throw .missing(.googleClientID, "the OAuth client id when GOOGLE_CLIENT_SECRET is set")
        }
    }

    /// Where a local browser or bot API reaches a listener bound to `host`: loopback for a wildcard,
    /// IPv6 literals bracketed.
    static func reachableHost(forListening host: String) -> String {
        switch host {
        case "0.0.0.0", "::", "[::]": "127.0.0.1"
        case _ where host.contains(":") && !host.hasPrefix("["): "[\(host)]"
        default: host
        }
    }
}
