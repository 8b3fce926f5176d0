import Foundation

/// A stored trigger that pushes once to the owner's home chat: a reminder at a time, or a mail thread
/// that has had no reply by a time ("tell me if Sarah hasn't replied by Friday").
///
/// Guarantees: `dueAt` is UTC, computed when the request was made from the local wall time the person
/// named in their zone, through the time-zone database (so "Monday at 9" asked before a DST change is
/// 09:00 local after it); `localDue` and `timeZone` keep the wall time as asked, for showing it and for
/// `/plans`. A push happens once per `round`: the outbox key is `follow-up:<id>:<round>`, and firing
/// marks the trigger and queues its push in one transaction.
public struct FollowUp: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case reminder, noReply = "no-reply" }

    public enum Status: String, Codable, Sendable {
        /// Not due yet.
        case waiting
        /// Pushed; its buttons (Done, Snooze, Draft a nudge) still work.
        case fired
        /// Done by a tap, or resolved without a push (a reply arrived: `outcome` says so).
        case done
        /// Pushed, then put off: due again at `dueAt`, with the next `round`.
        case snoozed
        case cancelled
    }

    /// 12 hex characters, derived from the inbound event that asked for it.
    public var id: String
    public var userID: User.ID
    public var kind: Kind
    /// The person's words, as typed: the push repeats them.
    public var request: String
    /// What to do ("call Sam"), or whom the thread waits on ("Sarah").
    public var task: String
    public var dueAt: Date
    /// The IANA zone the due time was named in.
    public var timeZone: String
    /// The wall time as asked in `timeZone`, `2026-12-07 09:00`.
    public var localDue: String
    /// For a no-reply follow-up: the thread it watches.
    public var thread: FollowUpThread?
    public var status: Status
    public var createdAt: Date
    public var firedAt: Date?
    /// Pushes so far (a snooze makes the next one a new round, under a new outbox key).
    public var round: Int
    /// How it ended when nothing was pushed ("Sarah replied"), or the last tap's result.
    public var outcome: String?

    public init(id: String, userID: User.ID, kind: Kind, request: String, task: String, dueAt: Date, timeZone: String,
                localDue: String, thread: FollowUpThread? = nil, status: Status = .waiting, createdAt: Date,
                firedAt: Date? = nil, round: Int = 0, outcome: String? = nil) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.request = request
        self.task = task
        self.dueAt = dueAt
        self.timeZone = timeZone
        self.localDue = localDue
        self.thread = thread
        self.status = status
        self.createdAt = createdAt
        self.firedAt = firedAt
        self.round = round
        self.outcome = outcome
    }

    /// Still to come: listed by `/plans`, cancellable.
    public var isWaiting: Bool { status == .waiting || status == .snoozed }

    /// The outbox key of this round's push.
    public var pushKey: String { "follow-up:\(id):\(round)" }
}

/// The mail thread a no-reply follow-up watches, as found when it was asked for.
public struct FollowUpThread: Hashable, Codable, Sendable {
    public var accountID: Int64
    public var threadID: String
    /// The person's address and name as their mail shows them (untrusted text).
    public var personAddress: String
    public var personName: String
    public var subject: String
    /// The owner's last message in the thread (what a nudge answers), or the person's when the owner
    /// has not written in it.
    public var lastMessageID: String
    /// A reply must come after this: the owner's last message in the thread, or when it was asked.
    public var since: Date

    public init(accountID: Int64, threadID: String, personAddress: String, personName: String, subject: String,
                lastMessageID: String, since: Date) {
        self.accountID = accountID
        self.threadID = threadID
        self.personAddress = personAddress
        self.personName = personName
        self.subject = subject
        self.lastMessageID = lastMessageID
        self.since = since
    }
}

/// The follow-ups table.
public protocol FollowUpRepository: Sendable {
    /// Stores it, unless one with its id exists (the same request handled twice); returns the stored one.
    func insert(_ followUp: FollowUp) async throws -> FollowUp
    func followUp(id: String) async throws -> FollowUp?
    /// The user's follow-ups still waiting (waiting or snoozed), soonest first.
    func waiting(of user: User.ID) async throws -> [FollowUp]
    /// The user's follow-ups that ended since `date` without a push, or were pushed since (for `/plans`).
    func settled(of user: User.ID, since date: Date) async throws -> [FollowUp]
    /// Everyone's waiting follow-ups due at `date`, soonest first.
    func due(at date: Date, limit: Int) async throws -> [FollowUp]
    /// Marks a waiting (or snoozed) follow-up fired and queues `push` under its round's key, in one
    /// transaction; false (nothing queued) when it was not waiting any more.
    func fire(_ id: String, push: KeyedDelivery, at date: Date) async throws -> Bool
    /// Moves it from one of `from` to `to` (a new due time and round for a snooze); false when its status
    /// was none of `from`.
    func transition(_ id: String, from: Set<FollowUp.Status>, to: FollowUp.Status, dueAt: Date?, outcome: String?,
                    at date: Date) async throws -> Bool
}

/// Mail as a no-reply follow-up needs it. The composition root implements it over the connected
/// mailboxes; nil in the orchestrator when no mail is connected.
public protocol FollowUpMail: Sendable {
    /// The most recent thread between `user`'s mailbox and `person` (a name or an address), or nil when
    /// there is none; nil too when `user` has no mailbox (`hasMailbox` tells the two apart).
    func lastThread(with person: String, of user: User.ID, at now: Date) async throws -> FollowUpThread?
    func hasMailbox(_ user: User.ID) async throws -> Bool
    /// The person's reply in the thread after `thread.since`, if one arrived.
    func replied(in thread: FollowUpThread, of user: User.ID) async throws -> Bool
}

/// A follow-up's button: `f1:<follow-up id>:<d|s|n|c>` (Done, Snooze 1h, Draft a nudge, Cancel), at most
/// 64 bytes like every button token. Honoured only from the follow-up's owner.
public struct FollowUpButton: Hashable, Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case done = "d", snooze = "s", nudge = "n", cancel = "c"

        var title: String {
            switch self {
            case .done: "Done"
            case .snooze: "Snooze 1h"
            case .nudge: "Draft a nudge"
            case .cancel: "Cancel"
            }
        }
    }

    public static let version = "f1"
    public var followUpID: String
    public var action: Action

    public init(followUpID: String, action: Action) {
        self.followUpID = followUpID
        self.action = action
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count <= ButtonToken.maximumBytes, parts.count == 3, parts[0] == Self.version,
              !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              let action = Action(rawValue: String(parts[2])) else { return nil }
        followUpID = String(parts[1])
        self.action = action
    }

    public var text: String { "\(Self.version):\(followUpID):\(action.rawValue)" }

    var button: Button {
        Button(title: action.title, token: text, style: action == .done || action == .nudge ? .primary
               : action == .cancel ? .danger : .normal)
    }
}
