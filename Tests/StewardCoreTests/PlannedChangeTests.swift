import Foundation
import Testing
@testable import StewardCore

/// Moves and cancellations the model proposes (by the id of an event it was shown) go through the same
/// lookup and before/after card as typed ones: nothing is written before Approve, and an id that is not
/// in the owner's calendars finds nothing.
@Suite struct PlannedChangeTests {
    /// A planner that proposes what the test says, like the LLM planner after validation.
    struct ScriptedPlanner: FreeTextPlanner {
        let plan: FreeTextPlan
        func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
                  progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan { plan }
    }

    static func world() -> (CoreWorld, FakeCalendar) {
        let calendar = FakeCalendar(accountID: "google:1", events: EventChangeTests.week())
        return (CoreWorld([("Work", "google", calendar)]), calendar)
    }

    static func ask(_ world: CoreWorld, planning plan: FreeTextPlan) async -> [KeyedDelivery] {
        let orchestrator = world.orchestrator(freeTextPlanner: ScriptedPlanner(plan: plan))
        return await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                      kind: .message("hmm, could you sort out that design review thing for me"),
                                                      receivedAt: CoreWorld.now))
    }

    @Test func aProposedMoveBecomesTheUsualCardAndMovesOnceOnApprove() async throws {
        let (world, calendar) = Self.world()
        let answer = await Self.ask(world, planning: FreeTextPlan(
            outcome: .answered, text: "I've asked you to approve the move.",
            changes: [.move(eventID: "d1", start: EventChangeTests.at(26, 10))]))
        let card = try #require(answer.messages.first { !$0.buttons.isEmpty })
        #expect(card.text.hasPrefix("Move “Design review”\nfrom Tue 24 Nov 14:00–15:00\nto Thu 26 Nov 10:00–11:00"))
        #expect(await calendar.moves.isEmpty, "nothing is written before Approve")
        _ = await world.tap(try #require(answer.approveToken))
        let moves = await calendar.moves
        #expect(moves.count == 1 && moves.first?.id == "d1" && moves.first?.end == EventChangeTests.at(26, 11))
    }

    @Test func aProposedCancelKeepsTheModelsNotifyChoiceOnTheCard() async throws {
        let (world, calendar) = Self.world()
        let answer = await Self.ask(world, planning: FreeTextPlan(outcome: .answered, text: nil,
                                                                  changes: [.cancel(eventID: "d1", notify: false)]))
        let card = try #require(answer.messages.first { !$0.buttons.isEmpty })
        #expect(card.text.hasPrefix("Cancel “Design review”"))
        #expect(!card.text.contains("will be notified"))
        #expect(await calendar.cancels.isEmpty)
    }

    @Test func anInventedIDFindsNothingAndAskingForTwoChangesGetsOneCard() async throws {
        let (world, calendar) = Self.world()
        let invented = await Self.ask(world, planning: FreeTextPlan(outcome: .answered, text: nil,
                                                                    changes: [.cancel(eventID: "ceo-offsite", notify: true)]))
        #expect(invented.messages.allSatisfy { $0.buttons.isEmpty })
        #expect(invented.text.contains("I couldn't find the upcoming event the assistant picked"))
        #expect(await world.store.pending(of: 1).isEmpty)

        let two = await Self.ask(world, planning: FreeTextPlan(outcome: .answered, text: nil, changes: [
            .cancel(eventID: "s1", notify: true), .cancel(eventID: "s2", notify: true)]))
        #expect(two.messages.filter { !$0.buttons.isEmpty }.count == 1)
        #expect(two.text.contains("I can't turn calendar_cancel_event into an approval card yet"))
        #expect(await calendar.cancels.isEmpty)
    }
}
