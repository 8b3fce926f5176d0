import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP

/// The configured model, shared by the free-text planner and mail triage: one client and one daily
/// budget per user, so triage spending counts against `LLM_DAILY_TOKEN_BUDGET` like everything else.
struct ModelParts: Sendable {
    let model: any ChatModel
    let budget: TokenBudget
    let classifier: MailClassifier

    /// Nil when no LLM is configured.
    init?(configuration: Configuration, http: any HTTPTransport, store: any ModelTokenRepository, logger: Logger) {
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

    /// The person's memory as the app uses it: `store` itself, or with `LLM_EMBEDDINGS_MODEL` set, `store`
    /// searched by meaning as well (facts embedded at save through `{LLM_BASE_URL}/embeddings`).
    /// `searchesByMeaning` false: facts are still embedded when saved, but searches stay full-text (the
    /// chat commands: reading memory never calls a model).
    static func memory(_ store: any MemoryRepository, configuration: Configuration, http: any HTTPTransport,
                       searchesByMeaning: Bool = true, logger: Logger) -> any MemoryRepository {
        guard let baseURL = configuration.llmBaseURL, let model = configuration.llmEmbeddingsModel, !model.isEmpty else {
            return store
        }
        let embedder = EmbeddingsClient(endpoint: LLMEndpoint(baseURL: baseURL, apiKey: configuration.llmAPIKey, model: model,
                                                              timeout: .seconds(20)), transport: http)
        return EmbeddedMemory(store: store, embedder: embedder, logger: logger, searchesByMeaning: searchesByMeaning)
    }
}

/// Asks the model about mail no rule could decide: a cycle's undecided mail in one request (up to the
/// batch limit), each mail as sender, subject, date and its first 500 characters, wrapped as untrusted
/// data; the model may only answer with a category per mail, and a mail asked about before is answered
/// from the cache. When the model is down or over budget the mail stays `fyi`, as without a model.
struct MailClassifier: Sendable {
    let model: any ChatModel
    let budget: TokenBudget
    let cache: ClassificationCache
    let logger: Logger

    /// The model's category and reason for each message it rated, by message id.
    func categories(of messages: [MailMessage], user: User.ID, zone: TimeZone,
                    now: Date) async -> [String: (category: MailCategory, reason: String)] {
        guard !messages.isEmpty else { return [:] }
        let items = messages.map { message in
            PromptBuilder.triageItem(MailSummary(id: message.id, from: message.from.description, subject: message.subject,
                                                 date: message.date ?? now,
                                                 body: message.body.isEmpty ? message.snippet : message.body), zone: zone)
        }
        let answers: [String?]
        do {
            answers = try await cache.classify(items, model: model, budget: budget, userID: String(user),
                                               day: TokenBudget.day(of: now, in: zone))
        } catch {
            logger.debug("mail stays unclassified: the model did not answer", metadata: ["error": "\(error)"])
            return [:]
        }
        var rated: [String: (category: MailCategory, reason: String)] = [:]
        for (message, answer) in zip(messages, answers) {
            guard let answer, let category = Self.category(answer) else {
                logger.debug("the model's triage answer was not a category", metadata: ["answer": "\((answer ?? "").prefix(40))"])
                continue
            }
            rated[message.id] = (category, "the model rated it \(category == .urgent ? "urgent" : category == .fyi ? "normal" : "low")")
        }
        return rated
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
