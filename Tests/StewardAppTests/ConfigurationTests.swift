import Foundation
import StewardCore
import Testing
import StewardApp

/// Loads from `environment` only (no env file).
private func load(_ environment: [String: String]) throws(ConfigurationError) -> Configuration {
    try Configuration.load(environment: environment, envFile: nil)
}

/// The error `load` throws for `environment`; records an issue when it does not throw.
private func failure(
    _ environment: [String: String], sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigurationError? {
    do {
        _ = try load(environment)
        Issue.record("expected a ConfigurationError for \(environment)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Writes `text` to a fresh temporary `bot.env` and returns its URL.
private func envFile(_ text: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("steward-config-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent("bot.env")
    try Data(text.utf8).write(to: url)
    return url
}

private let validKey = Data(repeating: 7, count: 32).base64EncodedString()

@Suite("Configuration defaults and sources")
struct ConfigurationSourceTests {
    @Test func defaultsWhenNothingIsSet() throws {
        let config = try load([:])
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        #expect(config.dataDirectory.path == cwd.appendingPathComponent("data").path)
        #expect(config.database == .sqlite(path: config.dataDirectory.appendingPathComponent("steward.sqlite")))
        #expect(config.httpHost == "127.0.0.1")
        #expect(config.httpPort == 8080)
        #expect(config.publicURL.absoluteString == "http://127.0.0.1:8080")
        #expect(config.secretKey == nil)
        #expect(config.defaultTimeZone == TimeZone.current.identifier)
        #expect(config.owners.isEmpty && config.allowedUsers.isEmpty)
        #expect(config.logLevel == .info)
        #expect(config.logFormat == .text)
        #expect(config.telegramBotToken == nil)
        #expect(config.telegramAPIURL.absoluteString == "https://api.telegram.org")
        #expect(config.telegramMode == .polling)
        #expect(config.telegramRateLimit == 30)
        #expect(config.slackAPIURL.absoluteString == "https://slack.com/api")
        #expect(config.matrixHomeserverURL == nil)
        #expect(config.llmBaseURL == nil && config.llmDailyTokenBudget == nil)
        #expect(config.googleAuthURL.absoluteString == "https://accounts.google.com/o/oauth2/v2/auth")
        #expect(config.googleTokenURL.absoluteString == "https://oauth2.googleapis.com/token")
        #expect(config.googleAPIURL.absoluteString == "https://www.googleapis.com")
        #expect(config.calendarSyncSeconds == 60)
        #expect(!config.hasChatPlatform)
    }

    @Test func missingEnvFileIsFine() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID()).env")
        let config = try Configuration.load(environment: ["STEWARD_HTTP_PORT": "9000"], envFile: missing)
        #expect(config.httpPort == 9000)
    }

    @Test func environmentWinsOverFileAndEmptyMeansUnset() throws {
        let file = try envFile("""
            STEWARD_HTTP_PORT=9000
            STEWARD_LOG_LEVEL=debug
            TELEGRAM_RATE_LIMIT=10
            STEWARD_LOG_FORMAT=
            """)
        let config = try Configuration.load(
            environment: ["STEWARD_HTTP_PORT": "9100", "STEWARD_LOG_LEVEL": "", "UNRELATED": "x"], envFile: file)
        #expect(config.httpPort == 9100)
        #expect(config.logLevel == .debug)  // empty in the environment → the file's value
        #expect(config.telegramRateLimit == 10)
        #expect(config.logFormat == .text)  // empty in the file → default
    }

    @Test func fileSyntaxQuotesCommentsAndExport() throws {
        let file = try envFile("""
            # Steward
            \u{20}
            export STEWARD_TIMEZONE="Europe/Berlin"
            STEWARD_HTTP_HOST = '0.0.0.0'   # listen everywhere
            STEWARD_OWNERS=telegram:1 # inline comment
            MATRIX_HOMESERVER_URL=https://matrix.example.org
            MATRIX_USER_ID=@steward:example.org
            MATRIX_PASSWORD="pa ss#word\\n\\"x\\""
            LLM_BASE_URL='http://localhost:11434/v1/'
            LLM_MODEL=llama3#not-a-comment\r
            export\tSTEWARD_LOG_FORMAT=json
            """)
        let config = try Configuration.load(environment: [:], envFile: file)
        #expect(config.defaultTimeZone == "Europe/Berlin")
        #expect(config.httpHost == "0.0.0.0")
        #expect(config.publicURL.absoluteString == "http://127.0.0.1:8080")
        #expect(config.owners == [ChatIdentity(platform: .telegram, userID: "1")])
        #expect(config.matrixPassword == "pa ss#word\n\"x\"")
        #expect(config.llmBaseURL?.absoluteString == "http://localhost:11434/v1")
        #expect(config.llmModel == "llama3#not-a-comment")
        #expect(config.logFormat == .json)
        #expect(config.hasMatrix && config.hasChatPlatform)
    }

    @Test func malformedLineNamesFileAndLineWithoutEchoingIt() throws {
        let file = try envFile("STEWARD_HTTP_PORT=8080\n\nTELEGRAM_BOT_TOKEN 123:SUPERSECRET\n")
        let error = #expect(throws: ConfigurationError.self) {
            try Configuration.load(environment: [:], envFile: file)
        }
        #expect(error?.key == "\(file.path):3")
        #expect(error?.description.contains("SUPERSECRET") == false)
    }

    @Test(arguments: [
        "KEY=\"unterminated",
        "KEY='unterminated",
        "KEY=\"a\" trailing",
        "1KEY=x",
        "MY KEY=x",
        "=x",
    ])
    func malformedLines(line: String) throws {
        let file = try envFile("# first\n\(line)\n")
        let error = #expect(throws: ConfigurationError.self) {
            try Configuration.load(environment: [:], envFile: file)
        }
        #expect(error?.key == "\(file.path):2")
    }

    @Test func unknownFileKeysBecomeWarnings() throws {
        let file = try envFile("TELEGRAM_TOKEN=abc\nSTEWARD_HTTP_PORT=8081\n")
        let config = try Configuration.load(environment: [:], envFile: file)
        #expect(config.warnings == ["\(file.path):1: unknown key TELEGRAM_TOKEN is ignored"])
    }

    @Test func exampleFileCoversEveryKeyAndStartsConsoleOnly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let example = root.appendingPathComponent("bot.env.example")
        let text = try String(contentsOf: example, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for key in Configuration.knownKeys {
            // Listed, but commented out: an empty `KEY=` would override a default (the image's, the system's).
            #expect(lines.contains { $0.hasPrefix("# \(key)=") }, "bot.env.example lacks # \(key)=")
            #expect(!lines.contains { $0.hasPrefix("\(key)=") }, "bot.env.example sets \(key)")
        }
        let config = try Configuration.load(environment: [:], envFile: example)
        #expect(!config.hasChatPlatform)
        #expect(config.warnings.isEmpty)
    }
}

@Suite("Configuration values")
struct ConfigurationValueTests {
    /// Every class of malformed value names its own key, and the description is one line.
    @Test(arguments: [
        ("STEWARD_HTTP_PORT", "80a"), ("STEWARD_HTTP_PORT", "0"), ("STEWARD_HTTP_PORT", "65536"),
        ("STEWARD_HTTP_PORT", "-1"), ("STEWARD_HTTP_HOST", "http://0.0.0.0"),
        ("STEWARD_PUBLIC_URL", "example.org"), ("STEWARD_PUBLIC_URL", "ftp://example.org"),
        ("STEWARD_PUBLIC_URL", "http://"), ("STEWARD_PUBLIC_URL", "https://example.org/?a=b"),
        ("TELEGRAM_API_URL", "file:///tmp/x"), ("SLACK_API_URL", "ws://slack.example"),
        ("MATRIX_HOMESERVER_URL", "matrix.example.org"), ("LLM_BASE_URL", "localhost:11434"),
        ("GOOGLE_AUTH_URL", "javascript:alert(1)"), ("GOOGLE_TOKEN_URL", "http://x:99999/token"),
        ("GOOGLE_API_URL", "https://exa mple.com"),
        ("STEWARD_DATABASE_URL", "mysql://u@h/db"), ("STEWARD_DATABASE_URL", "sqlite://host/file.db"),
        ("STEWARD_DATABASE_URL", "sqlite:"), ("STEWARD_DATABASE_URL", "postgres:///db"),
        ("STEWARD_TIMEZONE", "Mars/Olympus_Mons"), ("STEWARD_TIMEZONE", "europe/berlin"),
        ("STEWARD_OWNERS", "telegram:1,icq:5"), ("STEWARD_ALLOWED_USERS", "slack:"),
        ("STEWARD_ALLOWED_USERS", "12345"),
        ("STEWARD_LOG_LEVEL", "verbose"), ("STEWARD_LOG_FORMAT", "xml"),
        ("TELEGRAM_MODE", "push"), ("TELEGRAM_RATE_LIMIT", "-1"), ("TELEGRAM_RATE_LIMIT", "fast"),
        ("LLM_DAILY_TOKEN_BUDGET", "0"), ("LLM_DAILY_TOKEN_BUDGET", "1e6"),
        ("STEWARD_CALENDAR_SYNC_SECONDS", "4"), ("STEWARD_CALENDAR_SYNC_SECONDS", "1m"),
        ("MATRIX_USER_ID", "steward"), ("STEWARD_SECRET_KEY", "not base64!"),
        ("STEWARD_SECRET_KEY", Data(count: 16).base64EncodedString()),
        ("SLACK_APP_TOKEN", "xoxb-123"), ("TELEGRAM_WEBHOOK_SECRET", "has spaces?"),
        ("TELEGRAM_WEBHOOK_SECRET", String(repeating: "a", count: 257)),
        // Telegram would take it, but 15 characters are too few to keep strangers off the webhook.
        ("TELEGRAM_WEBHOOK_SECRET", String(repeating: "a", count: 15)),
        ("TELEGRAM_BOT_TOKEN", "123:abc/def"),
    ])
    func malformedValueNamesItsKey(key: String, value: String) throws {
        let error = try #require(failure([key: value]))
        #expect(error.key == key)
        #expect(error.description.hasPrefix("\(key): expected "))
        #expect(!error.description.contains("\n"))
    }

    @Test func nonSecretValuesAreEchoedQuoted() throws {
        let error = try #require(failure(["STEWARD_HTTP_PORT": "80a"]))
        #expect(error.description == #"STEWARD_HTTP_PORT: expected a port number 1-65535, got "80a""#)
        let owners = try #require(failure(["STEWARD_OWNERS": " telegram:1 , icq:5 "]))
        #expect(owners.description.contains(#"got "icq:5""#))
    }

    @Test func secretValuesNeverAppearInErrors() throws {
        let marker = "SUPERSECRET"
        let cases: [[String: String]] = [
            ["STEWARD_SECRET_KEY": marker],
            ["STEWARD_SECRET_KEY": Data("\(marker)\(marker)".utf8).base64EncodedString()],
            ["TELEGRAM_BOT_TOKEN": "123:\(marker) x"],
            ["TELEGRAM_WEBHOOK_SECRET": "\(marker)!"],
            ["SLACK_BOT_TOKEN": "xoxb-\(marker) x", "SLACK_SIGNING_SECRET": "s"],
            ["SLACK_SIGNING_SECRET": "\(marker) x"],
            ["SLACK_APP_TOKEN": "xoxp-\(marker)", "SLACK_BOT_TOKEN": "xoxb-1"],
            ["MATRIX_ACCESS_TOKEN": "\(marker) x"],
            ["LLM_API_KEY": "sk-\(marker) x"],
            ["GOOGLE_CLIENT_SECRET": "\(marker) x"],
            ["STEWARD_DATABASE_URL": "postgres://steward:\(marker)@/db"],
            ["STEWARD_DATABASE_URL": "postgres://steward:\(marker)/x@db host/steward"],
            ["LLM_BASE_URL": "http://user:\(marker)@llm.example/?x=1"],
        ]
        for environment in cases {
            let error = try #require(failure(environment))
            #expect(!error.description.contains(marker), "\(error.description)")
        }
    }

    @Test func secretKeyMustBe32Base64Bytes() throws {
        let config = try load(["STEWARD_SECRET_KEY": validKey])
        #expect(config.secretKey == Data(repeating: 7, count: 32))
        let short = try #require(failure(["STEWARD_SECRET_KEY": Data(count: 31).base64EncodedString()]))
        #expect(short.description.contains("decodes to 31 bytes"))
    }

    @Test func generatedSecretKeyLoads() throws {
        let first = Configuration.generateSecretKey()
        let second = Configuration.generateSecretKey()
        #expect(first != second)
        #expect(Data(base64Encoded: first)?.count == 32)
        #expect(try load(["STEWARD_SECRET_KEY": first]).secretKey?.count == 32)
    }

    @Test func identitiesTolerateWhitespaceDuplicatesAndEmptyEntries() throws {
        let config = try load([
            "STEWARD_OWNERS": " telegram:123456 ,slack:U0ABC,, telegram:123456,",
            "STEWARD_ALLOWED_USERS": "matrix:@bob:example.org",
        ])
        #expect(config.owners == [
            ChatIdentity(platform: .telegram, userID: "123456"), ChatIdentity(platform: .slack, userID: "U0ABC"),
        ])
        #expect(config.allowedUsers == [ChatIdentity(platform: .matrix, userID: "@bob:example.org")])
    }

    @Test func databaseLocations() throws {
        let data = "/var/lib/steward"
        func database(_ url: String) throws -> Configuration.DatabaseLocation {
            try load(["STEWARD_DATA_DIR": data, "STEWARD_DATABASE_URL": url]).database
        }
        #expect(try database("sqlite:///srv/steward.db") == .sqlite(path: URL(fileURLWithPath: "/srv/steward.db")))
        #expect(try database("sqlite:db/main.sqlite")
            == .sqlite(path: URL(fileURLWithPath: "/var/lib/steward/db/main.sqlite")))
        #expect(try database("sqlite:///my%20dir/s.db") == .sqlite(path: URL(fileURLWithPath: "/my dir/s.db")))
        let postgres = "postgres://steward:pw@db.local:5432/steward"
        #expect(try database(postgres) == .postgres(url: postgres))
        #expect(try database("postgresql://db.local/steward") == .postgres(url: "postgresql://db.local/steward"))
        #expect(try load(["STEWARD_DATA_DIR": data]).database
            == .sqlite(path: URL(fileURLWithPath: "/var/lib/steward/steward.sqlite")))
    }

    @Test func publicURLFollowsPortAndDropsTrailingSlash() throws {
        #expect(try load(["STEWARD_HTTP_PORT": "9090"]).publicURL.absoluteString == "http://127.0.0.1:9090")
        #expect(try load(["STEWARD_HTTP_HOST": "::1"]).publicURL.absoluteString == "http://[::1]:8080")
        let given = try load(["STEWARD_PUBLIC_URL": "https://bot.example.org/steward/"])
        #expect(given.publicURL.absoluteString == "https://bot.example.org/steward")
    }

    @Test func parsesEveryChoice() throws {
        let config = try load([
            "STEWARD_LOG_LEVEL": "TRACE", "STEWARD_LOG_FORMAT": "json", "TELEGRAM_RATE_LIMIT": "0",
            "LLM_BASE_URL": "https://api.openai.com/v1", "LLM_MODEL": "gpt-4o-mini",
            "LLM_DAILY_TOKEN_BUDGET": "200000", "STEWARD_CALENDAR_SYNC_SECONDS": "5",
            "STEWARD_TIMEZONE": "America/New_York",
        ])
        #expect(config.logLevel == .trace)
        #expect(config.logFormat == .json)
        #expect(config.telegramRateLimit == 0)
        #expect(config.llmDailyTokenBudget == 200_000 && config.hasLLM)
        #expect(config.calendarSyncSeconds == 5)
        #expect(config.defaultTimeZone == "America/New_York")
    }
}

