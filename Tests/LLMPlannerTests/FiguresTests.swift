import Foundation
import StewardTesting
import Testing
@testable import LLMPlanner

/// The figures issue 7 asks for, printed so they can be reported; the targets are asserted.
@Suite("Prompt-size and overhead figures")
struct FiguresTests {
    @Test func scheduleQuestionIncludingToolSchemasFitsInFifteenHundredTokens() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(.text("You're free after 15:00."))
            _ = try await Planner(model: client, executor: RecordingExecutor(),
                                  budget: TokenBudget(ledger: InMemoryTokenLedger(), dailyLimit: nil))
                .plan("Am I free on Thursday afternoon?", userID: "u1", chatID: "c", context: plannerContext())
            let reported = try #require(await server.state.requests.first).promptTokens
            let estimated = TokenEstimate.prompt(ChatRequest(
                messages: [.system(PromptBuilder.systemPrompt(plannerContext())), .user("Am I free on Thursday afternoon?")],
                tools: ToolRegistry.steward.definitions, toolChoice: .auto))
            let schemas = TokenEstimate.tokens(JSONValue.array(ToolRegistry.steward.definitions.map(\.json)).text)
            print("FIGURE schedule question prompt tokens: \(reported) (fake's usage), \(estimated) (chars/4 of the body); tool schemas alone: \(schemas)")
            #expect(reported <= 1_500)
            #expect(estimated <= 1_500)
        }
    }

    @Test func aTriagedMailCostsAtMostOneHundredTwentyPromptTokensAloneOrInABatch() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(.text("normal"))
            await server.state.enqueue(.text((1...10).map { "\($0): normal" }.joined(separator: "\n")))
            let items = (0...10).map { number in
                PromptBuilder.triageItem(MailSummary(
                    id: "m\(number)", from: "Jordan Smith <jordan.smith@vendor.example.com>",
                    subject: "Quarterly invoice \(number) and the renewal of the support contract for 2027", date: fixedNow,
                    body: String(repeating: "Lorem ipsum dolor sit amet, consectetur. ", count: 40)), zone: berlin)
            }
            let cache = ClassificationCache()
            let budget = TokenBudget(ledger: InMemoryTokenLedger(), dailyLimit: nil)
            let alone = try await cache.classify([items[0]], model: client, budget: budget, userID: "u1", day: "2026-11-19")
            let batch = try await cache.classify(Array(items[1...]), model: client, budget: budget, userID: "u1", day: "2026-11-19")
            #expect((alone + batch).allSatisfy { $0 == "normal" })
            let requests = await server.state.requests
            #expect(requests.count == 2, "one request for the single mail, one for the batch of ten")
            let single = requests[0].promptTokens, ten = requests[1].promptTokens
            print("FIGURE triage prompt tokens (fake's usage, long bodies): \(single) for one mail; \(ten) for ten, \(ten / 10) a mail")
            #expect(single <= 120)
            #expect(ten / 10 <= 120)
        }
    }

    @Test func plannerOverheadWithoutTheModel() async throws {
        let model = InstantModel()
        let planner = Planner(model: model, executor: RecordingExecutor(mails: [PlannerTests.sarahMail], events: [PlannerTests.thursday]),
                              conversations: InMemoryConversationStore(), budget: TokenBudget(ledger: InMemoryTokenLedger(), dailyLimit: nil))
        let context = plannerContext()
        for _ in 0..<20 { _ = try await planner.plan("Email Sarah", userID: "u", chatID: "c", context: context) }  // warm up
        // The best of several batches: other suites share the two cores, and the figure is the planner's own cost.
        let clock = ContinuousClock()
        var best = Duration.seconds(1)
        for _ in 0..<5 {
            let runs = 60
            let elapsed = try await clock.measure {
                for _ in 0..<runs { _ = try await planner.plan("Email Sarah", userID: "u", chatID: "c", context: context) }
            }
            best = min(best, elapsed / runs)
        }
        let perStep = best / 3
        print("FIGURE planner overhead without the model: \(best) per 3-step plan (2 reads, 1 proposal), \(perStep) per step (debug build)")
        // The < 1 ms figure is reported, not asserted (DESIGN.md: speed is for benchmarks; the machine is
        // shared); this bound only catches a gross regression such as a formatter built per call.
        #expect(perStep < .milliseconds(20))
    }
}

/// A model that answers at once: reads, then a draft, then text — so only the planner's own work is timed.
final class InstantModel: ChatModel, @unchecked Sendable {
    private let lock = NSLock()
    private var turn = 0

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let step = lock.withLock { () -> Int in
            defer { turn += 1 }
            return turn % 3
        }
        switch step {
        case 0:
            return ChatResponse(content: nil, toolCalls: [
                ToolCall(id: "a", name: "mail_search", arguments: #"{"query":"from:sarah"}"#),
                ToolCall(id: "b", name: "calendar_list_events", arguments: #"{"start":"2026-11-19T00:00:00+01:00","end":"2026-11-20T00:00:00+01:00"}"#),
            ], usage: TokenUsage(promptTokens: 900, completionTokens: 40))
        case 1:
            return ChatResponse(content: nil, toolCalls: [
                ToolCall(id: "c", name: "mail_draft_reply", arguments: #"{"to":["sarah@example.com"],"body":"Moves to 15:00."}"#),
            ], usage: TokenUsage(promptTokens: 1100, completionTokens: 30))
        default:
            return ChatResponse(content: "Drafted.", usage: TokenUsage(promptTokens: 1200, completionTokens: 5))
        }
    }

    func stream(_ request: ChatRequest, progress: @escaping @Sendable (StreamProgress) -> Void) async throws -> ChatResponse {
        try await complete(request)
    }
}
