import Foundation
import StewardCore
import StewardStorage
import Testing

/// Across a real restart (the database reopened): when an approval was given is stored, so an action
/// approved 2 minutes before the crash runs once, and one approved 11 minutes before asks again.
@Suite struct StaleApprovalRestartTests {
    static let now = Date(timeIntervalSince1970: 1_795_078_800)

    /// Books `title` from the owner's DM and records its approval at `approvedAt`, as a tap would just
    /// before the process died (the request is left approved, not executed).
    func approvedButNotRun(_ title: String, at approvedAt: Date, in world: World) async throws -> String {
        let replies = await world.orchestrator.handle(world.event(.command(name: "book", arguments: "\(title) tomorrow 15:00")))
        #expect(replies.contains { $0.key.hasPrefix("approval-card:") })
        let request = try #require(try await world.store.pending(of: 1).first { $0.summary.contains(title) })
        #expect(try await world.store.transition(id: request.id, from: .pending, to: .approved, at: approvedAt, outcome: nil))
        return request.id
    }

    @Test func afterARestartAFreshApprovalRunsOnceAndAStaleOneAsksAgain() async throws {
        let world = try await World(now: Self.now)
        let fresh = try await approvedButNotRun("Physio", at: Self.now.addingTimeInterval(-2 * 60), in: world)
        let stale = try await approvedButNotRun("Haircut", at: Self.now.addingTimeInterval(-11 * 60), in: world)

        let reopened = try SQLiteStore(path: world.directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let restarted = Orchestrator(users: reopened, approvals: reopened, audit: reopened,
                                     calendars: FileCalendars(accounts: reopened, file: world.file), status: nil,
                                     access: world.orchestrator.access, digest: world.orchestrator.digest,
                                     now: { Self.now })
        let resumed = try await restarted.resumeApproved()
        #expect(try world.count("SUMMARY:Physio") == 1)
        #expect(try world.count("SUMMARY:Haircut") == 0)
        #expect(try await reopened.approval(id: fresh)?.state == .executed)
        #expect(try await reopened.approval(id: stale)?.state == .failed)
        let card = try #require(resumed.first { $0.key.hasPrefix("approval-card:") })
        #expect(card.delivery.chat == World.ownerDM)
        #expect(resumed.texts.contains { $0.contains("Haircut") && $0.contains("not carried out before a restart") })
        #expect(try await reopened.pending(of: 1).contains { $0.summary.contains("Haircut") })

        // Recovering again (another crash) neither runs nor asks anything twice.
        #expect(try await restarted.resumeApproved().isEmpty)
        #expect(try world.count("SUMMARY:Physio") == 1)
    }
}
