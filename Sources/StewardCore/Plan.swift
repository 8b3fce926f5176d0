import Foundation

/// One change of a plan: exactly the arguments an ordinary card would store (`calendar_move_event`,
/// `calendar_cancel_event`, `calendar_create_event`, `mail_archive`), its line on the card, and how far it got.
public struct PlanStep: Hashable, Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Not started (or not yet approved).
        case pending
        /// Marked before the provider is called: after a crash, the provider is asked what happened.
        case running
        case done
        case failed
    }

    /// Position in the plan, from 0: steps run in this order.
    public var index: Int
    public var toolName: String
    /// The exact JSON arguments, as an approval of the same tool would store them.
    public var payload: Data
    /// What the card says this step does.
    public var line: String
    public var status: Status
    /// What the provider said (done) or why not (failed).
    public var outcome: String?
    /// The step this one waits for: the cancel half of a move across accounts runs only once its create is
    /// done, so the original is never removed before the copy exists.
    public var after: Int?

    public init(index: Int, toolName: String, payload: Data, line: String, status: Status = .pending,
                outcome: String? = nil, after: Int? = nil) {
        self.index = index
        self.toolName = toolName
        self.payload = payload
        self.line = line
        self.status = status
        self.outcome = outcome
        self.after = after
    }
}

/// An ordered list of changes the owner approves on one card. Stored before the card is sent; each step
/// runs once, in order, across crashes; Retry re-runs only the failed ones.
public struct Plan: Hashable, Sendable {
    public enum State: String, Codable, Sendable {
        /// The card waits for Approve all / Reject / Review one by one.
        case proposed
        /// Approved: steps run (or ran) in order.
        case approved
        case rejected
        /// Handed over as one ordinary card per step.
        case reviewed
    }

    /// At most this many changes on one card: more is a request to narrow, and nothing is stored.
    public static let maximumChanges = 50
    /// Card lines shown before "and N more".
    public static let shownLines = 20

    public var id: String
    public var userID: User.ID
    /// Where the card went.
    public var chat: ChatRef
    /// The card's first line: "Move 8 events from Fri 11 Dec to Mon 14 Dec".
    public var title: String
    public var steps: [PlanStep]
    public var state: State
    public var createdAt: Date

    public init(id: String, userID: User.ID, chat: ChatRef, title: String, steps: [PlanStep],
                state: State = .proposed, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.chat = chat
        self.title = title
        self.steps = steps
        self.state = state
        self.createdAt = createdAt
    }

    public var done: [PlanStep] { steps.filter { $0.status == .done } }
    public var failed: [PlanStep] { steps.filter { $0.status == .failed } }
    /// True once no step waits to run or is running.
    public var isFinished: Bool { steps.allSatisfy { $0.status == .done || $0.status == .failed } }
    /// Waiting for the owner: the card's decision, or a Retry of failed steps.
    public var isWaiting: Bool { state == .proposed || (state == .approved && isFinished && !failed.isEmpty) }
}

/// Plans and their steps. Each step's status is its own write, so a crash leaves every step either as it
/// was or moved on, never half.
public protocol PlanRepository: Sendable {
    /// Stores `plan` with its steps in one write. The same id again (the same message handled twice) keeps
    /// what was stored first and returns it.
    func insert(plan: Plan) async throws -> Plan
    func plan(id: String) async throws -> Plan?
    /// Moves the plan from `from` to `to`; false when it was not in `from` (another tap got there first).
    func transition(plan id: String, from: Plan.State, to: Plan.State) async throws -> Bool
    /// Records step `index`'s status and outcome.
    func update(step index: Int, of plan: String, to status: PlanStep.Status, outcome: String?) async throws
    /// `user`'s plans that wait for them: a card not yet decided, or failed steps to retry. Oldest first.
    func waitingPlans(of user: User.ID) async throws -> [Plan]
    /// Approved plans with a step still pending or running (a crash in the middle), oldest first.
    func unfinishedPlans() async throws -> [Plan]
}

/// What a plan card's buttons carry: which plan, and what the choice does.
public struct PlanChoiceArguments: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        /// Approve all (and Retry, with `attempt` > 0): run every step not yet done, in order.
        case run
        /// Review one by one: an ordinary card per step.
        case review
        /// Show every line of the plan (changes nothing).
        case showAll = "show-all"
    }

    public static let toolName = "plan_choice"

    public var plan: String
    public var action: Action
    /// 0 for the first card; n for the n-th Retry card, so each has its own approval.
    public var attempt: Int

    public init(plan: String, action: Action, attempt: Int = 0) {
        self.plan = plan
        self.action = action
        self.attempt = attempt
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// Shows a plan's progress while it runs: queues an edit of its card now, outside the reply being built
/// (which is sent only when the whole plan has run).
public protocol PlanProgressSink: Sendable {
    func show(_ delivery: KeyedDelivery) async
}
