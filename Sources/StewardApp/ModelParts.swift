import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP
import StewardStorage

/// The configured model, shared by the free-text planner and mail triage: one client and one daily
/// budget per user, so triage spending counts against `LLM_DAILY_TOKEN_BUDGET` like everything else.
struct ModelParts: Sendable {
    let model: any ChatModel
    let budget: TokenBudget
    let classifier: MailClassifier

    /// Nil when no LLM is configured.
    init?(configuration: Configuration, http: any HTTPTransport, store: SQLiteStore, logger: Logger) {
        guard let baseURL = configuration.llmBaseURL, let model = configuration.llmModel else { return nil }
        let client = ChatCompletionsClient(endpoint: LLMEndpoint(baseURL: baseURL, apiKey: configuration.llmAPIKey, model: model),
                                           transport: http, logger: logger)
        self.init(model: client, budget: TokenBudget(ledger: StoredTokenLedger(store: store, logger: logger),
                                                     dailyLimit: configuration.llmDailyTokenBudget), logger: logger)
    }

    init(model: any ChatModel, budget: TokenBudget, logger: Logger) {
        self.model = model
        self.budget = budget
        classifier = MailClassifier(model: model, budget: budget, cache: ClassificationCache(), logger: logger)
    }
}

/// Asks the model about mail no rule could decide. It sees sender, subject, date and the first lines,
/// wrapped as untrusted data, and may only answer with a category; identical prompts are answered from
/// the cache. When the model is down or over budget the mail stays `fyi`, as without a model.
struct MailClassifier: Sendable {
    let model: any ChatModel
    let budget: TokenBudget
    let cache: ClassificationCache
    let logger: Logger

    func category(of message: MailMessage, user: User.ID, zone: TimeZone, now: Date) async -> (category: MailCategory, reason: String)? {
        let summary = MailSummary(id: message.id, from: message.from.description, subject: message.subject,
                                  date: message.date ?? now, body: message.body.isEmpty ? message.snippet : message.body)
        do {
            let answer = try await cache.classify(PromptBuilder.triageMessages(summary, zone: zone), model: model,
                                                  budget: budget, userID: String(user), day: TokenBudget.day(of: now, in: zone))
            guard let category = Self.category(answer) else {
                logger.debug("the model's triage answer was not a category", metadata: ["answer": "\(answer.prefix(40))"])
                return nil
            }
            return (category, "the model rated it \(category == .urgent ? "urgent" : category == .fyi ? "normal" : "low")")
        } catch {
            logger.debug("mail stays unclassified: the model did not answer", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// "urgent" / "normal" / "low", as the prompt asks; anything else is no answer.
    static func category(_ answer: String) -> MailCategory? {
        let word = answer.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        switch word {
        case "urgent": return .urgent
        case "normal": return .fyi
        case "low": return .canWait
        default: return nil
        }
    }
}
