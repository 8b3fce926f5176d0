import Foundation

extension Configuration {
    /// One line per key, `KEY: value`, in the order of DESIGN.md's table, for `steward doctor`.
    ///
    /// Guarantees: secrets (tokens, passwords, signing secrets, keys) appear only as `set` / `not set`;
    /// credentials in the database URL are masked; unset optional keys read `not set`.
    public func redactedSummary() -> [String] {
        ConfigKey.allCases.map { key in "\(key.rawValue): \(summaryValue(key))" }
    }

    private func summaryValue(_ key: ConfigKey) -> String {
        func secret(_ value: Any?) -> String { value == nil ? "not set" : "set" }
        func optional(_ value: CustomStringConvertible?) -> String { value.map(\.description) ?? "not set" }
        func list(_ identities: [CustomStringConvertible]) -> String {
            identities.isEmpty ? "none" : identities.map(\.description).joined(separator: ",")
        }
        switch key {
        case .dataDir: return dataDirectory.path
        case .databaseURL:
            switch database {
            case .sqlite(let path): return "sqlite://\(path.path)"
            case .postgres(let url): return ConfigurationError.maskingCredentials(url)
            }
        case .httpHost: return httpHost
        case .httpPort: return String(httpPort)
        case .publicURL: return publicURL.absoluteString
        case .secretKey: return secret(secretKey)
        case .timeZone: return defaultTimeZone
        case .owners: return list(owners)
        case .allowedUsers: return list(allowedUsers)
        case .logLevel: return logLevel.rawValue
        case .logFormat: return logFormat.rawValue
        case .telegramBotToken: return secret(telegramBotToken)
        case .telegramAPIURL: return telegramAPIURL.absoluteString
        case .telegramMode: return telegramMode.rawValue
        case .telegramWebhookSecret: return secret(telegramWebhookSecret)
        case .telegramRateLimit: return telegramRateLimit == 0 ? "0 (no overall limit)" : "\(telegramRateLimit)/s"
        case .slackBotToken: return secret(slackBotToken)
        case .slackSigningSecret: return secret(slackSigningSecret)
        case .slackAppToken: return slackAppToken == nil ? "not set" : "set (Socket Mode)"
        case .slackAPIURL: return slackAPIURL.absoluteString
        case .matrixHomeserverURL: return optional(matrixHomeserverURL?.absoluteString)
        case .matrixAccessToken: return secret(matrixAccessToken)
        case .matrixUserID: return optional(matrixUserID)
        case .matrixPassword: return secret(matrixPassword)
        case .llmBaseURL: return llmBaseURL.map(\.absoluteString) ?? "not set (deterministic parser only)"
        case .llmAPIKey: return secret(llmAPIKey)
        case .llmModel: return optional(llmModel)
        case .llmDailyTokenBudget: return llmDailyTokenBudget.map(String.init) ?? "not set (no daily limit)"
        case .llmEmbeddingsModel: return llmEmbeddingsModel ?? "not set (memory search is full-text only)"
        case .googleClientID: return optional(googleClientID)
        case .googleClientSecret: return secret(googleClientSecret)
        case .googleAuthURL: return googleAuthURL.absoluteString
        case .googleTokenURL: return googleTokenURL.absoluteString
        case .googleAPIURL: return googleAPIURL.absoluteString
        case .calendarSyncSeconds: return "\(calendarSyncSeconds)s"
        case .metricsToken: return metricsToken == nil ? "not set (/metrics and /healthz are open on the HTTP host)" : "set"
        case .testClockFile: return testClockFile.map { "\($0.path) (a test clock, not the system's)" } ?? "not set"
        }
    }
}
