import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StewardCore
import StewardHTTP
import StewardServer
import TelegramAdapter

/// `steward run` with a chat platform configured: every loop is a `Service` in one `ServiceGroup`,
/// so SIGTERM/SIGINT stop them gracefully (exit 0) and a crash of one stops the process (exit 1).
struct PlatformRuntime {
    let configuration: Configuration

    func run() async throws {
        guard let token = configuration.telegramBotToken else {
            throw UsageError(message: "only Telegram is supported as a chat platform in this build: set "
                             + "TELEGRAM_BOT_TOKEN, or use the terminal chat with `steward run --console`")
        }
        var telegram: (client: HTTPTelegramClient, channel: TelegramDeliveryChannel)?
        let services = try Services(configuration: configuration, channels: { http in
            let client = HTTPTelegramClient(token: token, baseURL: configuration.telegramAPIURL, transport: http)
            let channel = TelegramDeliveryChannel(
                client: client, limits: .init(globalPerSecond: configuration.telegramRateLimit))
            telegram = (client, channel)
            return ([channel], [.telegram: channel])
        }, consoleIdentity: nil, statusPlatforms: [.telegram])
        guard let telegram else { return }
        do {
            try await run(services, telegram: telegram)
            await services.shutdown()
        } catch {
            await services.shutdown()
            throw RuntimeFailure(message: "\(error)")
        }
    }

    private func run(_ services: Services,
                     telegram: (client: HTTPTelegramClient, channel: TelegramDeliveryChannel)) async throws {
        let logger = Logger(label: "steward")
        await services.recover()

        let mode: TelegramBootstrap.Mode = switch configuration.telegramMode {
        case .polling: .polling
        case .webhook: .webhook(url: configuration.publicURL.appendingPathComponent("telegram/webhook"),
                                secretToken: configuration.telegramWebhookSecret ?? "")
        }
        let bot = try await TelegramBootstrap(client: telegram.client, mode: mode).run()
        let normalizer = TelegramNormalizer(bot: bot)

        let router = StewardServer.buildRouter(
            health: { await Self.healthProblems(services) },
            metrics: { await Self.metrics(services) })
        if case .webhook = mode {
            router.addTelegramWebhook(receiver: TelegramWebhookReceiver(
                secret: configuration.telegramWebhookSecret ?? "", normalizer: normalizer, sink: services.processor))
        }
        let server = Application(router: router, configuration: .init(
            address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "steward"),
            logger: logger)

        var loops: [any Service] = [
            server,
            LoopService { await services.processor.run() },
            LoopService { await services.dispatcher.run() },
            LoopService { await services.scheduler.run() },
        ]
        if mode == .polling {
            let source = TelegramUpdateSource(client: telegram.client, normalizer: normalizer,
                                              sink: services.processor, state: services.store)
            loops.append(LoopService { try await source.run() })
        }
        let group = ServiceGroup(configuration: .init(
            services: loops.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("Steward is running", metadata: ["telegram": "@\(bot.username ?? "?")",
                                                     "mode": "\(configuration.telegramMode.rawValue)"])
        try await group.run()
    }

    static func healthProblems(_ services: Services) async -> [String] {
        var problems: [String] = []
        if services.configuration.telegramMode == .polling,
           let text = try? await services.store.value(TelegramUpdateSource.lastPollKey),
           let last = ISO8601DateFormatter().date(from: text), Date().timeIntervalSince(last) > 120 {
            problems.append("telegram: no successful poll for \(Int(Date().timeIntervalSince(last))) s")
        }
        return problems
    }

    static func metrics(_ services: Services) async -> String {
        let pending = (try? await services.store.pendingCount()) ?? -1
        var lines = [
            "# HELP steward_outbox_pending Deliveries stored and not yet sent.",
            "# TYPE steward_outbox_pending gauge",
            "steward_outbox_pending \(pending)",
        ]
        if let text = try? await services.store.value(TelegramUpdateSource.lastPollKey),
           let last = ISO8601DateFormatter().date(from: text) {
            lines += ["# HELP steward_telegram_last_poll_seconds Unix time of the last successful getUpdates.",
                      "# TYPE steward_telegram_last_poll_seconds gauge",
                      "steward_telegram_last_poll_seconds \(Int(last.timeIntervalSince1970))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A background loop as a `Service`: cancelled when graceful shutdown begins.
struct LoopService: Service {
    let body: @Sendable () async throws -> Void
    init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
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
            report(false, "telegram: \(error)")
        }
    }
}
