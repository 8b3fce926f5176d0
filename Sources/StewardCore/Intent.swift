import Foundation

/// A point in time or a span of whole local days, resolved in the user's zone.
public enum TimeRef: Hashable, Sendable {
    /// A specific moment: "3pm", "friday at 15:00", "in 2 hours".
    case instant(Date)
    /// Whole local days, `[first day's midnight, day after last's midnight)`: "tomorrow", "next week".
    case days(DateInterval)

    /// The span to search or list: a day span as is; an instant as the rest of its local day.
    public func span(in zone: TimeZone) -> DateInterval {
        switch self {
        case .days(let interval): interval
        case .instant(let date):
            DateInterval(start: date, end: LocalDate(date, in: zone).adding(days: 1).startOfDay(in: zone))
        }
    }
}

/// What the user wants, independent of how they said it or on which platform.
public enum Intent: Hashable, Sendable {
    case start
    case help
    /// List events: `/today`, `/tomorrow`, `/week`, `/agenda <when>`, "what's on tomorrow".
    case agenda(DateInterval)
    case next
    /// `/free 30m tomorrow [with a@x.com]`, "find 45 minutes next week". `within` nil = from now, next 7 days.
    case findFree(minutes: Int, within: DateInterval?, attendees: [String])
    /// "am I free friday at 3pm": is `[start, start+minutes)` free? (`minutes` defaults to 60.)
    case checkFree(start: Date, minutes: Int)
    /// `/book <title> <when> [for <duration>] [with …]`. `minutes` nil = the default (60). `notify` false
    /// when the user said "quietly", "without notifying" (attendees get no invitation e-mail).
    case book(title: String, start: Date, minutes: Int?, attendees: [String], notify: Bool = true)
    /// "book an all-day Offsite on dec 24": an event on whole dates (`days` inclusive), no times.
    case bookAllDay(title: String, days: ClosedRange<LocalDate>, attendees: [String], notify: Bool = true)
    /// "move my 2pm to thursday 10am", "reschedule Dentist to friday 15:00". The event keeps its length.
    case move(EventReference, to: MoveTarget, notify: Bool = true)
    /// "cancel Standup", "cancel my 2pm", "delete Dentist".
    case cancel(EventReference, notify: Bool = true)
    /// "cancel all my meetings tomorrow", "move everything on friday to monday": one plan, one card.
    case bulk(BulkChange)
    case inbox
    case digest
    /// "reply to 2 saying …", `/reply 2 …`: answer the mail numbered 2 in `/inbox` with `text`; `all`
    /// ("reply all to 2 …") copies the mail's other recipients.
    case replyMail(number: Int, text: String, all: Bool = false)
    case approvals
    /// "approve" / "reject" with an optional approval id; no id = the user's most recent pending card.
    case decide(approvalID: String?, approve: Bool)
    case remember(String)
    /// `/memory` (nil: list everything), `/memory <words>` (search).
    case memory(String?)
    case forget(String)
    /// `/settings` alone (both nil) shows all; `/settings key value` changes one.
    case settings(key: String?, value: String?)
    case connect(String)
    case accounts
    /// `/link` (nil: give me a code) or `/link <code>` (join the code's person).
    case link(String?)
    /// `/whoami`: the person's linked identities and home chat.
    case whoami
    /// `/unlink <platform:id>`: make one identity a person of its own again.
    case unlink(String)
    case status
    /// Reminders and no-reply follow-ups: set one, `/plans`, cancel one.
    case followUp(FollowUpRequest)
    /// "What should I focus on today?": a short list by rules.
    case focus
    /// A command with bad arguments: answer `message` (what is expected), change nothing.
    case usage(message: String)
    /// Nothing matched; the LLM planner (when configured) or a help hint takes it.
    case unknown(String)
}

/// Which of the user's events they mean: by when it starts, by words of its title, or both
/// ("my 2pm", "Dentist", "the dentist on friday"). At least one of the two is set.
public struct EventReference: Hashable, Sendable {
    public enum When: Hashable, Sendable {
        /// "my 2pm": the next event starting at this local time of day (minutes after midnight).
        case timeOfDay(Int)
        /// "my friday 2pm": the event starting at this instant.
        case instant(Date)
        /// "my friday meeting": an event starting on this local day.
        case day(DateInterval)
    }

    /// Words of the title as typed, matched case-insensitively anywhere in the title.
    public var title: String?
    public var when: When?
    /// The calendar's own id of the event (from a listing the planner saw); matched exactly.
    public var eventID: String?

    public init(title: String? = nil, when: When? = nil, eventID: String? = nil) {
        self.title = title
        self.when = when
        self.eventID = eventID
    }
}

/// Where a moved event goes.
public enum MoveTarget: Hashable, Sendable {
    /// A new start: "thursday 10am".
    case instant(Date)
    /// A day without a time ("to friday"): the event keeps its local time of day.
    case day(DateInterval)
}

/// Everything the parsers need to resolve words like "tomorrow" or "3pm".
public struct ParseContext: Sendable {
    public var now: Date
    public var timeZone: TimeZone
    public init(now: Date, timeZone: TimeZone) {
        self.now = now
        self.timeZone = timeZone
    }
}
