import Foundation
import Hummingbird
import Logging
import MatrixAdapter
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
        guard configuration.telegramBotToken != nil || configuration.slackBotToken != nil || configuration.hasMatrix else {
            throw UsageError(message: "no chat platform is configured: set TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN or "
                             + "MATRIX_HOMESERVER_URL, or use the terminal chat with `steward run --console`")
        }
        var telegram: TelegramParts?
        var slack: SlackParts?
        var matrix: MatrixParts?
        var platforms: [Platform] = []
        if configuration.telegramBotToken != nil { platforms.append(.telegram) }
        if configuration.slackBotToken != nil { platforms.append(.slack) }
        if configuration.hasMatrix { platforms.append(.matrix) }
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
            if let parts = MatrixParts(configuration: configuration, http: http) {
                channels.append(parts.channel)
                presence[.matrix] = parts.channel
                matrix = parts
            }
            return (channels, presence)
        }, consoleIdentity: nil, statusPlatforms: platforms)
        do {
            try await run(services, telegram: telegram, slack: slack, matrix: matrix)
            await services.shutdown()
        } catch {
            await services.shutdown()
            throw RuntimeFailure(message: "\(error)")
        }
    }

    private func run(_ services: Services, telegram: TelegramParts?, slack: SlackParts?, matrix: MatrixParts?) async throws {
        let logger = Logger(label: "steward")
        await services.recover()
        var started = Started()
        if let telegram { try await telegram.start(services, into: &started) }
        if let slack { try await slack.start(services, into: &started) }
        if let matrix { try await matrix.start(services, into: &started) }

        let router = StewardServer.buildRouter(
            health: { await Self.healthProblems(services) },
            metrics: { await StewardMetrics.render(services) }, bearerToken: configuration.metricsToken)
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
        if services.configuration.hasMatrix {
            let text = try? await services.store.value(MatrixSyncSource.lastSyncKey)
            if let last = text.flatMap({ ISO8601DateFormatter().date(from: $0) }) {
                if Date().timeIntervalSince(last) > 120 {
                    problems.append("matrix: no successful sync for \(Int(Date().timeIntervalSince(last))) s")
                }
            } else {
                problems.append("matrix: no successful sync yet")
            }
        }
        return problems
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
