import ArgumentParser
import Foundation
import StewardCore
import StewardStorage

/// Options every command that touches the database shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("env-file"), help: "The configuration file (the environment wins over it). Default: bot.env, which may be missing.")
    var envFile: String?

    /// The file to read; a file named with `--env-file` must exist (a typo would otherwise start with no
    /// configuration at all), the default `bot.env` may be missing.
    func envFileURL() throws -> URL {
        guard let envFile else { return URL(fileURLWithPath: "bot.env") }
        guard FileManager.default.fileExists(atPath: envFile) else {
            throw UsageError(message: "--env-file: \(envFile) does not exist")
        }
        return URL(fileURLWithPath: envFile)
    }

    func configuration() throws -> Configuration {
        try Configuration.load(envFile: try envFileURL())
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let store = try Services.openStore(try options.configuration())
        let applied = try store.appliedMigrations()
        print("database is up to date: \(applied.count) migration(s) applied (\(applied.joined(separator: ", ")))")
    }
}

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Print a new STEWARD_SECRET_KEY (base64, 32 bytes) for bot.env.")
    func run() { print(Configuration.generateSecretKey()) }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the last audit log entries.")
    @OptionGroup var options: GlobalOptions
    @Option(name: [.short, .long], help: "How many entries.") var limit: Int = 20

    func run() async throws {
        guard limit > 0 else { throw UsageError(message: "--limit: expected a positive number") }
        let store = try Services.openStore(try options.configuration())
        let formatter = ISO8601DateFormatter()
        for entry in try await store.recent(limit: limit).reversed() {
            let hash = entry.payloadHash.map { " sha256:\($0.prefix(12))" } ?? ""
            print("\(formatter.string(from: entry.at)) \(entry.actor) \(entry.action) \(entry.outcome)\(hash)"
                  + (entry.detail.isEmpty ? "" : " — \(entry.detail)"))
        }
    }
}

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check the configuration and every connection, one line each.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let configuration = try options.configuration()
        var failures = 0
        func report(_ ok: Bool, _ line: String) {
            print("\(ok ? "ok  " : "FAIL") \(line)")
            if !ok { failures += 1 }
        }
        report(true, "configuration loaded")
        for line in configuration.redactedSummary() { print("     \(line)") }
        for warning in configuration.warnings { print("warn \(warning)") }
        // Owners let in with `steward users allow --owner` count too; an unreadable database is reported below.
        let storedOwners = ((try? await Services.openStore(configuration).grants()) ?? [])
            .filter { $0.role == .owner }.map(\.identity)
        for warning in DoctorChecks.ownerWarnings(configuration, storedOwners: storedOwners) { print("warn \(warning)") }
        do {
            let store = try Services.openStore(configuration)
            report(true, "database: \(try store.appliedMigrations().count) migration(s) applied")
            let exposed = try await store.plaintextSecrets()
            report(exposed.isEmpty, exposed.isEmpty ? "database: no secrets stored in the clear"
                   : "database: \(exposed.count) secret(s) stored in the clear (\(exposed.prefix(5).joined(separator: "; "))) — "
                     + "remove and re-add those accounts with STEWARD_SECRET_KEY set")
            let services = try Services(configuration: configuration, channels: { _ in ([], [:]) },
                                        consoleIdentity: nil, statusPlatforms: [])
            defer { Task { await services.shutdown() } }
            for account in try await store.allAccounts() {
                if account.status != "ok" {
                    report(false, "account \(account.reference) \(account.label): \(account.status) — its owner should send "
                           + "/connect \(account.kind) in chat")
                    continue
                }
                let provider = try await services.orchestrator.calendars
                    .calendars(of: account.userID).first { $0.account.id == account.id }?.provider
                do {
                    guard let provider else {
                        throw CalendarError(account.kind == "google"
                            ? "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not set, so Google accounts can't be read"
                            : "no provider for kind \(account.kind)")
                    }
                    let count = try await provider.events(in: DateInterval(start: Date(), duration: 7 * 86_400)).count
                    if let problem = await DoctorChecks.unreachableURL(account, http: services.http) {
                        report(false, "account \(account.reference) \(account.label): \(problem)")
                        continue
                    }
                    report(true, "account \(account.reference) \(account.label): \(count) event(s) in the next 7 days")
                } catch {
                    // A calendar URL's own check names the host and the fix; other accounts say what failed.
                    let problem = await DoctorChecks.unreachableURL(account, http: services.http)
                    report(false, "account \(account.reference) \(account.label): \(problem ?? DoctorChecks.describe(error))")
                }
            }
            for (_, health) in await TriageHealth.all(in: store).sorted(by: { $0.key < $1.key }) {
                for line in health.statusLines { report(health.failing == nil && health.skipped == 0, line) }
            }
            await TelegramDoctor.check(configuration, http: services.http, report: report)
            await MatrixDoctor.check(configuration, http: services.http, store: services.store, report: report)
        } catch {
            report(false, "database: \(DoctorChecks.describe(error))")
        }
        if failures > 0 { throw RuntimeFailure(message: "\(failures) check(s) failed") }
    }
}
