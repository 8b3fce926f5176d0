import Foundation
import Metrics

/// Tokens spent per user per day (the day in the user's own zone). The app may back it with its
/// database; `InMemoryTokenLedger` serves tests and a single process.
public protocol TokenLedger: Sendable {
    func record(_ usage: TokenUsage, userID: String, day: String) async
    func tokensUsed(userID: String, day: String) async -> Int
}

public actor InMemoryTokenLedger: TokenLedger {
    private var totals: [String: Int] = [:]

    public init() {}

    public func record(_ usage: TokenUsage, userID: String, day: String) {
        totals["\(userID)|\(day)", default: 0] += usage.totalTokens
    }

    public func tokensUsed(userID: String, day: String) -> Int { totals["\(userID)|\(day)"] ?? 0 }
}

/// `LLM_DAILY_TOKEN_BUDGET` as a hard cap: a call is refused with `LLMError(.overBudget)` once today's
/// total has reached it (a call already under way is still counted in full).
public struct TokenBudget: Sendable {
    public let ledger: any TokenLedger
    /// Nil = no cap (the tokens are still counted).
    public let dailyLimit: Int?

    public init(ledger: any TokenLedger, dailyLimit: Int?) {
        self.ledger = ledger
        self.dailyLimit = dailyLimit
    }

    public static func day(of date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    public func ensureAvailable(userID: String, day: String) async throws {
        guard let dailyLimit else { return }
        let used = await ledger.tokensUsed(userID: userID, day: day)
        if used >= dailyLimit {
            throw LLMError(.overBudget, "\(used) of \(dailyLimit) tokens used today")
        }
    }

    /// - Parameter purpose: what the tokens were spent on (`planner`, `triage`, `reply`), for `/metrics`.
    public func record(_ usage: TokenUsage, userID: String, day: String, purpose: String = "planner") async {
        await ledger.record(usage, userID: userID, day: day)
        for (kind, count) in [("prompt", usage.promptTokens), ("completion", usage.completionTokens)] where count > 0 {
            Counter(label: "steward_model_tokens_total", dimensions: [("purpose", purpose), ("kind", kind)])
                .increment(by: count)
        }
    }
}

/// Rough token count when a server reports no usage: about four characters per token for English.
public enum TokenEstimate {
    public static func tokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }

    public static func prompt(_ request: ChatRequest) -> Int {
        tokens(request.body(model: "", stream: false).text)
    }
}
