import ArgumentParser
import Foundation

/// `steward` — no arguments means `steward run`.
public struct StewardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "steward",
        abstract: "A self-hosted personal assistant for your calendars, in your chat apps.",
        version: StewardVersion.current,
        subcommands: [RunCommand.self, MigrateCommand.self, DoctorCommand.self, KeygenCommand.self,
                      AccountsCommand.self, UsersCommand.self, MemoryCommand.self, AuditCommand.self, VersionCommand.self,
                      SetupCommand.self],
        defaultSubcommand: RunCommand.self)

    public init() {}

    /// Entry point with the documented exit codes: 0 ok, 1 runtime failure, 2 bad configuration or usage.
    public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        if let word = arguments.first, let line = unknownCommandLine(word) {
            printError(line)
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as ConfigurationError {
            printError("steward: \(error)")
            Foundation.exit(2)
        } catch let error as UsageError {
            printError("steward: \(error.message)")
            Foundation.exit(2)
        } catch let error as RuntimeFailure {
            printError("steward: \(error.message)")
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success { StewardCommand.exit(withError: error) }
            if error is ExitCode { Foundation.exit(code.rawValue == 0 ? 0 : (code.rawValue == 1 ? 1 : 2)) }
            // ArgumentParser reports bad usage as 64; the contract says 2.
            printError(fullMessage(for: error))
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }

    /// `steward frobnicate` would otherwise reach `run` as an "unexpected argument"; a first word that is
    /// neither an option nor a command is named as an unknown command, with the list.
    static func unknownCommandLine(_ word: String) -> String? {
        let names = configuration.subcommands.map { $0._commandName }
        guard !word.hasPrefix("-"), !names.contains(word), word != "help" else { return nil }
        return "steward: unknown command '\(word)'. Commands: \(names.joined(separator: ", ")) "
            + "(steward help <command> for its options)"
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Bad usage found after parsing (an unknown identity, a missing file): exit 2.
struct UsageError: Error { var message: String }
/// Something failed while running: exit 1.
struct RuntimeFailure: Error { var message: String }

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() { print("steward \(StewardVersion.current)") }
}
