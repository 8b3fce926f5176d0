import Foundation
import Testing
@testable import StewardCore

/// An approval that was not carried out before a crash runs after the restart only when it is fresh
/// (approved in the last 10 minutes); an older one asks again on a new card.
@Suite struct StaleApprovalTests {
    /// The owner's DM world with a clock the test moves (the "restart" happens later than the approval).
    struct Restart {
        let store = MemoryStore()
        let calendar = FakeCalendar(accountID: "google:1", events: [])
        let clock = Locked(CoreWorld.at(2026, 11, 21, 9))
        let orchestrator: Orchestrator

        init() {
            let account = Account(id: 1, userID: 1, kind: "google", label: "Work", options: [:], createdAt: CoreWorld.now)
            let clock = clock
            orchestrator = Orchestrator(
                users: store, approvals: store, audit: store, calendars: FakeDirectory(entries: [(account, calendar)]),
                status: nil, access: AccessPolicy(owners: [CoreWorld.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
                digest: { data in String(UInt64(bitPattern: Int64(data.hashValue)), radix: 16) + "-\(data.count)" },
                now: { clock.withLock { $0 } })
        }

        func set(_ date: Date) { clock.withLock { $0 = date } }

        func send(_ kind: InboundEvent.Kind) async -> [KeyedDelivery] {
            await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                   kind: kind, receivedAt: clock.withLock { $0 }))
        }

        /// Books `title`, then approves it at `approvedAt` as a tap would — except that the process "dies"
        /// before running it (the request is left approved, not executed).
        func approvedButNotRun(_ title: String, at approvedAt: Date) async throws -> String {
            set(approvedAt.addingTimeInterval(-60))
            _ = await send(.command(name: "book", arguments: "\(title) tomorrow 15:00"))
            let request = try #require(try await store.pending(of: 1).first { $0.summary.contains(title) })
            #expect(try await store.transition(id: request.id, from: .pending, to: .approved, at: approvedAt, outcome: nil))
            return request.id
        }
    }

    @Test func aFreshApprovalRunsOnceAfterTheRestartAndAStaleOneAsksAgain() async throws {
        let world = Restart()
        let restart = CoreWorld.at(2026, 11, 21, 10)
        let fresh = try await world.approvedButNotRun("Physio", at: restart.addingTimeInterval(-2 * 60))
        let stale = try await world.approvedButNotRun("Haircut", at: restart.addingTimeInterval(-11 * 60))
        world.set(restart)

        let resumed = try await world.orchestrator.resumeApproved()
        #expect(await world.calendar.created.map(\.title) == ["Physio"])
        #expect(try await world.store.approval(id: fresh)?.state == .executed)
        #expect(try await world.store.approval(id: stale)?.state == .failed)

        // The stale one: a new card, for the same event, saying when it was approved.
        let card = try #require(resumed.first { $0.key.hasPrefix("approval-card:") })
        guard case .send(let chat, let message) = card.delivery else { Issue.record("the card is not a send"); return }
        #expect(chat == CoreWorld.dm)
        #expect(message.plainText.contains("Haircut"))
        #expect(message.plainText.contains("approved this at 09:49"))
        #expect(message.plainText.contains("not carried out before a restart"))
        #expect(message.buttons.map(\.title) == ["Approve", "Reject"])
        #expect(resumed.text.contains("Physio"))

        // A second restart neither runs nor asks anything again.
        #expect(try await world.orchestrator.resumeApproved().isEmpty)
        #expect(await world.calendar.created.count == 1)

        // Approving the new card does it, once.
        let token = try #require(message.buttons.first?.token)
        let tap = await world.send(.action(token: token))
        #expect(tap.text.contains("Added"))
        #expect(await world.calendar.created.map(\.title) == ["Physio", "Haircut"])
    }

    @Test func anApprovalFromYesterdayNamesItsDay() async throws {
        let world = Restart()
        _ = try await world.approvedButNotRun("Haircut", at: CoreWorld.at(2026, 11, 20, 18, 5))
        world.set(CoreWorld.at(2026, 11, 21, 10))
        let resumed = try await world.orchestrator.resumeApproved()
        #expect(resumed.text.contains("approved this at Fri 20 Nov 18:05"))
        #expect(await world.calendar.created.isEmpty)
    }
}
