import Foundation
import SlackAdapter
import StewardCore
import TelegramAdapter

/// The questions of `steward setup` and the values they produce. A value comes from (first wins) a flag,
/// the environment, the existing bot.env, the system; interactively each is offered as the default.
struct SetupWizard {
    var values: [String: String]
    let environment: [String: String]
    let options: SetupCommand
    let terminal: SetupTerminal
    let checks: SetupChecks

    static let tokenKeys: [(platform: String, key: String)] = [
        ("telegram", "TELEGRAM_BOT_TOKEN"), ("slack", "SLACK_BOT_TOKEN"), ("matrix", "MATRIX_ACCESS_TOKEN"),
    ]

    /// True when a chat platform is on and nobody is named as its owner.
    var needsOwner: Bool {
        Self.tokenKeys.contains { values[$0.key] != nil } && (values["STEWARD_OWNERS"] ?? "").isEmpty
    }

    private func current(_ key: String) -> String? {
        let found = environment[key] ?? values[key]
        return found?.isEmpty == false ? found : nil
    }

    private var defaultPlatforms: [String] {
        Self.tokenKeys.filter { current($0.key) != nil }.map(\.platform)
    }

    // MARK: Scripts

    /// `--non-interactive`: everything from flags and the environment; the first problem is one line, exit 2,
    /// and nothing is written.
    mutating func fromFlags() async throws {
        let platforms = try Self.platformList(options.platforms ?? defaultPlatforms.joined(separator: ","))
        for platform in ["telegram", "slack", "matrix"] where !platforms.contains(platform) { turnOff(platform) }
        for platform in platforms {
            switch platform {
            case "telegram":
                guard let token = current("TELEGRAM_BOT_TOKEN") else { throw missing("telegram", "TELEGRAM_BOT_TOKEN") }
                try await confirm(telegram: token)
            case "slack":
                guard let token = current("SLACK_BOT_TOKEN") else { throw missing("slack", "SLACK_BOT_TOKEN") }
                guard let signing = current("SLACK_SIGNING_SECRET") ?? current("SLACK_APP_TOKEN").map({ _ in "" }) else {
                    throw missing("slack", "SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")
                }
                try await confirm(slack: token, signing: signing, appToken: current("SLACK_APP_TOKEN"))
            default:
                guard let server = options.matrixHomeserver ?? current("MATRIX_HOMESERVER_URL") else {
                    throw missing("matrix", "--matrix-homeserver (or MATRIX_HOMESERVER_URL)")
                }
                guard let token = current("MATRIX_ACCESS_TOKEN") else { throw missing("matrix", "MATRIX_ACCESS_TOKEN") }
                try await confirm(matrix: token, homeserver: server)
            }
        }
        try setZone(options.timezone ?? current("STEWARD_TIMEZONE") ?? TimeZone.current.identifier)
        if let owners = options.owners { try setOwners(owners) }
        if let id = options.googleClientId {
            guard let secret = current("GOOGLE_CLIENT_SECRET") else {
                throw UsageError(message: "google: set GOOGLE_CLIENT_SECRET in the environment; nothing was written")
            }
            values["GOOGLE_CLIENT_ID"] = id
            values["GOOGLE_CLIENT_SECRET"] = secret
        }
        if let base = options.llmBaseUrl {
            try setModel(base: base, model: options.llmModel ?? current("LLM_MODEL") ?? "", key: current("LLM_API_KEY"))
        }
        if let url = options.publicUrl { try setURL("STEWARD_PUBLIC_URL", url) }
        ensureSecretKey()
    }

    // MARK: A person at a terminal

