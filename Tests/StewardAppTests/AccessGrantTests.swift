import Foundation
import StewardCore
import StewardStorage
import Testing
@testable import StewardApp

/// Someone let in after setup (`steward users allow`) is answered like a configured person, across a
/// restart; a stranger's refusal names their id and the command that lets them in; doctor counts owners
/// kept in the database.
@Suite struct AccessGrantTests {
    static let newcomer = ChatIdentity(platform: .telegram, userID: "300")
    static let newcomerDM = ChatRef(platform: .telegram, chatID: "300", isPrivate: true)

    @Test func someoneAllowedInTheDatabaseIsAnsweredAndRemovedIsRefused() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let before = await world.orchestrator.handle(world.event(.command(name: "tomorrow", arguments: ""),
                                                                 from: Self.newcomer, in: Self.newcomerDM))
        #expect(before.texts.first?.hasPrefix("Sorry, I'm a private assistant and can't help you yet. Your pairing code is ")
                == true)

        try await world.store.grant(AccessGrant(identity: Self.newcomer, role: .member, displayName: "Ana",
                                                grantedAt: Date()))
        let reopened = try SQLiteStore(path: world.directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let restarted = world.orchestrator(store: reopened)
        let answered = await restarted.handle(world.event(.command(name: "tomorrow", arguments: ""),
                                                          from: Self.newcomer, in: Self.newcomerDM))
        #expect(!answered.isEmpty)
        #expect(answered.texts.first?.contains("private assistant") == false)
        #expect(try await reopened.grants().map(\.identity) == [Self.newcomer])

        #expect(try await reopened.revokeGrant(of: Self.newcomer))
        #expect(try await reopened.revokeGrant(of: Self.newcomer) == false)
        let refused = await restarted.handle(world.event(.command(name: "tomorrow", arguments: ""),
                                                         from: Self.newcomer, in: Self.newcomerDM))
        #expect(refused.isEmpty)
    }

    /// Pairing end to end: the stranger gets a code and nothing else, the owner a card naming them with
    /// Allow and Deny; Allow lets them in, they are told, and their next message is answered.
    @Test func aStrangerGetsACodeTheOwnerAllowsAndTheyAreAnswered() async throws {
        let world = try await World()
        defer { try? FileManager.default.removeItem(at: world.directory) }
        var first = world.event(.message("hi, what's on tomorrow?"), from: Self.newcomer, in: Self.newcomerDM)
        first.senderName = "Eve"
        let asked = await world.orchestrator.handle(first)
        let toStranger = asked.filter { $0.delivery.chat == Self.newcomerDM }
        #expect(toStranger.count == 1)
        let code = String(try #require(toStranger.texts.first).filter(\.isNumber))
        #expect(code.count == 6)
        let card = try #require(asked.first { $0.delivery.chat == World.ownerDM })
        guard case .send(_, let message) = card.delivery else {
            Issue.record("expected the owner's card")
            return
        }
        #expect(message.title == "Let Eve (telegram:300) use Steward?")
        #expect(message.text.contains(code))
        #expect(message.buttons.map(\.title) == ["Allow", "Deny"])
        #expect(card.afterSend != nil)

        // The stranger tapping the owner's button, or writing again, changes nothing.
        let again = await world.orchestrator.handle(world.event(.message("hello?"), from: Self.newcomer, in: Self.newcomerDM))
        #expect(again.isEmpty)
        let allowed = await world.orchestrator.handle(world.event(.action(token: message.buttons[0].token),
                                                                  message: "900"))
        #expect(allowed.texts.contains { $0.contains("✓ Allowed: Eve can use Steward now.") })
        #expect(allowed.filter { $0.delivery.chat == Self.newcomerDM }.texts.contains { $0.contains("My owner let you in") })
        let answered = await world.orchestrator.handle(world.event(.command(name: "tomorrow", arguments: ""),
                                                                   from: Self.newcomer, in: Self.newcomerDM))
        #expect(!answered.isEmpty)
        #expect(!answered.texts.contains { $0.contains("private assistant") })
    }

    @Test func doctorCountsAnOwnerKeptInTheDatabase() throws {
        let configuration = try Configuration.load(
            environment: ["SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret-signing-value"], envFile: nil)
        #expect(DoctorChecks.ownerWarnings(configuration).first?.contains("steward users allow --owner slack:") == true)
        #expect(DoctorChecks.ownerWarnings(configuration,
                                           storedOwners: [ChatIdentity(platform: .slack, userID: "U1")]).isEmpty)
    }
}
