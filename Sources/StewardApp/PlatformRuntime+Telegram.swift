import Foundation
import Hummingbird
import StewardCore
import StewardHTTP
import StewardServer
import TelegramAdapter

/// Telegram's part of the runtime: the client and channel made with the shared HTTP transport, then at
/// start the bootstrap (getMe, commands, webhook or not) and either the webhook route or the poll loop.
struct TelegramParts {
    let configuration: Configuration
    let client: HTTPTelegramClient
    let channel: TelegramDeliveryChannel

    init(token: String, configuration: Configuration, http: AsyncHTTPTransport) {
        self.configuration = configuration
        client = HTTPTelegramClient(token: token, baseURL: configuration.telegramAPIURL, transport: http.measured(as: "telegram"))
        channel = TelegramDeliveryChannel(client: client,
                                          limits: .init(globalPerSecond: configuration.telegramRateLimit))
    }

    func start(_ services: Services, into started: inout PlatformRuntime.Started) async throws {
        let mode: TelegramBootstrap.Mode = switch configuration.telegramMode {
        case .polling: .polling
        case .webhook: .webhook(url: configuration.publicURL.appendingPathComponent("telegram/webhook"),
                                secretToken: configuration.telegramWebhookSecret ?? "")
        }
        let bot = try await TelegramBootstrap(client: client, mode: mode, commands: ChatCommand.catalogue(for: .standard)).run()
        let normalizer = TelegramNormalizer(bot: bot)
        started.names.append("telegram @\(bot.username ?? "?") (\(configuration.telegramMode.rawValue))")
        if case .webhook = mode {
            let receiver = TelegramWebhookReceiver(secret: configuration.telegramWebhookSecret ?? "",
                                                   normalizer: normalizer, sink: services.processor)
            started.routes.append { $0.addTelegramWebhook(receiver: receiver) }
        } else {
            let source = TelegramUpdateSource(client: client, normalizer: normalizer, sink: services.processor,
                                              state: services.store)
            started.services.append(LoopService { try await source.run() })
        }
    }
}

/// `steward doctor`'s Telegram line: the token works and the API answers.
enum TelegramDoctor {
    static func check(_ configuration: Configuration, http: AsyncHTTPTransport, report: (Bool, String) -> Void) async {
        guard let token = configuration.telegramBotToken else { return }
        let client = HTTPTelegramClient(token: token, baseURL: configuration.telegramAPIURL, transport: http,
                                        defaultTimeout: .seconds(10))
        do {
            let me = try await client.getMe()
            report(true, "telegram: @\(me.username ?? "?") at \(configuration.telegramAPIURL.absoluteString)")
        } catch {
            report(false, "telegram: \(DoctorChecks.describe(error)) — fix: check TELEGRAM_BOT_TOKEN in bot.env (run: steward setup)")
        }
    }
}