@Suite("Configuration rules between keys")
struct ConfigurationRuleTests {
    @Test func webhookModeRequiresTheSecret() throws {
        let error = try #require(failure(["TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_MODE": "webhook"]))
        #expect(error.key == "TELEGRAM_WEBHOOK_SECRET")
        let config = try load([
            "TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_MODE": "Webhook", "TELEGRAM_WEBHOOK_SECRET": "s3cret_-X-0123456789",
        ])
        #expect(config.telegramMode == .webhook && config.telegramWebhookSecret == "s3cret_-X-0123456789")
        #expect(config.hasChatPlatform)
    }

    @Test(arguments: [
        (["SLACK_BOT_TOKEN": "xoxb-1"], "SLACK_SIGNING_SECRET"),
        (["SLACK_APP_TOKEN": "xapp-1"], "SLACK_BOT_TOKEN"),
        (["MATRIX_ACCESS_TOKEN": "t"], "MATRIX_HOMESERVER_URL"),
        (["MATRIX_HOMESERVER_URL": "https://m.example"], "MATRIX_USER_ID"),
        (["MATRIX_HOMESERVER_URL": "https://m.example", "MATRIX_USER_ID": "@s:m.example"], "MATRIX_PASSWORD"),
        (["LLM_API_KEY": "sk-1"], "LLM_BASE_URL"),
        (["LLM_BASE_URL": "http://localhost:11434/v1"], "LLM_MODEL"),
        (["GOOGLE_CLIENT_ID": "id"], "GOOGLE_CLIENT_SECRET"),
        (["GOOGLE_CLIENT_SECRET": "s"], "GOOGLE_CLIENT_ID"),
    ])
    func missingCompanionIsNamed(environment: [String: String], key: String) throws {
        let error = try #require(failure(environment))
        #expect(error.key == key)
        #expect(error.description.hasPrefix("\(key): expected "))
    }

