import ArgumentParser
import Foundation

/// `steward setup`: writes `bot.env` by asking (or, with `--non-interactive`, from flags and the
/// environment), checks every token against its platform live, then runs `steward doctor`.
///
/// Secrets never appear on the command line (anyone can read another process's arguments) and are never
/// printed: typed with the terminal's echo off, or read from their usual environment variables
/// (`TELEGRAM_BOT_TOKEN`, `SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`, `SLACK_APP_TOKEN`,
/// `MATRIX_ACCESS_TOKEN`, `GOOGLE_CLIENT_SECRET`, `LLM_API_KEY`) in scripts. An existing `bot.env` is
/// kept and updated: keys setup doesn't ask about stay as they were, and so does `STEWARD_SECRET_KEY`
/// (a new key would make every stored secret unreadable).
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Write bot.env step by step: chat platforms (tokens checked live), time zone, owner, secret key, "
            + "optional Google and model; then run doctor.",
        discussion: "Secrets are typed with echo off, or in --non-interactive mode read from their environment "
            + "variables (TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, "
            + "MATRIX_ACCESS_TOKEN, GOOGLE_CLIENT_SECRET, LLM_API_KEY) — never from the command line.")

    @Option(name: .customLong("env-file"), help: "The file to write.") var envFile = "bot.env"
    @Flag(help: "Ask nothing: take flags and environment variables; fail with one line if something is wrong.")
    var nonInteractive = false
    @Option(help: "Comma-separated: telegram, slack, matrix (default: those whose token is in the environment).")
    var platforms: String?
    @Option(help: "IANA time zone, e.g. Europe/Berlin (default: the system's).") var timezone: String?
    @Option(help: "Owner identities, e.g. telegram:123456,slack:U0ABC.") var owners: String?
    @Option(help: "Telegram Bot API base URL (a self-hosted server or a test fake).") var telegramApiUrl: String?
    @Option(help: "Slack Web API base URL.") var slackApiUrl: String?
    @Option(help: "Matrix homeserver URL, e.g. https://matrix.example.org.") var matrixHomeserver: String?
    @Option(help: "Google OAuth client id (the secret comes from GOOGLE_CLIENT_SECRET).") var googleClientId: String?
    @Option(help: "OpenAI-compatible model endpoint, e.g. http://127.0.0.1:11434/v1.") var llmBaseUrl: String?
    @Option(help: "Model name on that endpoint.") var llmModel: String?
    @Option(help: "External base URL for webhooks and the Google sign-in redirect.") var publicUrl: String?
    @Flag(help: "Don't run doctor at the end.") var skipDoctor = false

    func run() async throws {
        let file = URL(fileURLWithPath: envFile)
        var values = try EnvFile.read(file).values
        let environment = ProcessInfo.processInfo.environment
        let terminal = SetupTerminal()
        let checker = SetupChecks()
        defer { Task { await checker.shutdown() } }
        var wizard = SetupWizard(values: values, environment: environment, options: self, terminal: terminal,
                                 checks: checker)
        if nonInteractive {
            try await wizard.fromFlags()
        } else {
            terminal.say("Steward setup — writes \(file.path). Secrets you type are not shown. Ctrl-C stops "
                         + "without writing anything.")
            try await wizard.interactively()
        }
        values = wizard.values
        try SetupFile.write(values, to: file)
        terminal.say("Wrote \(file.path) (\(values.count) settings; secrets not shown). "
                     + "Edit it any time; bot.env.example explains every key.")
        if wizard.needsOwner {
            terminal.say("No owner yet: add STEWARD_OWNERS=<platform>:<your id> to \(file.path) — "
                         + "README, \"On Telegram\", says how to find your id.")
        }
        guard !skipDoctor else { return }
        terminal.say("\nRunning steward doctor:")
        var doctor = try DoctorCommand.parse(["--env-file", file.path])
        try await doctor.run()
    }
}

/// Where setup's links point; the same pages the README names.
enum SetupLinks {
    static let telegram = "Create a bot: message @BotFather (https://t.me/BotFather), send /newbot, and copy the token it gives you."
    static let slack = "Create a Slack app from deploy/slack-app-manifest.yaml (https://api.slack.com/apps?new_app=1 → "
        + "From a manifest), install it, then copy the Bot User OAuth Token (xoxb-…) and the Signing Secret."
    static let matrix = "Make an account for Steward on your homeserver and copy its access token "
        + "(Element: Settings → Help & About → Access Token)."
}
