import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import StewardApp
import StewardCore
import StewardTesting
import Testing

/// Steward's idea of now in an in-process test: it moves only when the test says so.
final class ManualClock: Sendable {
    private let instant: Locked<Date>

    init(_ start: Date = Date()) { instant = Locked(start) }

    var now: Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
}

/// The whole app, built by `buildApplication` in this process, against the fake Bot API (and, when
/// asked, a fake Google) on loopback: what a Telegram user would see, without a child process, and with
/// a manual clock so a triage cycle or a digest check is one call instead of a wait.
struct AppWorld {
    let telegram = FakeTelegramServer()
    let google: FakeGoogleServer?
    let directory: URL
    let configuration: Configuration
    let clock = ManualClock()
    /// Every app `boot()` started, stopped by `finish()`.
    private let booted = Locked<[RunningApp]>([])

    static let owner = FakeTelegramUser(id: 100, firstName: "Ana")
    static let email = "ana@example.com"
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// - Parameters:
    ///   - withGoogle: a fake Google with Ana's account, and Steward's OAuth client pointed at it.
    ///   - calendarFile: gives the owner an .ics calendar with tomorrow's "Design review".
    init(withGoogle: Bool = false, calendarFile: Bool = false, environment extra: [String: String] = [:]) async throws {
        try await telegram.start()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var environment = [
            "STEWARD_DATA_DIR": directory.appendingPathComponent("data").path,
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_API_URL": try await telegram.baseURL.absoluteString,
            "STEWARD_OWNERS": "telegram:100",
            "STEWARD_ALLOWED_USERS": "telegram:200",
            "STEWARD_TIMEZONE": "Europe/Berlin",
            "STEWARD_LOG_LEVEL": "warning",
            "STEWARD_SECRET_KEY": Data((0..<32).map { UInt8($0) }).base64EncodedString(),
        ]
        var port = 0
        if withGoogle {
            let google = FakeGoogleServer()
            try await google.start()
            // The OAuth redirect names Steward's port before it listens, so this one is picked up front.
            port = try freeLoopbackPort()
            environment.merge([
                "GOOGLE_CLIENT_ID": google.clientID,
                "GOOGLE_CLIENT_SECRET": google.clientSecret,
                "GOOGLE_AUTH_URL": try await google.authorizationURL.absoluteString,
                "GOOGLE_TOKEN_URL": try await google.tokenURL.absoluteString,
                "GOOGLE_API_URL": try await google.apiURL.absoluteString,
                "STEWARD_HTTP_PORT": "\(port)",
                "STEWARD_PUBLIC_URL": "http://127.0.0.1:\(port)",
            ]) { $1 }
            await google.state.registerRedirectURI("http://127.0.0.1:\(port)/oauth/google/callback")
            await google.state.addAccount(email: Self.email, timeZone: "Europe/Berlin")
            self.google = google
        } else {
            google = nil
        }
        var configuration = try Configuration.load(environment: environment.merging(extra) { $1 }, envFile: nil)
        configuration.httpPort = port  // 0: the kernel picks a free one
        self.configuration = configuration
        if calendarFile { try await addCalendarFile() }
    }

    /// Runs `body` in a fresh world and always tears it down (every app it booted too), also when `body` throws.
    static func run(withGoogle: Bool = false, calendarFile: Bool = false, environment: [String: String] = [:],
                    _ body: (AppWorld) async throws -> Void) async throws {
        let world = try await AppWorld(withGoogle: withGoogle, calendarFile: calendarFile, environment: environment)
        do {
            try await body(world)
        } catch {
            await world.finish()
            throw error
        }
        await world.finish()
    }

    /// Ana's .ics calendar, added the way `steward accounts add ics` adds it.
    private func addCalendarFile() async throws {
        let file = try writeCalendar(in: directory)
        let store = try Services.openStore(configuration)
        let user = try await store.ensureUser(
            identity: ChatIdentity(platform: .telegram, userID: "100"), displayName: "telegram:100", role: .owner,
            defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        _ = try await store.addAccount(userID: user.id, kind: "ics", label: "work.ics", options: ["file": file.path],
                                       secret: nil, at: Date())
    }

    /// Builds the app and runs it until `RunningApp.stop()`; returns once its HTTP server listens.
    func boot() async throws -> RunningApp {
        let clock = clock
        let application = try buildApplication(configuration: configuration, clock: { clock.now })
        let running = RunningApp(application: application, task: Task { try await application.run() })
        booted.withLock { $0.append(running) }
        _ = try await application.port()
        return running
    }

    func finish() async {
        for app in booted.withLock({ $0 }) { try? await app.stop() }
        await telegram.stop()
        await google?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func messages(to chat: Int64 = 100) async -> [FakeTelegramMessage] { await telegram.sentMessages(chat: chat) }

    /// Waits until the bot has sent `count` messages to `chat` (or fails), then returns them.
    @discardableResult
    func waitForMessages(_ count: Int, to chat: Int64 = 100, timeout: Duration = .seconds(20)) async throws
        -> [FakeTelegramMessage] {
        do {
            try await waitUntil(timeout: timeout) { await messages(to: chat).count >= count }
        } catch {
            throw WorldFailure("expected \(count) message(s) to \(chat), got \(await messages(to: chat).map(\.text))")
        }
        return await messages(to: chat)
    }

    /// Sends `text` as Ana and returns Steward's answer, the chat's message number `count`.
    func ask(_ text: String, answerNumber count: Int) async throws -> FakeTelegramMessage {
        await telegram.sendText(text, from: Self.owner)
        return try await waitForMessages(count)[count - 1]
    }
}

/// The world could not be set up or an expected message never came; says what was seen instead.
struct WorldFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One app running in this process.
struct RunningApp {
    let application: StewardApplication
    let task: Task<Void, any Error>

    /// Moves nothing: runs the scheduled jobs due by the app's clock now, then waits until everything
    /// they queued was sent.
    func runDueJobs() async throws {
        await application.runDueJobs()
        try await settle()
    }

    /// Waits until nothing is waiting to be answered or sent: the check behind every "nothing more arrived".
    func settle() async throws {
        try await waitUntil { (try? await application.isSettled()) == true }
    }

    /// Graceful shutdown, then waits for `run()` to return.
    func stop() async throws {
        await application.stop()
        try await task.value
    }
}

