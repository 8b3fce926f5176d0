import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StewardCore
import StewardHTTP
import StewardRuntime
import StewardServer

/// Builds the whole app from its configuration: store, orchestrator, processor, dispatcher, scheduler,
/// the chat platforms' clients and the HTTP server, all made here and passed in, nothing filled in later.
/// `platforms` narrows the configured chat platforms (nil: every one configured); `clock` replaces the
/// system clock and `STEWARD_TEST_CLOCK_FILE` (an in-process test's manual clock). Whoever moves an
/// injected clock also runs the jobs: with one, the scheduler's loops don't start, and
/// `StewardApplication.runDueJobs()` runs what is due, so a test knows when a cycle has happened.
public func buildApplication(configuration: Configuration, platforms: [Platform]? = nil,
                             clock: (@Sendable () -> Date)? = nil) throws -> StewardApplication {
    try StewardApplication(configuration: configuration, platforms: platforms, clock: clock)
}

/// One running Steward: `run()` starts every loop in one `ServiceGroup` and returns when they have stopped;
/// `stop()` begins the graceful shutdown. Several can run in one process (tests do), each on its own port.
public final class StewardApplication: Sendable {
    public let services: Services
    let telegram: TelegramParts?
    let slack: SlackParts?
    let matrix: MatrixParts?
    /// False under an injected clock: jobs run only through `runDueJobs()`.
    let schedulesJobs: Bool
    private let logger = Logger(label: "steward")
    private let lifecycle = Locked(Lifecycle())

    /// What `stop()` and `port()` need from a run in progress.
    private struct Lifecycle {
        var group: ServiceGroup?
        var stopped = false
        var port: Result<Int, any Error>?
        var portWaiters: [CheckedContinuation<Int, any Error>] = []
    }

    init(configuration: Configuration, platforms wanted: [Platform]?, clock: (@Sendable () -> Date)?) throws {
        let configured = Self.configuredPlatforms(configuration)
        guard !configured.isEmpty else {
            throw UsageError(message: "no chat platform is configured: set TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN or "
                             + "MATRIX_HOMESERVER_URL, or use the terminal chat with `steward run --console`")
        }
        schedulesJobs = clock == nil
        let platforms = configured.filter { wanted?.contains($0) ?? true }
        let store = try Services.openStore(configuration)
        let http = AsyncHTTPTransport()
        telegram = platforms.contains(.telegram)
            ? configuration.telegramBotToken.map { TelegramParts(token: $0, configuration: configuration, http: http) } : nil
        slack = platforms.contains(.slack)
            ? configuration.slackBotToken.map { SlackParts(token: $0, configuration: configuration, http: http) } : nil
        matrix = platforms.contains(.matrix) ? MatrixParts(configuration: configuration, http: http, state: store) : nil
        var channels: [any DeliveryChannel] = []
        var presence: [Platform: any ChatPresence] = [:]
        if let telegram {
            channels.append(telegram.channel)
            presence[.telegram] = telegram.channel
        }
        if let slack { channels.append(slack.channel) }
        if let matrix {
            channels.append(matrix.channel)
            presence[.matrix] = matrix.channel
        }
        services = Services(configuration: configuration, store: store, http: http, channels: channels, presence: presence,
                            consoleIdentity: nil, statusPlatforms: platforms,
                            clock: clock.map { StewardClock(now: $0) } ?? StewardClock(file: configuration.testClockFile))
    }

    static func configuredPlatforms(_ configuration: Configuration) -> [Platform] {
        var platforms: [Platform] = []
        if configuration.telegramBotToken != nil { platforms.append(.telegram) }
        if configuration.slackBotToken != nil { platforms.append(.slack) }
        if configuration.hasMatrix { platforms.append(.matrix) }
        return platforms
    }

