import Foundation
import StewardCore
import StewardStorage
import Testing
@testable import StewardApp

/// With no owner configured, `steward run` issues a one-use owner code: whoever sends `/start <code>` (or the
/// code alone) in a private chat becomes the owner, kept in the database; the code is then spent, also
/// across a restart, and only its hash is stored.
@Suite struct OwnerCodeTests {
    static let newcomer = ChatIdentity(platform: .telegram, userID: "300")
    static let newcomerDM = ChatRef(platform: .telegram, chatID: "300", isPrivate: true)
    static let other = ChatIdentity(platform: .telegram, userID: "400")
    static let otherDM = ChatRef(platform: .telegram, chatID: "400", isPrivate: true)

    /// An orchestrator over `world`'s store with nobody in STEWARD_OWNERS.
    static func ownerless(_ world: World, store: SQLiteStore? = nil) -> Orchestrator {
        Orchestrator(users: store ?? world.store, approvals: store ?? world.store, audit: store ?? world.store,
                     calendars: FileCalendars(accounts: store ?? world.store, file: world.file), status: nil,
                     access: AccessPolicy(owners: [], allowed: [], defaultTimeZone: "Europe/Berlin"),
                     digest: { data in String(data.hashValue, radix: 16) + "\(data.count)" }, now: { Date() },
                     accountKinds: .standard)
    }

    static func configuration(_ environment: [String: String]) throws -> Configuration {
        try Configuration.load(environment: ["TELEGRAM_BOT_TOKEN": "1:abc"].merging(environment) { $1 }, envFile: nil)
    }

    @Test func theFirstToSendTheCodeBecomesOwnerAndTheCodeIsSpentAcrossARestart() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let line = try #require(try await OwnerCodeAnnouncement.prepare(
            configuration: Self.configuration([:]), store: world.store, now: Date(), generate: { "K7P2QX9MHT" }))
        #expect(line.contains("/start K7P2QX9MHT"))
        let orchestrator = Self.ownerless(world)

        // A wrong code, or the code in a group, lets nobody in.
        let wrong = await orchestrator.handle(world.event(.command(name: "start", arguments: "K7P2QX9MHA"),
                                                          from: Self.other, in: Self.otherDM))
        #expect(!wrong.texts.contains { $0.contains("owner now") })
        let inGroup = await orchestrator.handle(world.event(.command(name: "start", arguments: "K7P2QX9MHT"),
                                                            from: Self.other, in: World.group))
        #expect(!inGroup.texts.contains { $0.contains("owner now") })

        let claimed = await orchestrator.handle(world.event(.command(name: "start", arguments: "k7p2qx9mht"),
                                                            from: Self.newcomer, in: Self.newcomerDM))
        #expect(claimed.texts == ["✓ You are my owner now (telegram:300). The code is used up. Send /start to begin."])
        #expect(try await world.store.grants().map { [$0.identity.description, $0.role.rawValue] }
                == [["telegram:300", "owner"]])
        let answered = await orchestrator.handle(world.event(.command(name: "settings", arguments: ""),
                                                             from: Self.newcomer, in: Self.newcomerDM))
        #expect(!answered.isEmpty)
        #expect(!answered.texts.contains { $0.contains("private assistant") })

        // Spent: after a restart the same code does nothing for someone else.
        let reopened = try SQLiteStore(path: world.directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let again = await Self.ownerless(world, store: reopened).handle(
            world.event(.message("K7P2QX9MHT"), from: Self.other, in: Self.otherDM))
        #expect(!again.texts.contains { $0.contains("owner now") })
        #expect(try await reopened.grants().count == 1)
        // And with an owner in the database, the next start issues no code.
        #expect(try await OwnerCodeAnnouncement.prepare(configuration: Self.configuration([:]), store: reopened,
                                                        now: Date()) == nil)
    }

    /// The owner the code made gets the pairing cards for the next newcomer, like a configured owner.
    @Test func theOwnerByCodeGetsTheNextStrangersPairingCard() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        _ = try await OwnerCodeAnnouncement.prepare(configuration: Self.configuration([:]), store: world.store,
                                                    now: Date(), generate: { "ABCDEFGH23" })
        let orchestrator = Self.ownerless(world)
        _ = await orchestrator.handle(world.event(.command(name: "start", arguments: "ABCDEFGH23"), from: Self.newcomer,
                                                  in: Self.newcomerDM))
        _ = await orchestrator.handle(world.event(.command(name: "start", arguments: ""), from: Self.newcomer,
                                                  in: Self.newcomerDM))
        var hello = world.event(.message("hello"), from: Self.other, in: Self.otherDM)
        hello.senderName = "Eve"
        let asked = await orchestrator.handle(hello)
        let card = try #require(asked.first { $0.delivery.chat == Self.newcomerDM })
        guard case .send(_, let message) = card.delivery else {
            Issue.record("expected the owner's card")
            return
        }
        #expect(message.title == "Let Eve (telegram:400) use Steward?")
    }

    @Test func theCodeAloneWorksAndOnlyItsHashIsStored() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        _ = try await OwnerCodeAnnouncement.prepare(configuration: Self.configuration([:]), store: world.store,
                                                    now: Date(), generate: { "ABCDEFGH23" })
        let database = try Data(contentsOf: world.directory.appendingPathComponent("db.sqlite"))
            + ((try? Data(contentsOf: world.directory.appendingPathComponent("db.sqlite-wal"))) ?? Data())
        #expect(database.range(of: Data("ABCDEFGH23".utf8)) == nil)

        let claimed = await Self.ownerless(world).handle(world.event(.message(" ABCDEFGH23 "), from: Self.newcomer,
                                                                     in: Self.newcomerDM))
        #expect(claimed.texts.first?.hasPrefix("✓ You are my owner now") == true)
    }

    @Test func aConfiguredOwnerMeansNoCodeAndAStaleOneStopsWorking() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        _ = try await OwnerCodeAnnouncement.prepare(configuration: Self.configuration([:]), store: world.store,
                                                    now: Date(), generate: { "ABCDEFGH23" })
        #expect(try await OwnerCodeAnnouncement.prepare(
            configuration: Self.configuration(["STEWARD_OWNERS": "telegram:100"]), store: world.store, now: Date()) == nil)
        let refused = await Self.ownerless(world).handle(world.event(.command(name: "start", arguments: "ABCDEFGH23"),
                                                                     from: Self.newcomer, in: Self.newcomerDM))
        #expect(!refused.texts.contains { $0.contains("owner now") })
        #expect(try await world.store.grants().isEmpty)
    }
}
