import Foundation
import LLMPlanner
import StewardCore
import StewardTesting
import Testing
@testable import StewardApp

/// The model's conversation memory is one person's in one chat: in a group, a member's request never
/// carries another member's turns or the answers they got, and each person's own window survives a restart.
@Suite struct GroupConversationTests {
    static let secretAsk = "what is the codename of my secret project"
    static let secretAnswer = "Your secret project is called BLUEBIRD."

    /// Every text the model was shown in request `index`.
    static func contents(_ server: FakeLLMServer, _ index: Int) async -> [String] {
        await server.state.requests[index].messages.compactMap { $0["content"]?.stringValue }
    }

    @Test func aMembersRequestNeverCarriesAnotherMembersTurns() async throws {
        try await withFakeModel { server, transport in
            var world = try await World(now: Date(timeIntervalSince1970: 1_795_078_800))
            world.orchestrator = world.orchestrator(freeTextPlanner: try await FreeTextPlannerTests.planner(
                server, transport, budget: nil, world: world, stored: true))
            await server.state.enqueue(.text(Self.secretAnswer), .text("I can't see any earlier question."),
                                       .text("Still BLUEBIRD."), .text("Still BLUEBIRD."), .text("Nothing yet."))
            _ = await world.orchestrator.handle(world.event(.message(Self.secretAsk), in: World.group))

            _ = await world.orchestrator.handle(world.event(.message("what did the last person ask you"),
                                                            from: World.friend, in: World.group))
            let friends = await Self.contents(server, 1)
            #expect(friends.contains("what did the last person ask you"))
            #expect(!friends.contains { $0.contains("secret project") || $0.contains("BLUEBIRD") })

            // The owner's own follow-up in the group still has their exchange, and not the friend's.
            _ = await world.orchestrator.handle(world.event(.message("and remind me again"), in: World.group))
            let owners = await Self.contents(server, 2)
            #expect(owners.contains(Self.secretAsk) && owners.contains(Self.secretAnswer))
            #expect(!owners.contains { $0.contains("last person") })

            // A restart: a new planner over the same database keeps each person's window apart.
            world.orchestrator = world.orchestrator(freeTextPlanner: try await FreeTextPlannerTests.planner(
                server, transport, budget: nil, world: world, stored: true))
            _ = await world.orchestrator.handle(world.event(.message("once more"), in: World.group))
            let restarted = await Self.contents(server, 3)
            #expect(restarted.contains(Self.secretAsk) && restarted.contains("Still BLUEBIRD."))
            #expect(!restarted.contains { $0.contains("last person") })

            // The same person in another chat (their DM) starts from that chat's own window.
            _ = await world.orchestrator.handle(world.event(.message("anything new")))
            let direct = await Self.contents(server, 4)
            #expect(!direct.contains { $0.contains("secret project") || $0.contains("BLUEBIRD") })
        }
    }

    @Test func theKeyNamesThePersonAndTheChat() {
        let alice = ConversationKey.of(person: "1", chat: "telegram:-1001")
        #expect(alice != ConversationKey.of(person: "2", chat: "telegram:-1001"))
        #expect(alice != ConversationKey.of(person: "1", chat: "telegram:100"))
        #expect(alice == ConversationKey.of(person: "1", chat: "telegram:-1001"))
    }
}
