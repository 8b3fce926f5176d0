import ArgumentParser
import Foundation
import StewardCore
import StewardStorage

/// `steward memory export --user telegram:123456`: everything Steward remembers about a person, as JSON.
struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "What Steward remembers about a person.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print all of a person's facts (every status, with where each came from) as JSON.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Who, as platform:id, e.g. telegram:123456 (any of their linked identities).")
        var user: String

        func run() async throws {
            guard let identity = ChatIdentity(supported: user) else { throw UsersCommand.badIdentity(user) }
            let store = try Services.openStore(try options.configuration())
            print(try await MemoryCommand.export(identity, from: store))
        }
    }

    /// The person behind `identity` and all their facts, oldest first, as pretty-printed JSON. Superseded
    /// and forgotten facts are included: the export is the whole history. Unknown identity: a usage error
    /// (exit 2) that names it.
    static func export(_ identity: ChatIdentity, from store: SQLiteStore) async throws -> String {
        guard let person = try await store.user(for: identity) else {
            throw UsageError(message: "memory export: nobody known as \(identity) (they have not written to Steward yet)")
        }
        let facts = try await store.facts(of: person.id, statuses: [.active, .pending, .superseded, .forgotten],
                                          limit: Int.max)
        let document = ExportedMemory(
            user: .init(id: person.id, name: person.displayName, identity: identity.description),
            facts: facts.reversed().map(ExportedMemory.Fact.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}

/// The export's shape: stable keys, dates in ISO 8601 (UTC).
struct ExportedMemory: Codable, Equatable {
    struct Person: Codable, Equatable {
        var id: Int64
        var name: String
        var identity: String
    }

    struct Fact: Codable, Equatable {
        var id: Int64
        var text: String
        var status: String
        var source: String
        var reference: String?
        var createdAt: Date
        var supersedes: Int64?

        init(_ fact: MemoryFact) {
            id = fact.id
            text = fact.text
            status = fact.status.rawValue
            source = fact.source.rawValue
            reference = fact.reference
            createdAt = fact.createdAt
            supersedes = fact.supersedes
        }
    }

    var user: Person
    var facts: [Fact]
}
