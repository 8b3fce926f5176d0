import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import StewardApp

/// The model's `settings_update`: a card showing the setting before and after; the change is saved on
/// Approve only, and a value `/settings` would refuse gets the same answer and no card.
@Suite struct PlannedSettingTests {
    static func withWorld(_ body: (World, FakeLLMServer) async throws -> Void) async throws {
        try await withFakeModel { server, transport in
            var world = try await World(now: Date(timeIntervalSince1970: 1_795_078_800))
            world.orchestrator = world.orchestrator(freeTextPlanner: try await FreeTextPlannerTests.planner(
                server, transport, budget: nil, world: world, stored: false))
            try await body(world, server)
        }
    }

    @Test func aProposedSettingIsACardAndIsSavedOnlyOnApprove() async throws {
        try await Self.withWorld { world, server in
            await server.state.enqueue(
                .toolCalls([FakeLLMToolCall(id: "c1", name: "settings_update", arguments: #"{"key":"buffer","value":"25m"}"#)]),
                .text("I'd leave 25 minutes between meetings."))
            let replies = await world.orchestrator.handle(world.event(.message("hmm, I keep running late between meetings")))
            let cards = replies.compactMap { delivery -> OutboundMessage? in
                if case .send(_, let message) = delivery.delivery, !message.buttons.isEmpty { return message }
                return nil
            }
            let card = try #require(cards.first)
            #expect(card.title == "Change this setting?")
            #expect(card.plainText.contains("Now: buffer 15m") && card.plainText.contains("New: buffer 25m"))
            let beforeTap = try await world.store.settings(of: 1).bufferMinutes
            #expect(beforeTap == 15, "nothing is saved before Approve")

            let approve = try #require(card.buttons.first?.token)
            let done = await world.orchestrator.handle(world.event(.action(token: approve)))
            #expect(done.texts.contains { $0.contains("✓ Saved: buffer 25m") })
            let afterTap = try await world.store.settings(of: 1).bufferMinutes
            #expect(afterTap == 25)
        }
    }

    @Test func aValueSettingsWouldRefuseGetsItsAnswerAndNoCard() async throws {
        try await Self.withWorld { world, server in
            await server.state.enqueue(
                .toolCalls([FakeLLMToolCall(id: "c1", name: "settings_update", arguments: #"{"key":"buffer","value":"a while"}"#)]),
                .text("Done."))
            let replies = await world.orchestrator.handle(world.event(.message("hmm, give me some room between meetings")))
            #expect(replies.texts.contains { $0.contains("The assistant proposed a setting I can't use: buffer") })
            let waiting = try await world.store.pending(of: 1)
            let buffer = try await world.store.settings(of: 1).bufferMinutes
            #expect(waiting.isEmpty)
            #expect(buffer == 15)
        }
    }
}
