import ArgumentParser
import Foundation
import StewardCore
import StewardStorage

/// `steward users list|allow|remove`: who may use Steward besides the configured owners and allowed people.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "List, let in or remove the people who may use Steward.",
        subcommands: [List.self, Allow.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List everyone who may use Steward, and why.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let configuration = try options.configuration()
            for line in try await Self.lines(configuration, store: try Services.openStore(configuration)) { print(line) }
        }

        /// One line per configured or allowed identity, then one per person whose identities `/link` joined
        /// (they share accounts, memory and approvals, which an owner reading this list should see).
        static func lines(_ configuration: Configuration, store: SQLiteStore) async throws -> [String] {
            var lines = configuration.owners.map(\.description).sorted().map { "\($0)\towner\tconfigured" }
            lines += configuration.allowedUsers.map(\.description).sorted().map { "\($0)\tmember\tconfigured" }
            let grants = try await store.grants()
            lines += grants.map { "\($0.identity)\t\($0.role.rawValue)\tallowed\t\($0.displayName)" }
            if lines.isEmpty { lines.append("nobody yet") }
            for user in try await store.allUsers() {
                let identities = try await store.identities(of: user.id).map(\.identity.description)
                if identities.count > 1 { lines.append("linked\t" + identities.joined(separator: " + ")) }
            }
            return lines
        }
    }

    struct Allow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let someone use Steward: `users allow telegram:123456 [--owner] [--name NAME]`.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Who, as platform:id, e.g. telegram:123456 (Steward's refusal tells them theirs).")
        var identity: String
        @Flag(help: "As an owner (full rights) rather than a member.") var owner = false
        @Option(help: "A name to show for them.") var name: String?

        func run() async throws {
            guard let who = ChatIdentity(supported: identity) else { throw UsersCommand.badIdentity(identity) }
            let store = try Services.openStore(try options.configuration())
            let role: User.Role = owner ? .owner : .member
            try await store.grant(AccessGrant(identity: who, role: role, displayName: name ?? who.description,
                                              grantedAt: Date()))
            print("allowed \(who) as \(role.rawValue)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take away someone's access: `users remove telegram:123456`.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Who, as platform:id.") var identity: String

        func run() async throws {
            guard let who = ChatIdentity(supported: identity) else { throw UsersCommand.badIdentity(identity) }
            let configuration = try options.configuration()
            let store = try Services.openStore(configuration)
            let removed = try await store.revokeGrant(of: who)
            if configuration.owners.contains(who) || configuration.allowedUsers.contains(who) {
                // The configuration still lets them in: say where, rather than pretend they are out.
                throw UsageError(message: "users remove: \(who) is named in STEWARD_OWNERS or STEWARD_ALLOWED_USERS; "
                                 + "remove them there" + (removed ? " (their database entry was removed)" : ""))
            }
            guard removed else { throw UsageError(message: "users remove: \(who) was not allowed; nothing changed") }
            print("removed \(who)")
        }
    }

    static func badIdentity(_ text: String) -> UsageError {
        UsageError(message: "expected platform:id (telegram, slack, matrix or console), e.g. telegram:123456; got \"\(text)\"")
    }
}
