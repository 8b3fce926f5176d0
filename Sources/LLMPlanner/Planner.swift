import Foundation
import Logging

/// Runs read tools for the planner. The app implements it over its calendar and mail services.
/// The planner only ever hands it `.read` calls.
public protocol ToolExecutor: Sendable {
    func run(_ call: ValidatedToolCall, userID: String) async throws -> ToolOutput
}

/// A write or irreversible call the model asked for, with arguments already validated. The
/// orchestrator turns it into an approval card; the planner can neither execute nor approve it.
public struct ProposedAction: Sendable, Hashable {
    public var toolName: String
    public var risk: ToolRisk
    public var arguments: [String: JSONValue]
}

public struct PlannerResult: Sendable {
    public enum Stop: Sendable, Hashable {
        case answered
        /// The step cap was reached before the model answered.
        case stepLimit
        /// The per-request token cap was reached.
        case tokenLimit
    }

    public var answer: String?
    public var proposals: [ProposedAction]
    /// Names of the read tools that ran, in order.
    public var toolsRun: [String]
    public var usage: TokenUsage
    public var steps: Int
    public var stop: Stop
}

public enum PlannerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model kept sending unknown tools or invalid arguments after the allowed repairs.
    case invalidToolCalls(String)

    public var description: String {
        switch self {
        case .invalidToolCalls(let detail): "the model's tool calls stayed invalid after 2 repairs: \(detail)"
        }
    }
}

public struct PlannerLimits: Sendable {
    public var maxSteps: Int
    public var maxTokensPerRequest: Int
    public var maxRepairs: Int

    public init(maxSteps: Int = 6, maxTokensPerRequest: Int = 12_000, maxRepairs: Int = 2) {
        self.maxSteps = maxSteps
        self.maxTokensPerRequest = maxTokensPerRequest
        self.maxRepairs = maxRepairs
    }
}

/// plan → run read tools → feed results back → … → answer. Write and irreversible calls become
/// `ProposedAction`s; the tool list is fixed for the whole request whatever a tool result says.
public struct Planner: Sendable {
    public let model: any ChatModel
    public let registry: ToolRegistry
    public let executor: any ToolExecutor
    public let conversations: any ConversationStore
    public let budget: TokenBudget
    public let limits: PlannerLimits
    private let logger: Logger

    public init(model: any ChatModel, registry: ToolRegistry = .steward, executor: any ToolExecutor,
                conversations: any ConversationStore = InMemoryConversationStore(), budget: TokenBudget,
                limits: PlannerLimits = PlannerLimits(), logger: Logger = Logger(label: "steward.planner")) {
        self.model = model
        self.registry = registry
        self.executor = executor
        self.conversations = conversations
        self.budget = budget
        self.limits = limits
        self.logger = logger
    }

    /// Plans `text` for `userID` in chat `chatID`. Throws `LLMError` (`.shouldFallBack` → the parser
    /// takes over) or `PlannerError`. `progress`, when given, makes the calls stream.
    public func plan(_ text: String, userID: String, chatID: String, context: PlannerContext,
                     progress: (@Sendable (StreamProgress) -> Void)? = nil) async throws -> PlannerResult {
        let day = TokenBudget.day(of: context.now, in: context.timeZone)
        let tools = registry.definitions  // fixed here: nothing below can change it
        var messages: [ChatMessage] = [.system(PromptBuilder.systemPrompt(context))]
        // Remembered facts are a message of their own, quoted as data: never part of the instructions above.
        if let memory = PromptBuilder.memorySection(context.facts, zone: context.timeZone) { messages.append(.system(memory)) }
        messages += await conversations.recent(chatID: chatID)
        messages.append(.user(text))
        var result = PlannerResult(answer: nil, proposals: [], toolsRun: [], usage: .zero, steps: 0, stop: .stepLimit)
        var repairs = 0

        while result.steps < limits.maxSteps {
            try await budget.ensureAvailable(userID: userID, day: day)
            let request = ChatRequest(messages: messages, tools: tools, toolChoice: .auto)
            let response = if let progress {
                try await model.stream(request, progress: progress)
            } else {
                try await model.complete(request)
            }
            result.steps += 1
            let usage = response.usage ?? TokenUsage(promptTokens: TokenEstimate.prompt(request),
                                                     completionTokens: TokenEstimate.tokens(response.content ?? ""))
            result.usage = result.usage + usage
            await budget.record(usage, userID: userID, day: day)

            guard !response.toolCalls.isEmpty else {
                result.answer = response.content ?? ""
                result.stop = .answered
                await conversations.append([.user(text), .assistant(result.answer)], chatID: chatID)
                return result
            }
            messages.append(.assistant(response.content, toolCalls: response.toolCalls))
            var refusals: [String] = []
            for call in response.toolCalls {
                let reply: String
                switch registry.validate(call) {
                case .failure(let refusal):
                    refusals.append(refusal.message)
                    reply = refusal.message
                case .success(let valid) where valid.risk == .read || valid.tool.runsInTurn:
                    reply = await run(valid, userID: userID, zone: context.timeZone)
                    result.toolsRun.append(valid.name)
                case .success(let valid):
                    let proposal = ProposedAction(toolName: valid.name, risk: valid.risk, arguments: valid.arguments)
                    if !result.proposals.contains(proposal) { result.proposals.append(proposal) }
                    reply = "proposed to the owner for approval; not done yet. Do not claim it is done."
                }
                messages.append(.tool(callID: call.id, reply))
            }
            if !refusals.isEmpty {
                repairs += 1
                logger.info("invalid tool call", metadata: ["repair": "\(repairs)"])
                if repairs > limits.maxRepairs { throw PlannerError.invalidToolCalls(refusals.joined(separator: " ")) }
            }
            if result.usage.totalTokens >= limits.maxTokensPerRequest {
                result.stop = .tokenLimit
                return result
            }
        }
        return result
    }

    private func run(_ call: ValidatedToolCall, userID: String, zone: TimeZone) async -> String {
        do {
            return PromptBuilder.render(try await executor.run(call, userID: userID), zone: zone)
        } catch {
            // A provider failure is data for the model ("could not read the calendar"), not a crash.
            logger.warning("tool failed", metadata: ["tool": "\(call.name)", "error": "\(error)"])
            return "error: \(call.name) failed; the service is unavailable right now."
        }
    }
}
