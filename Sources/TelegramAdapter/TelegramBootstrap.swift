import Foundation
import Logging
import StewardCore
import StewardHTTP

/// What Steward tells Telegram at start-up, before polling or serving the webhook:
/// 1. `getMe`: who the bot is (its username decides which `/cmd@Bot` and mentions are ours);
/// 2. `setMyCommands` with every chat command and its one-line summary (best effort: a failure is logged);
/// 3. polling mode: `deleteWebhook` *keeping* pending updates, so switching from webhook loses nothing;
///    webhook mode: `setWebhook` with the secret token and the update types Steward handles.
///
/// Transient failures (network, 5xx, 429) are retried through the shared pipeline (`RemoteCall`: the
/// server's `retry_after`, else capped full-jitter backoff) until they succeed or the task is cancelled;
/// a wrong token or a refused webhook URL throws, since waiting will not fix it.
public struct TelegramBootstrap: Sendable {
    public enum Mode: Sendable, Equatable {
        case polling
        /// `url` is `<STEWARD_PUBLIC_URL>/telegram/webhook`.
        case webhook(url: URL, secretToken: String)
    }

    private let client: any TelegramClient
    private let mode: Mode
    private let commands: [ChatCommand]
    private let remote: RemoteCall
    private let logger: Logger

    public init(client: any TelegramClient, mode: Mode, commands: [ChatCommand] = ChatCommand.all,
                backoff: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: .seconds(30)),
                clock: any RemoteClock = ContinuousRemoteClock(),
                logger: Logger = Logger(label: "steward.telegram")) {
        self.client = client
        self.mode = mode
        self.commands = commands
        self.remote = RemoteCall(policy: backoff, clock: clock)
        self.logger = logger
    }

    /// Runs the steps and returns the bot's own user (for `TelegramNormalizer(bot:)`).
    public func run() async throws -> TelegramUser {
        let me: TelegramUser = try await retrying("getMe") { try await client.getMe() }
        logger.info("Telegram bot identified", metadata: ["username": "\(me.username ?? "?")", "id": "\(me.id)"])
        do {
            try await retrying("setMyCommands") { try await client.setMyCommands(Self.botCommands(from: commands)) }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning("Telegram refused the command list; commands still work, the menu may be stale",
                           metadata: ["error": "\(error)"])
        }
        switch mode {
        case .polling:
            try await retrying("deleteWebhook") { try await client.deleteWebhook(dropPendingUpdates: false) }
        case .webhook(let url, let secret):
            let request = SetWebhookRequest(url: url.absoluteString, secretToken: secret,
                                            allowedUpdates: TelegramUpdateSource.allowedUpdates)
            try await retrying("setWebhook") { try await client.setWebhook(request) }
            logger.info("Telegram webhook set", metadata: ["url": "\(url.absoluteString)"])
        }
        return me
    }

    /// Telegram's rules: command 1–32 characters of `a-z0-9_`, description 1–256 characters.
    public static func botCommands(from commands: [ChatCommand]) -> [TelegramBotCommand] {
        commands.compactMap { botCommand(name: $0.name, summary: $0.summary, usage: $0.usage) }
    }

    static func botCommand(name: String, summary: String, usage: String) -> TelegramBotCommand? {
        let command = String(name.lowercased().filter { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }.prefix(32))
        guard !command.isEmpty else { return nil }
        var description = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty { description = usage }
        if description.count > 256 { description = String(description.prefix(255)) + "…" }
        return TelegramBotCommand(command: command, description: description)
    }

    @discardableResult
    private func retrying<T: Sendable>(_ step: String, _ call: () async throws -> T) async throws -> T {
        try await remote.run(classify: TelegramError.classify, willRetry: { failure, wait, _ in
            logger.warning("Telegram \(step) failed; retrying", metadata: ["error": "\(failure.detail)", "retryIn": "\(wait)"])
        }) { _ in try await call() }
    }
}