    /// Connects each platform, then runs the HTTP server and every loop until `stop()` (or, with
    /// `handlingSignals`, SIGTERM/SIGINT) and shuts the HTTP client down. A loop that fails stops them all.
    public func run(handlingSignals: Bool = false) async throws {
        do {
            try await runGroup(handlingSignals: handlingSignals)
        } catch {
            resolvePort(.failure(error))
            await services.shutdown()
            throw error
        }
        resolvePort(.failure(RuntimeFailure(message: "Steward stopped before its HTTP server listened")))
        await services.shutdown()
    }

    private func runGroup(handlingSignals: Bool) async throws {
        let configuration = services.configuration
        await services.recover()
        var started = PlatformRuntime.Started()
        if let telegram { try await telegram.start(services, into: &started) }
        if let slack { try await slack.start(services, into: &started) }
        if let matrix { try await matrix.start(services, into: &started) }
        let services = services
        let router = StewardServer.buildRouter(
            health: { await PlatformRuntime.healthProblems(services) },
            metrics: { await StewardMetrics.render(services) }, bearerToken: configuration.metricsToken)
        for addRoutes in started.routes { addRoutes(router) }
        if let connect = services.google?.connect {
            router.addOAuthCallback(path: GoogleConnect.callbackPath) { await connect.callback($0) }
            started.names.append("google")
        }
        let server = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort),
                                 serverName: "steward"),
            onServerRunning: { [weak self] channel in
                // Port 0 asks the kernel for a free port; this is the one it gave.
                self?.resolvePort(channel.localAddress?.port.map { .success($0) }
                                  ?? .failure(RuntimeFailure(message: "the HTTP server has no local port")))
            },
            logger: logger)
        let loops: [any Service] = [
            server,
            LoopService { await services.processor.run() },
            LoopService { await services.dispatcher.run() },
        ] + (schedulesJobs ? [LoopService { await services.scheduler.run() }] : []) + started.services
        let group = ServiceGroup(configuration: .init(
            services: loops.map { .init(service: $0) },
            gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [], logger: logger))
        let stoppedEarly = lifecycle.withLock { state in
            state.group = group
            return state.stopped
        }
        if stoppedEarly { return }
        logger.info("Steward is running", metadata: ["platforms": "\(started.names.joined(separator: ", "))"])
        // Starting up touched code and data that running never needs again (migrations, configuration, the
        // runtime's first scans of type metadata): those pages are handed back (`FreeMemory.releaseMappedFiles`),
        // about 20 of the 46 MB resident at rest. Now, and again once the loops have made their first requests.
        FreeMemory.releaseMappedFiles()
        let settle = TaskPlace.task {
            try await Task.sleep(for: .seconds(2))
            FreeMemory.releaseMappedFiles()
        }
        defer { settle.cancel() }
        try await group.run()
    }

    /// Begins the graceful shutdown: sends under way finish and are recorded, then `run()` returns.
    public func stop() async {
        let group = lifecycle.withLock { state in
            state.stopped = true
            return state.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// Runs now, once, every scheduled job due by the app's clock (a test moves its clock, then calls this).
    public func runDueJobs() async { await services.scheduler.runDueJobs() }

    /// Nothing is waiting: every stored inbound event was answered and every stored delivery sent (or given
    /// up on). A test that checks "nothing more arrived" waits for this instead of sleeping.
    public func isSettled() async throws -> Bool {
        let gauges = try await services.store.gauges(at: Date())
        return gauges.outboxPending == 0 && gauges.unprocessedInbound == 0
    }

    /// The port the HTTP server listens on, once it does (`STEWARD_HTTP_PORT=0` lets the kernel pick one).
    public func port() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known = lifecycle.withLock { state -> Result<Int, any Error>? in
                if state.port == nil { state.portWaiters.append(continuation) }
                return state.port
            }
            if let known { continuation.resume(with: known) }
        }
    }

    private func resolvePort(_ result: Result<Int, any Error>) {
        let waiters = lifecycle.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard state.port == nil else { return [] }
            state.port = result
            defer { state.portWaiters = [] }
            return state.portWaiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
