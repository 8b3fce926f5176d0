import Foundation
import StewardCore
@testable import StewardStorage
import Testing

/// A follow-up fires once: marking it fired and queueing its push are one write, so firing it again (a
/// second instance, a retry after a crash) queues nothing; a snooze makes the next push a new round.
@Suite struct FollowUpStorageTests {
    static func reminder(_ id: String, user: User.ID, due: Date) -> FollowUp {
        FollowUp(id: id, userID: user, kind: .reminder, request: "remind me at 9 to call Sam", task: "call Sam",
                 dueAt: due, timeZone: "Europe/Berlin", localDue: "2026-12-07 09:00", createdAt: Date())
    }

    static func push(_ followUp: FollowUp) -> KeyedDelivery {
        KeyedDelivery(key: followUp.pushKey, delivery: .send(chat: dm, message: OutboundMessage(text: followUp.task)))
    }

    @Test func firingTwiceQueuesOnePushAndASnoozeIsANewRound() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = try await store.ensureUser(identity: alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "Europe/Berlin")).id
        let now = Date()
        let stored = try await store.insert(Self.reminder("a1b2c3d4e5f6", user: user, due: now.addingTimeInterval(-1)))
        // The same request stored again keeps the first.
        var again = Self.reminder("a1b2c3d4e5f6", user: user, due: now.addingTimeInterval(999))
        again.task = "other"
        #expect(try await store.insert(again) == stored)
        #expect(try await store.due(at: now, limit: 10).map(\.id) == ["a1b2c3d4e5f6"])

        #expect(try await store.fire(stored.id, push: Self.push(stored), at: now))
        #expect(try await !store.fire(stored.id, push: Self.push(stored), at: now))
        #expect(try await store.item(key: "follow-up:a1b2c3d4e5f6:0") != nil)
        #expect(try await store.pendingCount() == 1)
        #expect(try await store.due(at: now, limit: 10).isEmpty)

        // Snoozed: due again later, under round 1; a snooze of a snoozed one is refused.
        #expect(try await store.transition(stored.id, from: [.fired], to: .snoozed, dueAt: now.addingTimeInterval(3600),
                                           outcome: nil, at: now))
        #expect(try await !store.transition(stored.id, from: [.fired], to: .snoozed, dueAt: now, outcome: nil, at: now))
        let snoozed = try #require(try await store.followUp(id: stored.id))
        #expect(snoozed.round == 1 && snoozed.pushKey == "follow-up:a1b2c3d4e5f6:1" && snoozed.isWaiting)
        #expect(try await store.due(at: now, limit: 10).isEmpty)
        #expect(try await store.due(at: now.addingTimeInterval(3601), limit: 10).map(\.id) == [stored.id])
        #expect(try await store.fire(stored.id, push: Self.push(snoozed), at: now.addingTimeInterval(3601)))
        #expect(try await store.pendingCount() == 2)

        // Done settles it; a reopened store agrees.
        #expect(try await store.transition(stored.id, from: [.fired], to: .done, dueAt: nil, outcome: "done", at: now))
        let reopened = try SQLiteStore(path: directory.appendingPathComponent("steward.sqlite").path, secrets: nil)
        let final = try #require(try await reopened.followUp(id: stored.id))
        #expect(final.status == .done && final.outcome == "done" && final.firedAt != nil)
        #expect(try await reopened.waiting(of: user).isEmpty)
    }
}
