import Foundation
import Logging
import StewardCore
import StewardRuntime
import StewardStorage
import StewardTesting
import Testing

/// The card's message id is what the outbox got back when it sent the card, kept on the card's record:
/// so the card can be changed later (its expiry), also by a process started after the send.
@Suite struct ApprovalCardRecordTests {
    /// Takes every delivery and gives each sent message the next id.
    actor Numbering: DeliveryChannel {
        nonisolated let platform = Platform.telegram
        private(set) var delivered: [(key: String, delivery: Delivery)] = []

        func deliver(_ delivery: Delivery) async throws -> String? { try await deliver(delivery, key: "", resumingAfter: 0) }

        func deliver(_ delivery: Delivery, key: String, resumingAfter sentChunks: Int) async throws -> String? {
            delivered.append((key, delivery))
            return "m\(delivered.count)"
        }
    }

    static let now = Date(timeIntervalSince1970: 1_795_078_800)

    @Test func theCardsSentMessageIsTheOneItsExpiryEditsAfterARestart() async throws {
        let world = try await World(now: Self.now)
        defer { try? FileManager.default.removeItem(at: world.directory) }
        let replies = await world.orchestrator.handle(world.event(.command(name: "book", arguments: "Gym tomorrow 15:00")))
        try await world.store.complete([InboundCompletion(eventID: "e1", deliveries: replies)], at: Self.now)
        let channel = Numbering()
        let dispatcher = OutboxDispatcher(outbox: world.store, users: world.store, channels: [.telegram: channel],
                                          logger: Logger(label: "test"))
        try await waitUntil {
            await dispatcher.flush()
            return (try? await world.store.pendingCount()) == 0
        }
        let delivered = await channel.delivered
        let sentCard = try #require(delivered.firstIndex { $0.key.hasPrefix("approval-card:") })
        let messageID = "m\(sentCard + 1)"

        let reopened = try SQLiteStore(path: world.directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let request = try #require(try await reopened.pending(of: 1).first)
        #expect(request.cardMessageID == messageID)
        let later = Orchestrator(users: reopened, approvals: reopened, audit: reopened,
                                 calendars: FileCalendars(accounts: reopened, file: world.file), status: nil,
                                 access: world.orchestrator.access, digest: world.orchestrator.digest,
                                 now: { Self.now.addingTimeInterval(25 * 3600) })
        let edits = try await later.expireOverdue()
        #expect(edits.count == 1)
        guard case .edit(let chat, let edited, let card)? = edits.first?.delivery else {
            Issue.record("expected an edit of the card, got \(edits)")
            return
        }
        #expect(chat == World.ownerDM)
        #expect(edited == messageID)
        #expect(card.text.contains("Gym") && card.text.contains("This request expired — nothing was done."))
        #expect(card.buttons.isEmpty)
    }
}
