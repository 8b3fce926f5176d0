import ArgumentParser
import Foundation
import ICalendar
import StewardCore
import StewardStorage

struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "List, add or remove calendar accounts.",
        subcommands: [List.self, Add.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connected accounts.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this user's accounts, e.g. telegram:123456.") var user: String?

        func run() async throws {
            let store = try Services.openStore(try options.configuration())
            var accounts = try await store.allAccounts()
            if let user {
                guard let identity = ChatIdentity(supported: user) else { throw AccountsCommand.badIdentity(user) }
                guard let owner = try await store.user(for: identity) else { return print("no accounts for \(identity)") }
                accounts = accounts.filter { $0.userID == owner.id }
            }
            if accounts.isEmpty { print("no accounts") }
            for account in accounts {
                let source = account.options["file"] ?? account.options["url"] ?? ""
                print("\(account.id)\t\(account.kind)\tuser \(account.userID)\t\(account.label)\t\(account.status)\t\(source)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect an account: `accounts add ics --user telegram:123 --file PATH | --url URL`.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The kind of account: ics.") var kind: String
        @Option(help: "Whose account, e.g. telegram:123456 or console:ana.") var user: String
        @Option(help: "A local .ics file (read and write; created if missing).") var file: String?
        @Option(help: "An http(s) .ics URL (read-only).") var url: String?
        @Option(help: "A name to show for it.") var label: String?

        func run() async throws {
            guard kind == "ics" else {
                throw UsageError(message: "accounts add: unsupported kind \"\(kind)\"; this build supports: ics")
            }
            guard let identity = ChatIdentity(supported: user) else { throw AccountsCommand.badIdentity(user) }
            let configuration = try options.configuration()
            var accountOptions: [String: String] = [:]
            switch (file, url) {
            case (let file?, nil):
                let path = URL(fileURLWithPath: NSString(string: file).expandingTildeInPath).standardizedFileURL
                if !FileManager.default.fileExists(atPath: path.path) {
                    try FileManager.default.createDirectory(at: path.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    try ICalendarWriter.emptyCalendar().write(to: path, atomically: true, encoding: .utf8)
                } else {
                    do {
                        _ = try ICalendarParser.parse(Data(contentsOf: path))
                    } catch {
                        throw UsageError(message: "--file: \(path.path) is not a readable iCalendar file: \(error)")
                    }
                }
                accountOptions["file"] = path.path
            case (nil, let url?):
                guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                      parsed.host != nil else {
                    throw UsageError(message: "--url: expected an http(s) URL of an .ics calendar, got \"\(url)\"")
                }
                accountOptions["url"] = parsed.absoluteString
            default:
                throw UsageError(message: "accounts add ics: give exactly one of --file PATH or --url URL")
            }
            let store = try Services.openStore(configuration)
            let role: User.Role
            if configuration.owners.contains(identity) || identity.platform == .console {
                role = .owner
            } else if configuration.allowedUsers.contains(identity) {
                role = .member
            } else {
                throw UsageError(message: "--user: \(identity) is not in STEWARD_OWNERS or STEWARD_ALLOWED_USERS; add it there first")
            }
            let owner = try await store.ensureUser(identity: identity, displayName: identity.description, role: role,
                                                   defaultSettings: UserSettings(timeZone: configuration.defaultTimeZone))
            let name = label ?? URL(fileURLWithPath: accountOptions["file"] ?? accountOptions["url"] ?? "calendar")
                .deletingPathExtension().lastPathComponent
            let account: Account
            do {
                account = try await store.addAccount(userID: owner.id, kind: "ics", label: name, options: accountOptions,
                                                     secret: nil, at: Date())
            } catch StorageError.noSecretKey {
                // A published calendar's URL usually is its password: it is stored sealed, like tokens.
                throw UsageError(message: "--url: a calendar URL is stored encrypted (it often carries an access "
                                 + "token), so STEWARD_SECRET_KEY must be set: run `steward keygen` and put the key in bot.env")
            }
            try await store.record(AuditEntry(at: Date(), actor: "cli", action: "account_add", outcome: "ok",
                                              detail: "\(account.reference) for \(identity)"))
            print("added \(account.reference) \"\(name)\" for \(identity)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account by its id.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account id from `steward accounts list`.") var id: Int64

        func run() async throws {
            let store = try Services.openStore(try options.configuration())
            guard try await store.removeAccount(id: id) else {
                throw UsageError(message: "accounts remove: no account with id \(id) (see `steward accounts list`)")
            }
            try await store.record(AuditEntry(at: Date(), actor: "cli", action: "account_remove", outcome: "ok",
                                              detail: "account \(id)"))
            print("removed account \(id)")
        }
    }

    static func badIdentity(_ text: String) -> UsageError {
        UsageError(message: "--user: expected platform:id (telegram, slack, matrix or console), e.g. telegram:123456; got \"\(text)\"")
    }
}
