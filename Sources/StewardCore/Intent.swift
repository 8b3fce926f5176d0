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
    /// `/book <title> <when> [for <duration>] [with …]`. `minutes` nil = the default (60).
    case book(title: String, start: Date, minutes: Int?, attendees: [String])
    case inbox
    case digest
    case approvals
    /// "approve" / "reject" with an optional approval id; no id = the user's most recent pending card.
    case decide(approvalID: String?, approve: Bool)
    case remember(String)
    case memory
    case forget(String)
    /// `/settings` alone (both nil) shows all; `/settings key value` changes one.
    case settings(key: String?, value: String?)
    case connect(String)
    case accounts
    case status
    /// A command with bad arguments: answer `message` (what is expected), change nothing.
    case usage(message: String)
    /// Nothing matched; the LLM planner (when configured) or a help hint takes it.
    case unknown(String)
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
