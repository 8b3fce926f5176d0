import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import StewardApp

/// Free text the parser does not understand goes to the LLM planner (the fake model here); the
/// parser stays the fallback, with one notice, when the model is down or over budget.
@Suite struct FreeTextPlannerTests {
    static let text = "hmm, could you sort out lunch with Sarah on friday"

    func world(with server: FakeLLMServer, transport: AsyncHTTPTransport, budget: Int? = nil) async throws -> World {
        var world = try await World(now: Date(timeIntervalSince1970: 1_795_078_800))
        world.orchestrator = world.orchestrator(
            freeTextPlanner: try await Self.planner(server, transport, budget: budget, world: world, stored: false))
        return world
    }

    /// A planner as the app builds it; `stored` keeps spending and conversation in the world's database.
    static func planner(_ server: FakeLLMServer, _ transport: AsyncHTTPTransport, budget: Int?, world: World,
                        stored: Bool) async throws -> LLMFreeTextPlanner {
        let client = try await fakeModelClient(server, transport)
        let logger = Logger(label: "test")
        guard stored else {
            return LLMFreeTextPlanner(model: client, dailyTokenBudget: budget, directory: world.orchestrator.calendars, logger: logger)
        }
        return LLMFreeTextPlanner(model: client, dailyTokenBudget: budget, directory: world.orchestrator.calendars,
                                  ledger: StoredTokenLedger(store: world.store, logger: logger),
                                  conversations: StoredConversations(store: world.store, window: 6, logger: logger),
                                  logger: logger)
    }

    @Test func todaysSpendingAndTheConversationSurviveARestart() async throws {
        let server = FakeLLMServer()
        try await server.start()
        let transport = AsyncHTTPTransport()
        var world = try await World(now: Date(timeIntervalSince1970: 1_795_078_800))
        world.orchestrator = world.orchestrator(
            freeTextPlanner: try await Self.planner(server, transport, budget: 10_000, world: world, stored: true))
        await server.state.setFallback(.text("Lunch on Friday works at 12:30."))
        _ = await world.orchestrator.handle(world.event(.message(Self.text)))
        let prompt = try #require(await server.state.requests.first).promptTokens
        let before = await world.orchestrator.handle(world.event(.command(name: "status", arguments: "")))
        let line = try #require(before.texts.joined(separator: "\n").split(separator: "\n").first { $0.hasPrefix("Model tokens today: ") })
        let spent = try #require(Int(line.dropFirst("Model tokens today: ".count).prefix { $0.isNumber }))
        #expect(spent > prompt, "prompt and completion tokens both count")

        // A restart: a new planner over the same database remembers the spending and the last exchange.
        world.orchestrator = world.orchestrator(
            freeTextPlanner: try await Self.planner(server, transport, budget: spent, world: world, stored: true))
        let status = await world.orchestrator.handle(world.event(.command(name: "status", arguments: "")))
        #expect(status.texts.contains { $0.contains("Model tokens today: \(spent) of \(spent)") })
        let over = await world.orchestrator.handle(world.event(.message("and what about monday, same time")))
        #expect(over.texts.contains { $0.contains("budget is used up") }, "a restart does not reset the daily cap")
        #expect(await server.state.requests.count == 1)

        world.orchestrator = world.orchestrator(
            freeTextPlanner: try await Self.planner(server, transport, budget: nil, world: world, stored: true))
        _ = await world.orchestrator.handle(world.event(.message("and what about monday, same time")))
        let followUp = try #require(await server.state.requests.last).messages.compactMap { $0["content"]?.stringValue }
        #expect(followUp.contains(Self.text) && followUp.contains("Lunch on Friday works at 12:30."),
                "the earlier exchange is sent along after the restart")
        try await transport.shutdown()
        await server.stop()
    }

    @Test func aProposedBookingBecomesAnApprovalCardAndNothingIsWritten() async throws {
        let server = FakeLLMServer()
        try await server.start()
        let transport = AsyncHTTPTransport()
        let world = try await world(with: server, transport: transport)
        await server.state.enqueue(
            .toolCalls([FakeLLMToolCall(id: "c1", name: "calendar_create_event",
                                        arguments: #"{"title":"Lunch with Sarah","start":"2026-11-20T12:30:00+01:00","end":"2026-11-20T13:30:00+01:00"}"#)]),
            .text("I've prepared the booking for your approval."))
        let replies = await world.orchestrator.handle(world.event(.message(Self.text)))
        #expect(await server.state.requests.count == 2)
        #expect(replies.texts.contains("I've prepared the booking for your approval."))
        let cards = replies.compactMap { delivery -> OutboundMessage? in
            if case .send(_, let message) = delivery.delivery, !message.buttons.isEmpty { return message }
            return nil
        }
        #expect(cards.count == 1)
        #expect(cards.first?.plainText.contains("Lunch with Sarah") == true)
        #expect(try world.count("Lunch with Sarah") == 0)  // nothing written before the tap
        try await transport.shutdown()
        await server.stop()
    }

    @Test func aProposedCancelOfAnEventTheOwnerDoesNotHaveRequestsNothing() async throws {
        let server = FakeLLMServer()
        try await server.start()
        let transport = AsyncHTTPTransport()
        let world = try await world(with: server, transport: transport)
        await server.state.enqueue(
            .toolCalls([FakeLLMToolCall(id: "c1", name: "calendar_cancel_event",
                                        arguments: #"{"event_id":"made-up-by-the-model","notify_attendees":true}"#)]),
            .text("Cancelled."))
        let replies = await world.orchestrator.handle(world.event(.message(Self.text)))
        #expect(replies.texts.contains { $0.contains("I couldn't find the upcoming event the assistant picked") })
        #expect(replies.allSatisfy { delivery in
            if case .send(_, let message) = delivery.delivery { return message.buttons.isEmpty }
            return true
        }, "no card for an event that isn't there")
        try await transport.shutdown()
        await server.stop()
    }

    @Test func aModelThatIsDownFallsBackToTheParserWithOneNotice() async throws {
        let server = FakeLLMServer()
        try await server.start()
        let transport = AsyncHTTPTransport()
        let world = try await world(with: server, transport: transport)
        await server.state.setFallback(.serverError(status: 503))
        let first = await world.orchestrator.handle(world.event(.message(Self.text)))
        #expect(first.texts.contains { $0.contains("isn't reachable") })
        #expect(first.texts.contains { $0.contains("I didn't catch that") })
        let second = await world.orchestrator.handle(world.event(.message(Self.text)))
        #expect(!second.texts.contains { $0.contains("isn't reachable") })
        #expect(second.texts.contains { $0.contains("I didn't catch that") })
        try await transport.shutdown()
        await server.stop()
    }

    @Test func overBudgetFallsBackWithItsOwnNotice() async throws {
        let server = FakeLLMServer()
        try await server.start()
        let transport = AsyncHTTPTransport()
        let world = try await world(with: server, transport: transport, budget: 10)
        await server.state.setFallback(.text("fine"))
        _ = await world.orchestrator.handle(world.event(.message(Self.text)))  // spends more than 10 tokens
        let over = await world.orchestrator.handle(world.event(.message(Self.text)))
        #expect(over.texts.contains { $0.contains("budget is used up") })
        #expect(await server.state.requests.count == 1)
        let status = await world.orchestrator.handle(world.event(.command(name: "status", arguments: "")))
        let spent = try #require(await server.state.requests.first).promptTokens
        #expect(status.texts.contains { $0.contains("Model tokens today: \(spent + 1) of 10") })
        try await transport.shutdown()
        await server.stop()
    }
}
