import Foundation

/// The model-backed planner the orchestrator consults for free text the deterministic parser did not
/// understand (`.unknown`). It never executes anything that changes data: changes come back as
/// proposals, and the orchestrator turns them into approval cards like any command's.
public protocol FreeTextPlanner: Sendable {
    /// `progress` hears each step as it starts ("searching your mail"), for a live "working…" message.
    func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef,
              progress: @escaping @Sendable (String) -> Void) async -> FreeTextPlan
    /// A line for `/status` (today's tokens), nil when there is nothing to say.
    func statusLine(for user: User, settings: UserSettings) async -> String?
}

extension FreeTextPlanner {
    public func statusLine(for user: User, settings: UserSettings) async -> String? { nil }

    public func plan(_ text: String, user: User, settings: UserSettings, chat: ChatRef) async -> FreeTextPlan {
        await plan(text, user: user, settings: settings, chat: chat, progress: { _ in })
    }
}

/// Shows a slow free-text request's steps while the model works (the app edits a "Working on it…" message).
public protocol PlanningProgress: Sendable {
    /// The planner starts on `event` (the time a request has run is counted from here).
    func begin(_ event: InboundEvent)
    /// `step` started for `event`; called from the model's stream, so it must not block.
    func report(_ step: String, for event: InboundEvent)
}

/// What the planner made of one message.
public struct FreeTextPlan: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The planner answered (and may have proposed actions).
        case answered
        /// The model is down or over budget: the parser's own reply applies. `text`, when set, is the
        /// one-time notice saying so.
        case fallback
    }

    public var outcome: Outcome
    public var text: String?
    /// `calendar_create_event` proposals, with validated arguments.
    public var bookings: [ProposedBooking]
    /// `calendar_move_event` and `calendar_cancel_event` proposals, with validated arguments.
    public var changes: [ProposedChange]
    /// `mail_draft_reply` proposals that answer one of the owner's mails.
    public var replies: [ProposedReply]
    /// `mail_archive` proposals: ids of the owner's mails, from a search the model ran.
    public var archives: [String]
    /// `settings_update` proposals.
    public var settings: [ProposedSetting]
    /// `mail_send_draft` proposals (the draft ids the model named): a reply's card is where it is sent.
    public var sends: [String] = []
    /// `mail_draft_reply` proposals that answer no mail: new mails.
    public var newMails: [ProposedMail] = []
    /// Other proposed actions (tool names) that cannot become cards in this version.
    public var otherProposals: [String]
    /// `memory_save` calls that wait for an Approve (a fact from someone else's text): one card each.
    public var facts: [ProposedFact] = []

    public init(outcome: Outcome, text: String?, bookings: [ProposedBooking] = [], changes: [ProposedChange] = [],
                replies: [ProposedReply] = [], archives: [String] = [], settings: [ProposedSetting] = [],
                otherProposals: [String] = []) {
        self.outcome = outcome
        self.text = text
        self.bookings = bookings
        self.changes = changes
        self.replies = replies
        self.archives = archives
        self.settings = settings
        self.otherProposals = otherProposals
    }
}

/// A reply the model drafted to one of the owner's mails, by the mail's id from a search it ran.
public struct ProposedReply: Sendable, Equatable {
    public var messageID: String
    public var body: String

    public init(messageID: String, body: String) {
        self.messageID = messageID
        self.body = body
    }
}

/// A new mail (not a reply) the model drafted: it goes where the model said, which the card shows.
public struct ProposedMail: Sendable, Equatable {
    public var to: [String]
    public var subject: String
    public var body: String

    public init(to: [String], subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// A change to an existing event the model asked for, by the event's id from a listing it was shown.
/// It goes through the same lookup and card as "move my 2pm…", so an id the model made up finds nothing.
public enum ProposedChange: Sendable, Equatable {
    case move(eventID: String, start: Date)
    case cancel(eventID: String, notify: Bool)

    /// The tool the model called, for messages.
    public var toolName: String {
        switch self {
        case .move: "calendar_move_event"
        case .cancel: "calendar_cancel_event"
        }
    }
}

public struct ProposedBooking: Sendable, Equatable {
    public var title: String
    public var start: Date
    public var minutes: Int
    public var attendees: [String]

    public init(title: String, start: Date, minutes: Int, attendees: [String]) {
        self.title = title
        self.start = start
        self.minutes = minutes
        self.attendees = attendees
    }
}
