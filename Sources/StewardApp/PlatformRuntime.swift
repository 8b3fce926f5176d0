import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StewardCore
import StewardHTTP
import StewardServer
import TelegramAdapter

/// `steward run` with chat platforms configured: every loop is a `Service` in one `ServiceGroup`,
/// so SIGTERM/SIGINT stop them gracefully (exit 0) and a crash of one stops the process (exit 1).
struct PlatformRuntime {
    let configuration: Configuration

    /// What each platform contributes once connected: HTTP routes, loops, its name for the log.
    struct Started {
        var services: [any Service] = []
        var routes: [@Sendable (Router<BasicRequestContext>) -> Void] = []
        var names: [String] = []
    }

    func run() async throws {
        guard configuration.telegramBotToken != nil || configuration.slackBotToken != nil else {
            throw UsageError(message: "Matrix is not supported by this build yet: set TELEGRAM_BOT_TOKEN or "
                             + "SLACK_BOT_TOKEN, or use the terminal chat with `steward run --console`")
        }
        var telegram: TelegramParts?
        var slack: SlackParts?
        var platforms: [Platform] = []
        if configuration.telegramBotToken != nil { platforms.append(.telegram) }
        if configuration.slackBotToken != nil { platforms.append(.slack) }
        let services = try Services(configuration: configuration, channels: { http in
            var channels: [any DeliveryChannel] = []
            var presence: [Platform: any ChatPresence] = [:]
            if let token = configuration.telegramBotToken {
                let parts = TelegramParts(token: token, configuration: configuration, http: http)
                channels.append(parts.channel)
                presence[.telegram] = parts.channel
                telegram = parts
            }
            if let token = configuration.slackBotToken {
                let parts = SlackParts(token: token, configuration: configuration, http: http)
                channels.append(parts.channel)
                slack = parts
            }
            return (channels, presence)
        }, consoleIdentity: nil, statusPlatforms: platforms)
        do {
            try await run(services, telegram: telegram, slack: slack)
            await services.shutdown()
        } catch {
            await services.shutdown()
            throw RuntimeFailure(message: "\(error)")
        }
    }

    private func run(_ services: Services, telegram: TelegramParts?, slack: SlackParts?) async throws {
        let logger = Logger(label: "steward")
        await services.recover()
        var started = Started()
        if let telegram { try await telegram.start(services, into: &started) }
        if let slack { try await slack.start(services, into: &started) }

        let router = StewardServer.buildRouter(
            health: { await Self.healthProblems(services) },
            metrics: { await Self.metrics(services) })
        for addRoutes in started.routes { addRoutes(router) }
        if let connect = services.google?.connect {
            router.addOAuthCallback(path: GoogleConnect.callbackPath) { await connect.callback($0) }
            started.names.append("google")
        }
        let server = Application(router: router, configuration: .init(
            address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "steward"),
            logger: logger)
        let loops: [any Service] = [
            server,
            LoopService { await services.processor.run() },
            LoopService { await services.dispatcher.run() },
            LoopService { await services.scheduler.run() },
        ] + started.services
        let group = ServiceGroup(configuration: .init(
            services: loops.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("Steward is running", metadata: ["platforms": "\(started.names.joined(separator: ", "))"])
        try await group.run()
    }

    static func healthProblems(_ services: Services) async -> [String] {
        var problems: [String] = []
        if services.configuration.telegramBotToken != nil, services.configuration.telegramMode == .polling,
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
