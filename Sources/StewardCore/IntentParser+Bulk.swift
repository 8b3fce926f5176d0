import Foundation

/// A change to many events or mails at once, read without a model; it becomes one plan on one card.
public enum BulkChange: Hashable, Sendable {
    /// "cancel all my meetings tomorrow": every event Steward may cancel in these whole days.
    case cancel(DateInterval, notify: Bool)
    /// "move everything on friday to monday": each event to the same local time of day on `to`'s day.
    case move(from: DateInterval, to: DateInterval, notify: Bool)
    /// "move all personal meetings next week to my work calendar": per event a create on the account
    /// named by `toAccount` and a cancel on the one named by `fromAccount` (nil: any other account).
    case moveToAccount(DateInterval, fromAccount: String?, toAccount: String)
    /// "archive all newsletters older than 30 days": the mails are fixed when the plan is made.
    case archiveNewsletters(olderThanDays: Int)
    /// "decline all invitations for next week".
    case declineInvitations(DateInterval)
}

/// The bulk forms: a verb, then "all" / "every" / "everything", then what and when. Anything else is
/// left to the single-event recognisers and the planner (nil), never guessed.
extension IntentParser {
    private static let quantifiers: Set<String> = ["all", "every", "everything", "each"]
    private static let eventNouns: Set<String> = ["meetings", "meeting", "events", "event", "appointments",
                                                  "appointment", "calls", "call", "things"]
    private static let skipped: Set<String> = ["of", "my", "the", "on", "for", "from", "in", "i", "have", "scheduled"]

    func bulk(_ slice: ArraySlice<PhraseToken>, _ parser: TimeExpressionParser) -> Intent? {
        guard let verb = slice.first?.word,
              ["cancel", "delete", "remove", "clear", "move", "reschedule", "shift", "push", "archive", "decline",
               "quietly", "silently"].contains(verb)
        else { return nil }
        var tokens = Self.withoutPossessives(Array(slice))
        let notify = NotifyClause.extract(from: &tokens) ?? true
        guard tokens.count >= 2, let head = tokens.first?.word else { return nil }
        var rest = tokens.dropFirst()
        // "all my", "all of my", "everything", "my meetings" is not bulk (that's one event, maybe).
        guard let quantifier = rest.first?.word, Self.quantifiers.contains(quantifier) else { return nil }
        rest = rest.dropFirst()
        switch head {
        case "cancel", "delete", "remove", "clear":
            guard let span = Self.days(Self.withoutNouns(rest), parser) else { return nil }
            return .bulk(.cancel(span, notify: notify))
        case "move", "reschedule", "shift", "push":
            return bulkMove(rest, parser, notify: notify)
        case "archive":
            return Self.bulkArchive(rest)
        case "decline":
            let words = rest.drop { ["my", "the", "of"].contains($0.word) }
            guard let noun = words.first?.word, ["invitations", "invitation", "invites", "invite"].contains(noun),
                  let span = Self.days(Self.withoutNouns(words.dropFirst()), parser) else { return nil }
            return .bulk(.declineInvitations(span))
        default:
            return nil
        }
    }

    /// "[my meetings] [on] friday to monday", "[personal meetings] next week to my work calendar".
    private func bulkMove(_ rest: ArraySlice<PhraseToken>, _ parser: TimeExpressionParser, notify: Bool) -> Intent? {
        guard let split = rest.lastIndex(where: { $0.word == "to" }), split > rest.startIndex else { return nil }
        var target = rest[(split + 1)...]
        var source = rest[..<split]
        // "… to my work calendar", "… to work": another account, not another day.
        // "… to my work calendar next week": the time after the account belongs to what moves.
        if let named = target.firstIndex(where: { ["calendar", "account"].contains($0.word) }), named < target.endIndex - 1 {
            source = ArraySlice(Array(source) + target[(named + 1)...])
            target = target[...named]
        }
        if target.last?.word == "calendar" || target.last?.word == "account" {
            target = target.dropLast().drop { ["my", "the"].contains($0.word) }
            guard target.count == 1, let account = target.first?.word else { return nil }
            source = source.drop { ["my", "of", "the"].contains($0.word) }
            var from: String?
            if let first = source.first?.word, !Self.eventNouns.contains(first), parser.resolve(source) == nil {
                from = first
                source = source.dropFirst()
            }
            if source.last?.word == "calendar", let word = source.dropLast().last?.word, parser.resolve(source) == nil {
                from = word  // "everything next week from my personal calendar"
            }
            // "meetings from my personal calendar next week": the account named in the middle.
            if from == nil, let named = source.firstIndex(where: { $0.word == "calendar" }),
               let opening = source[..<named].lastIndex(where: { $0.word == "from" }), named - opening >= 2 {
                from = source[named - 1].word
                source = ArraySlice(Array(source[..<opening]) + source[(named + 1)...])
            }
            guard let span = Self.days(Self.withoutNouns(source), parser) else { return nil }
            return .bulk(.moveToAccount(span, fromAccount: from, toAccount: account))
        }
        guard let from = Self.days(Self.withoutNouns(source), parser), parser.isSingleDay(from),
              let resolved = parser.resolve(target.drop { $0.word == "on" }),
              case .days(let span) = resolved.timeRef,
              let to = parser.isSingleDay(span) ? span : Self.sameWeekday(as: from, inWeek: span, parser.clock.zone)
        else { return nil }
        return .bulk(.move(from: from, to: to, notify: notify))
    }