    mutating func interactively() async throws {
        let platforms: [String]
        while true {
            let answer = try ask("Chat platforms — telegram, slack, matrix (comma-separated; empty = terminal chat only)",
                                 default: defaultPlatforms.joined(separator: ","))
            do { platforms = try Self.platformList(answer); break } catch let error as UsageError {
                terminal.say(error.message)
            }
        }
        for platform in ["telegram", "slack", "matrix"] where !platforms.contains(platform) { turnOff(platform) }
        if platforms.contains("telegram") {
            terminal.say("\nTelegram. " + SetupLinks.telegram)
            try await retry { wizard in
                let token = try wizard.secret("Bot token", key: "TELEGRAM_BOT_TOKEN")
                try await wizard.confirm(telegram: token)
            }
        }
        if platforms.contains("slack") {
            terminal.say("\nSlack. " + SetupLinks.slack)
            try await retry { wizard in
                let token = try wizard.secret("Bot token (xoxb-…)", key: "SLACK_BOT_TOKEN")
                let signing = try wizard.secret("Signing secret", key: "SLACK_SIGNING_SECRET")
                let app = try wizard.secret("App-level token for Socket Mode (xapp-…, empty = Events API)",
                                            key: "SLACK_APP_TOKEN", optional: true)
                try await wizard.confirm(slack: token, signing: signing, appToken: app.isEmpty ? nil : app)
            }
        }
        if platforms.contains("matrix") {
            terminal.say("\nMatrix. " + SetupLinks.matrix)
            try await retry { wizard in
                let server = try wizard.ask("Homeserver URL", default: wizard.current("MATRIX_HOMESERVER_URL") ?? "")
                let token = try wizard.secret("Access token", key: "MATRIX_ACCESS_TOKEN")
                try await wizard.confirm(matrix: token, homeserver: server)
            }
        }
        if !platforms.isEmpty {
            try await retry { wizard in
                // Pairing means nobody has to hunt for their id: empty is a fine answer.
                let owners = try wizard.ask("\nYour own identity, the owner (e.g. telegram:123456; empty = pair: "
                                            + "steward run prints a one-use code to send the bot)",
                                            default: wizard.current("STEWARD_OWNERS") ?? "")
                try wizard.setOwners(owners)
            }
        }
        try await retry { wizard in
            try wizard.setZone(try wizard.ask("Time zone", default: wizard.current("STEWARD_TIMEZONE") ?? TimeZone.current.identifier))
        }
        try await retry { wizard in
            let id = try wizard.ask("\nGoogle Calendar and Gmail: OAuth client id (empty = skip; README \"Google Calendar\")",
                                    default: wizard.current("GOOGLE_CLIENT_ID") ?? "")
            guard !id.isEmpty else { return }
            wizard.values["GOOGLE_CLIENT_ID"] = id
            wizard.values["GOOGLE_CLIENT_SECRET"] = try wizard.secret("OAuth client secret", key: "GOOGLE_CLIENT_SECRET")
        }
        try await retry { wizard in
            let base = try wizard.ask("\nLanguage model: OpenAI-compatible base URL (empty = none, commands only)",
                                      default: wizard.current("LLM_BASE_URL") ?? "")
            guard !base.isEmpty else { return }
            let model = try wizard.ask("Model name", default: wizard.current("LLM_MODEL") ?? "")
            let key = try wizard.secret("API key (empty = none, e.g. for Ollama)", key: "LLM_API_KEY", optional: true)
            try wizard.setModel(base: base, model: model, key: key.isEmpty ? nil : key)
        }
        ensureSecretKey()
    }

    // MARK: Steps

    private mutating func confirm(telegram token: String) async throws {
        let base = options.telegramApiUrl ?? current("TELEGRAM_API_URL")
        let url = try base.map { try Self.url($0, "TELEGRAM_API_URL") } ?? HTTPTelegramClient.defaultBaseURL
        switch await checks.telegram(token: token, baseURL: url) {
        case .success(let name): terminal.say("✓ Telegram: the token belongs to \(name)")
        case .failure(let problem): throw UsageError(message: "telegram: \(problem); nothing was written")
        }
        values["TELEGRAM_BOT_TOKEN"] = token
        if let base { values["TELEGRAM_API_URL"] = base }
    }

    private mutating func confirm(slack token: String, signing: String, appToken: String?) async throws {
        let base = options.slackApiUrl ?? current("SLACK_API_URL")
        let url = try base.map { try Self.url($0, "SLACK_API_URL") } ?? HTTPSlackClient.defaultBaseURL
        switch await checks.slack(token: token, baseURL: url) {
        case .success(let name): terminal.say("✓ Slack: the token belongs to \(name)")
        case .failure(let problem): throw UsageError(message: "slack: \(problem); nothing was written")
        }
        values["SLACK_BOT_TOKEN"] = token
        values["SLACK_SIGNING_SECRET"] = signing.isEmpty ? nil : signing
        values["SLACK_APP_TOKEN"] = appToken
        if let base { values["SLACK_API_URL"] = base }
    }

