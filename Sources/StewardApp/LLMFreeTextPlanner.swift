import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardHTTP

/// Connects the LLM planner to the orchestrator: builds the owner's context, runs the planner, turns
/// proposals into `FreeTextPlan` bookings, and tells each user once when the model is down or over
/// budget (then again only after the model has worked in between).
final class LLMFreeTextPlanner: FreeTextPlanner {
    private let model: any ChatModel
    private let reads: PlannerReadTools
    private let conversations: any ConversationStore
    /// The person's memory; nil: no memory in the prompt and no memory tools.
    private let memory: (any MemoryRepository)?
    /// Records saves made in a turn (`memory_save`); nil: not recorded.
    private let audit: (any AuditLog)?
    private let budget: TokenBudget
    private let directory: any CalendarDirectory
    private let notices = FallbackNotices()
    private let logger: Logger
    /// Streams the model's answers and reports each step, for a live "working…" message.
    private let reportsProgress: Bool

    /// The planner over the configured model; spending and conversations are kept in `store`.
    convenience init(parts: ModelParts, directory: any CalendarDirectory,
                     store: any UserRepository & ConversationRepository, mail: (any TriageLog)?,
                     gmail: GmailAccess?, memory: (any MemoryRepository)? = nil, audit: (any AuditLog)? = nil,
                     logger: Logger) {
        self.init(model: parts.model, budget: parts.budget, directory: directory, mail: mail, users: store,
                  conversations: StoredConversations(store: store, window: 6, logger: logger), gmail: gmail,
                  memory: memory, audit: audit, reportsProgress: true, logger: logger)
    }

    convenience init(model: any ChatModel, dailyTokenBudget: Int?, directory: any CalendarDirectory,
                     mail: (any TriageLog)? = nil, users: (any UserRepository)? = nil,
                     ledger: any TokenLedger = InMemoryTokenLedger(),
                     conversations: any ConversationStore = InMemoryConversationStore(),
                     memory: (any MemoryRepository)? = nil, audit: (any AuditLog)? = nil, logger: Logger) {
        self.init(model: model, budget: TokenBudget(ledger: ledger, dailyLimit: dailyTokenBudget), directory: directory,
                  mail: mail, users: users, conversations: conversations, memory: memory, audit: audit, logger: logger)
    }

    init(model: any ChatModel, budget: TokenBudget, directory: any CalendarDirectory, mail: (any TriageLog)?,
         users: (any UserRepository)?, conversations: any ConversationStore, gmail: GmailAccess? = nil,
         memory: (any MemoryRepository)? = nil, audit: (any AuditLog)? = nil, reportsProgress: Bool = false,
         logger: Logger) {
        self.model = model
        self.budget = budget
        self.reportsProgress = reportsProgress
        reads = PlannerReadTools(directory: directory, mail: mail, users: users, gmail: gmail)
        self.conversations = conversations
        self.memory = memory
        self.audit = audit
        self.directory = directory
        self.logger = logger
    }

    /// The planner for one request: memory and its tools only in a private chat (a group answer never uses
    /// memory), where the person started the turn themselves.
    private func planner(for turn: MemoryTurn?) -> Planner {
        Planner(model: model, registry: .steward(memory: turn == nil ? .none : .searchAndSave),
                executor: TurnTools(reads: reads, memory: turn), conversations: conversations, budget: budget,
                logger: logger)
    }

    func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
              progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan {
        let accounts = ((try? await directory.calendars(of: user.id)) ?? []).map { "\($0.account.kind): \($0.account.label)" }
        let turn = chat.isPrivate ? memory.map { MemoryTurn(user: user.id, memory: $0, zone: settings.zone, audit: audit) } : nil
        let context = PlannerContext(now: Date(), timeZone: settings.zone,
                                     settingsSummary: settings.summaryLines().joined(separator: ", "), connectedAccounts: accounts,
                                     facts: await turn?.context(for: text) ?? [])
        do {
            // The conversation is this person's in this chat: a group member never sees another's turns.
            let conversation = ConversationKey.of(person: String(user.id), chat: chat.description)
            let result = try await planner(for: turn).plan(text, userID: String(user.id), chatID: conversation,
                                                           context: context,
                                                           progress: reportsProgress ? Self.steps(progress) : nil)
            await notices.modelWorked(for: user.id)
            var plan = FreeTextPlan(outcome: .answered, text: Self.honest(result.answer, turn: turn))
            if result.stop != .answered && result.proposals.isEmpty && (turn?.saved ?? []).isEmpty {
                plan.text = "That took too many steps, so I stopped. Nothing was changed; try a more specific request."
            }
            plan.facts = turn?.proposed ?? []
            for proposal in result.proposals {
                if let booking = Self.booking(proposal) {
                    plan.bookings.append(booking)
                } else if let change = Self.change(proposal) {
                    plan.changes.append(change)
                } else if proposal.toolName == "mail_draft_reply",
                          let messageID = proposal.arguments["reply_to_message_id"]?.stringValue,
                          let body = proposal.arguments["body"]?.stringValue {
                    plan.replies.append(ProposedReply(messageID: messageID, body: body))
                } else if proposal.toolName == "mail_draft_reply", let body = proposal.arguments["body"]?.stringValue,
                          let to = proposal.arguments["to"]?.arrayValue?.compactMap(\.stringValue), !to.isEmpty {
                    plan.newMails.append(ProposedMail(to: to, subject: proposal.arguments["subject"]?.stringValue ?? "",
                                                      body: body))
                } else if proposal.toolName == "mail_send_draft", let id = proposal.arguments["draft_id"]?.stringValue {
                    plan.sends.append(id)
                } else if proposal.toolName == "mail_archive", let ids = proposal.arguments["message_ids"]?.arrayValue {
                    plan.archives += ids.compactMap(\.stringValue)
                } else if proposal.toolName == "settings_update", let key = proposal.arguments["key"]?.stringValue,
                          let value = proposal.arguments["value"]?.stringValue {
                    plan.settings.append(ProposedSetting(key: key, value: value))
                } else {
                    plan.otherProposals.append(proposal.toolName)
                }
            }
            return plan
        } catch let error as LLMError where error.shouldFallBack {
            logger.warning("free text falls back to the parser", metadata: ["reason": "\(error)"])
            let notice = error.kind == .overBudget
                ? "Today's model budget is used up, so I'm answering with my built-in commands only until tomorrow."
                : "The language model isn't reachable right now, so I'm answering with my built-in commands only."
            return FreeTextPlan(outcome: .fallback, text: await notices.firstTime(for: user.id) ? notice : nil)
        } catch {
            logger.warning("free text planning failed", metadata: ["error": "\(error)"])
            return FreeTextPlan(outcome: .answered, text: "I couldn't work out a safe way to do that, so nothing was done. "
                                + "Try /help for the commands I know.")
        }
    }