    @Test func completePlatformsLoad() throws {
        let config = try load([
            "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1",
            "MATRIX_HOMESERVER_URL": "https://m.example", "MATRIX_ACCESS_TOKEN": "syt_abc",
            "GOOGLE_CLIENT_ID": "id.apps.googleusercontent.com", "GOOGLE_CLIENT_SECRET": "GOCSPX-1",
        ])
        #expect(config.slackUsesSocketMode && config.hasMatrix && config.hasGoogle && config.hasChatPlatform)
    }

    @Test func summaryShowsEveryKeyAndHidesSecrets() throws {
        let secrets = [
            "STEWARD_SECRET_KEY": validKey, "TELEGRAM_BOT_TOKEN": "1:tg-s3krit", "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": "wh-s3krit-0123456789", "SLACK_BOT_TOKEN": "xoxb-s3krit",
            "SLACK_SIGNING_SECRET": "sign-s3krit", "SLACK_APP_TOKEN": "xapp-s3krit",
            "MATRIX_HOMESERVER_URL": "https://m.example", "MATRIX_USER_ID": "@s:m.example",
            "MATRIX_PASSWORD": "pw-s3krit", "MATRIX_ACCESS_TOKEN": "mx-s3krit",
            "LLM_BASE_URL": "http://localhost:11434/v1", "LLM_MODEL": "llama3", "LLM_API_KEY": "sk-s3krit",
            "GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "g-s3krit",
            "STEWARD_DATABASE_URL": "postgres://steward:db-s3krit@db:5432/steward",
        ]
        let summary = try load(secrets).redactedSummary()
        #expect(summary.count == Configuration.knownKeys.count)
        for (line, key) in zip(summary, Configuration.knownKeys) {
            #expect(line.hasPrefix("\(key): "))
            #expect(!line.contains("s3krit"), "\(line)")
            #expect(!line.contains(validKey))
        }
        #expect(summary.contains("TELEGRAM_BOT_TOKEN: set"))
        #expect(summary.contains("STEWARD_DATABASE_URL: postgres://***@db:5432/steward"))
        #expect(try load([:]).redactedSummary().contains("STEWARD_SECRET_KEY: not set"))
    }
}