    /// "[my] newsletters older than 30 days", "promotional mail older than 2 weeks".
    private static func bulkArchive(_ rest: ArraySlice<PhraseToken>) -> Intent? {
        let words = rest.map(\.word).filter { !["my", "the", "of", "emails", "email", "mails", "mail"].contains($0) }
        guard let noun = words.first, ["newsletters", "newsletter", "promotions", "promotional", "promos"].contains(noun)
        else { return nil }
        let tail = Array(words.dropFirst())
        guard tail.count == 4, tail[0] == "older", tail[1] == "than", let count = Int(tail[2]), count > 0, count <= 3_650
        else { return nil }
        switch tail[3] {
        case "day", "days": return .bulk(.archiveNewsletters(olderThanDays: count))
        case "week", "weeks": return .bulk(.archiveNewsletters(olderThanDays: count * 7))
        case "month", "months": return .bulk(.archiveNewsletters(olderThanDays: count * 30))
        default: return nil
        }
    }

    /// The words with "my meetings", "of the events", "on" taken out before and after ("all of tomorrow's
    /// meetings"), so only the time is left.
    private static func withoutNouns(_ tokens: ArraySlice<PhraseToken>) -> ArraySlice<PhraseToken> {
        var tokens = tokens
        while let first = tokens.first?.word, skipped.contains(first) || eventNouns.contains(first) {
            tokens = tokens.dropFirst()
        }
        while let last = tokens.last?.word, eventNouns.contains(last) {
            tokens = tokens.dropLast()
        }
        return tokens
    }

    private static let possessiveTimes: Set<String> = [
        "today", "tomorrow", "yesterday", "week", "weekend", "month",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// "tomorrow's meetings", "next week's calls": the tokenizer drops the apostrophe (`tomorrows`); the
    /// time words get their plain form back.
    private static func withoutPossessives(_ tokens: [PhraseToken]) -> [PhraseToken] {
        tokens.map { token in
            guard token.word.hasSuffix("s"), possessiveTimes.contains(String(token.word.dropLast())) else { return token }
            var plain = token
            plain.word.removeLast()
            return plain
        }
    }

    /// "move tomorrow's meetings to next week": the day of `week` with the weekday of `day` (nil when the
    /// span is not a week, where a weekday would be a guess).
    private static func sameWeekday(as day: DateInterval, inWeek week: DateInterval, _ zone: TimeZone) -> DateInterval? {
        let first = LocalDate(week.start, in: zone)
        guard LocalDate(week.end, in: zone) == first.adding(days: 7) else { return nil }
        let weekday = LocalDate(day.start, in: zone).weekday
        for offset in 0..<7 where first.adding(days: offset).weekday == weekday {
            let target = first.adding(days: offset)
            return DateInterval(start: target.startOfDay(in: zone), end: target.adding(days: 1).startOfDay(in: zone))
        }
        return nil
    }

    /// Whole local days the words name ("tomorrow", "next week", "friday"); nil when they name none.
    private static func days(_ tokens: ArraySlice<PhraseToken>, _ parser: TimeExpressionParser) -> DateInterval? {
        guard !tokens.isEmpty, let resolved = parser.resolve(tokens) else { return nil }
        return parser.clock.wholeDays(covering: resolved.timeRef)
    }
}
