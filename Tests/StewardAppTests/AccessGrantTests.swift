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
        #expect(before.texts == ["Sorry, I'm a private assistant and can't help you. If you know my owner, ask them "
                                 + "to let you in with: steward users allow telegram:300"])

        try await world.store.grant(AccessGrant(identity: Self.newcomer, role: .member, displayName: "Ana",
                                                grantedAt: Date()))
        let reopened = try SQLiteStore(path: world.directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        var restarted = world.orchestrator
        restarted.users = reopened
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

    @Test func doctorCountsAnOwnerKeptInTheDatabase() throws {
        let configuration = try Configuration.load(
            environment: ["SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret-signing-value"], envFile: nil)
        #expect(DoctorChecks.ownerWarnings(configuration).first?.contains("steward users allow --owner slack:") == true)
        #expect(DoctorChecks.ownerWarnings(configuration,
                                           storedOwners: [ChatIdentity(platform: .slack, userID: "U1")]).isEmpty)
    }
}