    private mutating func confirm(matrix token: String, homeserver: String) async throws {
        let url = try Self.url(homeserver, "MATRIX_HOMESERVER_URL")
        switch await checks.matrix(token: token, homeserver: url) {
        case .success(let user): terminal.say("✓ Matrix: the token belongs to \(user)")
        case .failure(let problem): throw UsageError(message: "matrix: \(problem); nothing was written")
        }
        values["MATRIX_HOMESERVER_URL"] = homeserver
        values["MATRIX_ACCESS_TOKEN"] = token
    }

    private mutating func turnOff(_ platform: String) {
        let keys = ["telegram": ["TELEGRAM_BOT_TOKEN"], "slack": ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"],
                    "matrix": ["MATRIX_ACCESS_TOKEN", "MATRIX_USER_ID", "MATRIX_PASSWORD"]][platform] ?? []
        for key in keys { values[key] = nil }
    }

    private mutating func setZone(_ identifier: String) throws {
        guard TimeZone(identifier: identifier) != nil else {
            throw UsageError(message: "time zone: expected an IANA name such as Europe/Berlin or America/New_York, "
                             + "got \"\(identifier)\"")
        }
        values["STEWARD_TIMEZONE"] = identifier
    }

    private mutating func setOwners(_ text: String) throws {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for entry in entries where ChatIdentity(supported: entry) == nil {
            throw UsageError(message: "owner: expected platform:id such as telegram:123456 or slack:U0ABC, got \"\(entry)\"")
        }
        values["STEWARD_OWNERS"] = entries.isEmpty ? nil : entries.joined(separator: ",")
    }

    private mutating func setModel(base: String, model: String, key: String?) throws {
        try setURL("LLM_BASE_URL", base)
        guard !model.isEmpty else { throw UsageError(message: "model: LLM_MODEL is needed with LLM_BASE_URL (e.g. gpt-4o-mini, llama3.1)") }
        values["LLM_MODEL"] = model
        values["LLM_API_KEY"] = key
    }

    private mutating func setURL(_ key: String, _ text: String) throws {
        _ = try Self.url(text, key)
        values[key] = text
    }

    /// Kept when one exists: a new key would make every secret already stored unreadable.
    private mutating func ensureSecretKey() {
        if current("STEWARD_SECRET_KEY") != nil, values["STEWARD_SECRET_KEY"] != nil { return }
        values["STEWARD_SECRET_KEY"] = current("STEWARD_SECRET_KEY") ?? Configuration.generateSecretKey()
        terminal.say("STEWARD_SECRET_KEY: \(values["STEWARD_SECRET_KEY"] == environment["STEWARD_SECRET_KEY"] ? "taken from the environment" : "generated") (it encrypts stored tokens; keep bot.env safe)")
    }

    // MARK: Input

    private func ask(_ question: String, default value: String) throws -> String {
        guard let answer = terminal.ask(question, default: value) else { throw Self.inputEnded }
        return answer
    }

    private func secret(_ question: String, key: String, optional: Bool = false) throws -> String {
        let existing = current(key)
        while true {
            guard let answer = terminal.askSecret(question, keeping: existing != nil) else { throw Self.inputEnded }
            if !answer.isEmpty { return answer }
            if let existing { return existing }
            if optional { return "" }
            terminal.say("It is needed here; paste it (it won't show), or press Ctrl-C to stop.")
        }
    }

    /// Runs a step; a problem is shown and the step asked again (three tries), keeping what it set only on success.
    private mutating func retry(_ step: (inout SetupWizard) async throws -> Void) async throws {
        var lastProblem = ""
        for _ in 0..<3 {
            var attempt = self
            do {
                try await step(&attempt)
                self = attempt
                return
            } catch let error as UsageError {
                lastProblem = error.message.replacingOccurrences(of: "; nothing was written", with: "")
                terminal.say("✗ \(lastProblem) — try again")
            }
        }
        throw UsageError(message: "\(lastProblem); setup stopped after three tries, nothing was written")
    }

    private static let inputEnded = UsageError(message: "setup stopped: the input ended; nothing was written")

    private func missing(_ platform: String, _ what: String) -> UsageError {
        UsageError(message: "\(platform): set \(what) in the environment; nothing was written")
    }

    static func platformList(_ text: String) throws -> [String] {
        let names = text.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for name in names where !["telegram", "slack", "matrix"].contains(name) {
            throw UsageError(message: "platforms: expected telegram, slack or matrix, got \"\(name)\"")
        }
        return names
    }

    static func url(_ text: String, _ key: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false else {
            throw UsageError(message: "\(key): expected an http(s) URL, got \"\(text)\"")
        }
        return url
    }
}