    func statusLine(for user: User, settings: UserSettings) async -> String? {
        let used = await budget.ledger.tokensUsed(userID: String(user.id), day: TokenBudget.day(of: Date(), in: settings.zone))
        return "Model tokens today: \(used)" + (budget.dailyLimit.map { " of \($0)" } ?? " (no daily limit)")
    }

    /// The model's answer as sent: each fact saved in the turn confirmed in Steward's own words, and a claim
    /// to have saved something corrected when nothing was saved.
    static func honest(_ answer: String?, turn: MemoryTurn?) -> String? {
        let saved = turn?.saved ?? []
        let confirmations = saved.map { "Saved to memory (#\($0.id)): \($0.text)" }
        let checked = answer.map { SaveClaimCheck.checked($0, saved: !saved.isEmpty, pending: !(turn?.proposed ?? []).isEmpty) }
        let parts = [checked].compactMap { $0 }.filter { !$0.isEmpty } + confirmations
        return parts.isEmpty ? answer : parts.joined(separator: "\n\n")
    }

    static func booking(_ proposal: ProposedAction) -> ProposedBooking? {
        guard proposal.toolName == "calendar_create_event",
              let title = proposal.arguments["title"]?.stringValue,
              let start = proposal.arguments["start"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime),
              let end = proposal.arguments["end"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime), end > start
        else { return nil }
        let attendees = proposal.arguments["attendees"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return ProposedBooking(title: title, start: start, minutes: Int(end.timeIntervalSince(start) / 60), attendees: attendees)
    }
}

extension LLMFreeTextPlanner {
    /// The model's stream as steps a person reads, each once: the tools it starts, then writing the answer.
    static func steps(_ report: @escaping @Sendable (String) -> Void) -> @Sendable (StreamProgress) -> Void {
        let seen = Locked<Set<String>>([])
        return { progress in
            var steps = progress.toolNames.map(step(for:))
            if !progress.text.isEmpty { steps.append("writing the answer") }
            for step in steps where seen.withLock({ $0.insert(step).inserted }) { report(step) }
        }
    }

    static func step(for toolName: String) -> String {
        switch toolName {
        case "calendar_list_events": "looking at your calendar"
        case "calendar_find_free_slots": "looking for free time"
        case "mail_search": "searching your mail"
        case "mail_read": "reading a mail"
        case "memory_search": "looking through what you asked me to remember"
        case "memory_save": "saving to memory"
        default: "preparing a card for your approval"
        }
    }

    /// A validated move or cancel proposal; the event id is only a key into the owner's own calendars.
    static func change(_ proposal: ProposedAction) -> ProposedChange? {
        guard let id = proposal.arguments["event_id"]?.stringValue else { return nil }
        switch proposal.toolName {
        case "calendar_move_event":
            guard let start = proposal.arguments["start"]?.stringValue.flatMap(JSONSchemaValidator.parseDateTime) else { return nil }
            return .move(eventID: id, start: start)
        case "calendar_cancel_event":
            return .cancel(eventID: id, notify: proposal.arguments["notify_attendees"]?.boolValue ?? true)
        default:
            return nil
        }
    }
}

/// Who has been told that free text falls back to the parser, so they are told once, not every message.
private actor FallbackNotices {
    private var told: Set<User.ID> = []

    func firstTime(for user: User.ID) -> Bool { told.insert(user).inserted }
    func modelWorked(for user: User.ID) { told.remove(user) }
}
