import Foundation
import StewardHTTP
import StewardTesting
import Testing
@testable import LLMPlanner

@Suite("Planner loop against the fake model")
struct PlannerTests {
    static let sarahMail = MailSummary(id: "m1", from: "Sarah Lee <sarah@example.com>", subject: "Thursday's meeting",
                                       date: fixedNow.addingTimeInterval(-3600),
                                       body: "Hi Ana, can we talk on Thursday? " + String(repeating: "x", count: 900))
    static let thursday = EventSummary(id: "e42", title: "Project sync", start: fixedNow.addingTimeInterval(3600),
                                       end: fixedNow.addingTimeInterval(7200), attendeeCount: 3)

    func planner(_ client: ChatCompletionsClient, _ executor: RecordingExecutor, ledger: InMemoryTokenLedger = InMemoryTokenLedger(),
                 budget: Int? = nil, limits: PlannerLimits = PlannerLimits(),
                 conversations: InMemoryConversationStore = InMemoryConversationStore()) -> Planner {
        Planner(model: client, executor: executor, conversations: conversations,
                budget: TokenBudget(ledger: ledger, dailyLimit: budget), limits: limits)
    }

    @Test func emailSarahBecomesReadsThenADraftProposalAndNothingIsSent() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(
                .toolCalls([call("c1", "mail_search", #"{"query":"from:sarah"}"#),
                            call("c2", "calendar_list_events", #"{"start":"2026-11-19T00:00:00+01:00","end":"2026-11-20T00:00:00+01:00"}"#)]),
                .toolCalls([call("c3", "mail_draft_reply",
                                 #"{"to":["sarah@example.com"],"subject":"Re: Thursday's meeting","body":"Thursday's meeting moves to 15:00.","reply_to_message_id":"m1"}"#)]),
                .text("I drafted the reply to Sarah; approve it to send."))
            let executor = RecordingExecutor(mails: [Self.sarahMail], events: [Self.thursday])
            let ledger = InMemoryTokenLedger()
            let result = try await planner(client, executor, ledger: ledger)
                .plan("Email Sarah that Thursday's meeting moves to 3pm", userID: "u1", chatID: "c1", context: plannerContext())
            #expect(result.stop == .answered)
            #expect(result.toolsRun == ["mail_search", "calendar_list_events"])
            #expect(await executor.names == ["mail_search", "calendar_list_events"])
            #expect(result.proposals.map(\.toolName) == ["mail_draft_reply"])
            #expect(result.proposals.first?.arguments["to"] == ["sarah@example.com"])
            #expect(result.answer == "I drafted the reply to Sarah; approve it to send.")

            let requests = await server.state.requests
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.problem == nil })
            // The results went back as labelled, minimised, untrusted data.
            let toolMessages = requests[1].messages.filter { $0["role"]?.stringValue == "tool" }
            #expect(toolMessages.map { $0["tool_call_id"]?.stringValue } == ["c1", "c2"])
            let mailText = toolMessages[0]["content"]?.stringValue ?? ""
            #expect(mailText.hasPrefix("<untrusted source=\"mail\">"))
            #expect(mailText.contains("subject: Thursday's meeting"))
            #expect(!mailText.contains(String(repeating: "x", count: 480)))  // body cut to 500 characters
            let calendarText = toolMessages[1]["content"]?.stringValue ?? ""
            #expect(calendarText.contains("Project sync") && calendarText.contains("attendees: 3"))
            // The system prompt carries the user's time and zone.
            let system = requests[0].messages.first?["content"]?.stringValue ?? ""
            #expect(system.contains("2026-11-19T10:00:00+01:00") && system.contains("Europe/Berlin"))
            // Every token was counted for the user's day.
            #expect(await ledger.tokensUsed(userID: "u1", day: "2026-11-19") == result.usage.totalTokens)
            #expect(result.usage.totalTokens > 0)
        }
    }

    @Test func malformedArgumentsAreRepairedWithTheValidatorsMessage() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(
                .toolCalls([call("c1", "calendar_list_events", #"{"start":"thursday","end":"2026-11-20T00:00:00+01:00""#)]),
                .toolCalls([call("c2", "calendar_list_events", #"{"start":"thursday","end":"2026-11-20T00:00:00+01:00"}"#)]),
                .toolCalls([call("c3", "calendar_list_events", #"{"start":"2026-11-19T00:00:00+01:00","end":"2026-11-20T00:00:00+01:00"}"#)]),
                .text("You have one meeting on Thursday."))
            let executor = RecordingExecutor(events: [Self.thursday])
            let result = try await planner(client, executor).plan("what's on thursday", userID: "u1", chatID: "c", context: plannerContext())
            #expect(result.answer == "You have one meeting on Thursday.")
            #expect(await executor.names == ["calendar_list_events"])  // only the valid call ran
            let requests = await server.state.requests
            #expect(requests[1].messages.last?["content"]?.stringValue?.contains("not valid JSON") == true)
            #expect(requests[2].messages.last?["content"]?.stringValue?.contains("start: expected an ISO 8601 date-time") == true)
        }
    }

    @Test func argumentsStillInvalidAfterTwoRepairsGiveAClearError() async throws {
        try await withFakeModel { server, client in
            await server.state.setFallback(.toolCalls([call("c", "mail_search", #"{"query": 7}"#)]))
            let executor = RecordingExecutor()
            let error = await #expect(throws: PlannerError.self) {
                try await planner(client, executor).plan("find mail", userID: "u1", chatID: "c", context: plannerContext())
            }
            #expect("\(error!)".contains("query: expected a string"))
            #expect(await server.state.requests.count == 3)
            #expect(await executor.calls.isEmpty)
        }
    }

    @Test func unknownToolsAreRefusedAndNeverReachTheExecutor() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(.toolCalls([call("c1", "shell_exec", #"{"cmd":"rm -rf /"}"#)]), .text("Sorry."))
            let executor = RecordingExecutor()
            let result = try await planner(client, executor).plan("hi", userID: "u1", chatID: "c", context: plannerContext())
            #expect(result.answer == "Sorry.")
            #expect(await executor.calls.isEmpty)
            let reply = await server.state.requests[1].messages.last?["content"]?.stringValue ?? ""
            #expect(reply.contains("unknown tool \"shell_exec\""))
        }
    }

    @Test func stepsAndTokensPerRequestAreCapped() async throws {
        try await withFakeModel { server, client in
            await server.state.setFallback(.toolCalls([call("c", "mail_search", #"{"query":"loop"}"#)]))
            let executor = RecordingExecutor()
            let result = try await planner(client, executor).plan("loop", userID: "u1", chatID: "c", context: plannerContext())
            #expect(result.stop == .stepLimit)
            #expect(result.steps == 6)
            #expect(await server.state.requests.count == 6)

            let capped = try await planner(client, executor, limits: PlannerLimits(maxSteps: 6, maxTokensPerRequest: 2_500))
                .plan("loop", userID: "u2", chatID: "c2", context: plannerContext())
            #expect(capped.stop == .tokenLimit)
            #expect(capped.steps < 6)
        }
    }

    @Test func theConversationWindowCarriesEarlierTurns() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(.text("You have 2 meetings."), .text("The first is at 11:00."))
            let conversations = InMemoryConversationStore(window: 4)
            let planner = planner(client, RecordingExecutor(), conversations: conversations)
            _ = try await planner.plan("how many meetings today?", userID: "u1", chatID: "chat-9", context: plannerContext())
            _ = try await planner.plan("when is the first?", userID: "u1", chatID: "chat-9", context: plannerContext())
            let contents = await server.state.requests[1].messages.compactMap { $0["content"]?.stringValue }
            #expect(Array(contents.dropFirst()) == ["how many meetings today?", "You have 2 meetings.", "when is the first?"])
        }
    }

    @Test func streamingPlansReportProgress() async throws {
        try await withFakeModel { server, client in
            await server.state.enqueue(.toolCalls([call("c1", "calendar_list_events", #"{"start":"2026-11-19T00:00:00+01:00","end":"2026-11-20T00:00:00+01:00"}"#)]),
                                       .text("One meeting: Project sync at 11:00."))
            let progress = ProgressLog()
            let result = try await planner(client, RecordingExecutor(events: [Self.thursday]))
                .plan("today?", userID: "u1", chatID: "c", context: plannerContext()) { progress.add($0) }
            #expect(result.answer == "One meeting: Project sync at 11:00.")
            #expect(progress.all.contains { $0.toolNames == ["calendar_list_events"] })
            #expect(progress.all.count > 3)
            #expect(await server.state.requests.allSatisfy { $0.stream && $0.problem == nil })
        }
    }
}
