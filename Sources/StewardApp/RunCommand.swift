import ArgumentParser
import ConsoleAdapter
import Foundation
import ICalendar
import Logging
import StewardCore
import StewardHTTP

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run Steward: on the configured chat platforms, or as a terminal chat when none is configured.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "Use the terminal chat even when a chat platform is configured.") var console = false

    func run() async throws {
        let configuration = try options.configuration()
        // The engine's tasks run on the HTTP client's event loops (`TaskPlace`): fewer thread hand-offs per message.
        let loops = EventLoopTaskExecutor()
        TaskPlace.prefer(loops)
        try await withTaskExecutorPreference(loops) { try await start(configuration) }
    }

    private func start(_ configuration: Configuration) async throws {
        if console || !configuration.hasChatPlatform {
            // Nothing to read and nothing to serve: say so and exit 2, rather than exit 0 into a restart loop.
            if !console, HeadlessStart.stdinHasNothingToRead { throw UsageError(message: HeadlessStart.message) }
            LogSetup.bootstrap(level: max(configuration.logLevel, .warning), format: configuration.logFormat)
            try await ConsoleSession(configuration: configuration).run()
        } else {
            LogSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
            try await PlatformRuntime(configuration: configuration).run()
        }
    }
}

/// The embedded default: an interactive (or piped, one message per line) chat in the terminal, as the
/// local owner `console:<login name>`, on a sample calendar when the owner has none.
struct ConsoleSession {
    let configuration: Configuration

    static var identity: ChatIdentity {
        let environment = ProcessInfo.processInfo.environment
        let login = environment["USER"] ?? environment["LOGNAME"] ?? "owner"
        return ChatIdentity(platform: .console, userID: login.isEmpty ? "owner" : login)
    }

    func run() async throws {
        let identity = Self.identity
        let channel = ConsoleChannel()
        let services = try Services(configuration: configuration, channels: { _ in ([channel], [:]) },
                                    consoleIdentity: identity, statusPlatforms: [.console])
        try await ensureSampleCalendar(for: identity, services: services)
        let background = TaskPlace.task { await services.scheduler.run() }
        defer { background.cancel() }
        // Anything left from a previous run (an approval mid-execution, unsent answers) goes out first.
        await services.recover()
        await services.processor.drain()
        await services.dispatcher.flush()

        let interactive = ConsoleInput.isInteractive
        if interactive {
            print("Steward \(StewardVersion.current) — you are \(identity). Try /today, /free 30m tomorrow, /help. Ctrl-D quits.")
        }
        // On a terminal: line editing, and the history of earlier sessions (Up) from the data directory.
        let history = ConsoleHistory(file: configuration.dataDirectory.appendingPathComponent("console-history"))
        let lines = ConsoleInput.lines(history: history)
        if interactive { prompt() }
        let normalizer = ConsoleNormalizer(identity: identity)
        var number = 0
        for await line in lines {
            number += 1
            if let event = normalizer.event(for: line, number: number, at: Date()) {
                try await services.processor.accept([event])
                await services.processor.drain()
                await services.dispatcher.flush()
            }
            if interactive { prompt() }
        }
        await services.shutdown()
    }

    private func prompt() {
        ConsoleInput.prompt()
    }

    /// A first run with no calendar gets a believable sample one, so `/today` shows something real.
    private func ensureSampleCalendar(for identity: ChatIdentity, services: Services) async throws {
        let user = try await services.store.ensureUser(
            identity: identity, displayName: identity.userID, role: .owner,
            defaultSettings: UserSettings(timeZone: configuration.defaultTimeZone))
        guard try await services.store.accounts(of: user.id).isEmpty else { return }
        let file = configuration.dataDirectory.appendingPathComponent("sample-calendar.ics")
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
            let zone = TimeZone(identifier: configuration.defaultTimeZone) ?? .current
            try ICalendarWriter.sampleCalendar(now: Date(), timeZone: zone)
                .write(to: file, atomically: true, encoding: .utf8)
        }
        _ = try await services.store.addAccount(userID: user.id, kind: "ics", label: "Sample calendar",
                                                options: ["file": file.path], secret: nil, at: Date())
    }
}
