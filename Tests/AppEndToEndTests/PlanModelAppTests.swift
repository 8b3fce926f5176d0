import Foundation
import StewardTesting
import Testing

/// A scripted model that moves three events in one turn, the whole app in this process: the three moves
/// come as one plan on one card (not one card and "can't yet"), and Approve all moves each once at the
/// fake Google.
@Suite struct PlanModelAppTests {
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = AppWorld.berlin
        return formatter.string(from: date)
    }

    @Test func threeMovesInOneModelTurnAreOnePlanOnOneCard() async throws {
        let model = FakeLLMServer()
        try await model.start()
        var failure: (any Error)?
        do { try await Self.threeMoves(model) } catch { failure = error }
        await model.stop()
        if let failure { throw failure }
    }

    static func threeMoves(_ model: FakeLLMServer) async throws {
        try await AppWorld.run(withGoogle: true, environment: ["LLM_BASE_URL": try await model.baseURL.absoluteString,
                                                               "LLM_MODEL": "fake-model"]) { world in
            let google = try world.fakeGoogle
            var ids: [String] = []
            for hour in [9, 11, 14] {
                let start = PlanAppTests.day(2, hour)
                ids.append(try await google.state.addTimedEvent(calendarID: AppWorld.email, summary: "Call at \(hour)",
                                                                start: start, end: start.addingTimeInterval(1800),
                                                                timeZone: "Europe/Berlin"))
            }
            let calls = zip(ids, [9, 11, 14]).enumerated().map { number, pair in
                let start = PlanAppTests.day(2, pair.1 + 1)
                return FakeLLMToolCall(id: "c\(number)", name: "calendar_move_event", arguments:
                    #"{"event_id":"\#(pair.0)","start":"\#(iso(start))","end":"\#(iso(start.addingTimeInterval(1800)))"}"#)
            }
            await model.state.enqueue(.toolCalls(calls), .text("I've put the three moves on one card."))
            _ = try await world.bootConnected()

            await world.telegram.sendText("hmm, sort out my calls that day, an hour later each", from: AppWorld.owner)
            try await waitUntil(timeout: .seconds(20)) { await world.messages().contains { !$0.buttons.isEmpty && $0.text.contains("3 changes") } }
            let messages = await world.messages()
            let card = try #require(messages.first { !$0.buttons.isEmpty })
            #expect(messages.filter { !$0.buttons.isEmpty }.count == 1, "one card")
            #expect(!messages.contains { $0.text.contains("can't turn") }, "\(messages.map(\.text))")
            #expect(card.text.contains("1. Move “Call at 9”") && card.text.contains("3. Move “Call at 14”"), "\(card.text)")

            _ = try await PlanAppTests.tap(world, card, "Approve all")
            _ = try await PlanAppTests.edit(of: card, saying: "All 3 done", in: world)
            #expect(await PlanAppTests.patched(google) == ids)
        }
    }
}
