import Foundation
import Hummingbird
import Logging
import MatrixAdapter
import ServiceLifecycle
import StewardCore
import StewardHTTP
import StewardServer
import TelegramAdapter

/// `steward run` with chat platforms configured: the app `buildApplication` makes, where every loop is a
/// `Service` in one `ServiceGroup`, so SIGTERM/SIGINT stop them gracefully (exit 0) and a crash of one
/// stops the process (exit 1).
struct PlatformRuntime {
    let configuration: Configuration

    /// What each platform contributes once connected: HTTP routes, loops, its name for the log.
    struct Started {
        var services: [any Service] = []
        var routes: [@Sendable (Router<BasicRequestContext>) -> Void] = []
        var names: [String] = []
    }

    func run() async throws {
        let application = try buildApplication(configuration: configuration)
        // Nobody owns Steward yet: the one-use code that makes its sender the owner, on stdout and in the log.
        if let line = try await OwnerCodeAnnouncement.prepare(configuration: configuration,
                                                               store: application.services.store, now: Date()) {
            // Written at once: under systemd or Docker stdout is a pipe, where print would keep it in a buffer.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            Logger(label: "steward").notice("\(line)")
        }
        do {
            try await application.run(handlingSignals: true)
        } catch {
            throw RuntimeFailure(message: "\(error)")
        }
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
