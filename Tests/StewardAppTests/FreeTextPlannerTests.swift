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
        let client = ChatCompletionsClient(
            endpoint: LLMEndpoint(baseURL: try await server.baseURL, apiKey: nil, model: "fake-model", timeout: .seconds(20)),
            transport: transport, retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20)))
        world.orchestrator.freeTextPlanner = LLMFreeTextPlanner(model: client, dailyTokenBudget: budget,
                                                                directory: world.orchestrator.calendars,
                                                                logger: Logger(label: "test"))
        return world
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
