import Foundation

/// What the person asked of follow-ups. Times are as said (`TimeRef`): a day alone gets its hour from the
/// person's settings in `FollowUpHandler` (a reminder at 09:00, a reply deadline at the end of working hours).
public enum FollowUpRequest: Hashable, Sendable {
    /// "remind me tomorrow at 9 to call Sam", "remind me to call Sam in 2 hours".
    case remind(task: String, at: TimeRef, request: String)
    /// "tell me if Sarah hasn't replied by Friday".
    case noReply(person: String, by: TimeRef, request: String)
    /// `/plans`, "my reminders": what waits.
    case list
    /// "cancel reminder 2": the number `/plans` shows.
    case cancel(number: Int)
}

/// Reminder, no-reply and focus phrasings. Each recogniser understands the whole message or declines.
extension IntentParser {
    func followUp(_ tokens: ArraySlice<PhraseToken>, _ text: String, _ context: ParseContext) -> Intent? {
        let words = tokens.map(\.word)
        let joined = words.count <= 8 ? words.joined(separator: " ") : ""
        if Self.focusPhrases.contains(joined) { return .focus }
        if Self.listPhrases.contains(joined) { return .followUp(.list) }
        if let cancel = Self.cancelFollowUp(words) { return cancel }
        let parser = TimeExpressionParser(context: context)
        return Self.noReply(tokens, text, parser) ?? Self.reminder(tokens, text, parser)
    }

    static let focusPhrases: Set<String> = [
        "what should i focus on", "what should i focus on today", "what do i focus on today", "focus", "focus today",
        "what should i do today", "what should i work on", "what should i work on today", "whats important today",
        "what is important today", "what matters today", "my priorities", "priorities", "priorities today",
        "what are my priorities", "what are my priorities today", "whats my focus today", "what needs my attention",
        "what needs my attention today", "where should i start today", "what first",
    ]

    static let listPhrases: Set<String> = [
        "plans", "reminders", "my reminders", "list reminders", "list my reminders", "show reminders",
        "show my reminders", "follow-ups", "my follow-ups", "followups", "my followups", "what reminders do i have",
        "what is waiting", "whats waiting", "waiting plans",
    ]

    /// "cancel reminder 2", "cancel follow-up #2", "delete reminder 2".
    static func cancelFollowUp(_ words: [String]) -> Intent? {
        guard words.count == 3, ["cancel", "delete", "remove", "stop"].contains(words[0]),
              ["reminder", "follow-up", "followup", "plan"].contains(words[1]) else { return nil }
        let number = words[2].hasPrefix("#") ? String(words[2].dropFirst()) : words[2]
        guard let value = Int(number), (1...999).contains(value) else { return nil }
        return .followUp(.cancel(number: value))
    }

    private static let taskLinks: Set<String> = ["to", "about", "that"]

    /// "remind me <when> to <task>" or "remind me to <task> <when>" (also "about …", "that …").
    static func reminder(_ tokens: ArraySlice<PhraseToken>, _ text: String, _ parser: TimeExpressionParser) -> Intent? {
        guard Phrase.matches(tokens, at: tokens.startIndex, ["remind", "me"]) else { return nil }
        return reminderArguments(tokens.dropFirst(2), text, parser)
    }

    /// The part after "remind me" (or `/remind`'s arguments).
    static func reminderArguments(_ rest: ArraySlice<PhraseToken>, _ text: String,
                                  _ parser: TimeExpressionParser, asked: String? = nil) -> Intent {
        let missing = Intent.usage(message: "When, and what should I remind you of? e.g. remind me tomorrow at 9 to call Sam")
        guard let first = rest.first else { return missing }
        let request = asked ?? text.trimmingCharacters(in: .whitespacesAndNewlines)
        // <when> to <task>: the first link word after a time.
        for index in rest.indices where index > rest.startIndex && taskLinks.contains(rest[index].word)
            && index + 1 < rest.endIndex {
            if let when = parser.resolve(rest[..<index]) {
                return .followUp(.remind(task: Phrase.original(text, rest[(index + 1)...]), at: when.asked,
                                         request: request))
            }
        }
        // to <task> <when>: the longest time phrase at the end.
        if taskLinks.contains(first.word), rest.count > 2 {
            for split in (rest.startIndex + 2)..<rest.endIndex {
                if let when = parser.resolve(rest[split...]) {
                    let task = rest[(rest.startIndex + 1)..<split]
                    return .followUp(.remind(task: Phrase.original(text, task), at: when.asked, request: request))
                }
            }
        }
        return missing
    }

    private static let askers: [[String]] = [
        ["tell", "me"], ["let", "me", "know"], ["remind", "me"], ["ping", "me"], ["notify", "me"], ["alert", "me"],
        ["warn", "me"],
    ]
    private static let negations: [[String]] = [
        ["hasnt"], ["has", "not"], ["doesnt"], ["does", "not"], ["didnt"], ["did", "not"], ["havent"], ["hasn"],
    ]
    private static let replyVerbs: Set<String> = [
        "replied", "reply", "responded", "respond", "answered", "answer", "written", "write", "gotten", "got", "get",
    ]
    private static let replyFiller: Set<String> = ["back", "to", "me", "my", "mail", "email", "message", "yet", "anything"]
    private static let deadlineWords: Set<String> = ["by", "until", "before"]

    /// "tell me if Sarah hasn't replied by Friday", "let me know if sam@x.com doesn't answer by tomorrow 5pm".
    static func noReply(_ tokens: ArraySlice<PhraseToken>, _ text: String, _ parser: TimeExpressionParser) -> Intent? {
        var rest = tokens
        if let asker = askers.first(where: { Phrase.matches(rest, at: rest.startIndex, $0) }) {
            rest = rest.dropFirst(asker.count)
        }
        guard rest.first?.word == "if", rest.count >= 5 else { return nil }
        rest = rest.dropFirst()
        guard let negationIndex = rest.indices.first(where: { index in
            negations.contains { Phrase.matches(rest, at: index, $0) }
        }), negationIndex > rest.startIndex, negationIndex - rest.startIndex <= 4,
              let negation = negations.first(where: { Phrase.matches(rest, at: negationIndex, $0) }) else { return nil }
        let person = rest[rest.startIndex..<negationIndex]
        var after = rest[(negationIndex + negation.count)...]
        guard let verb = after.first?.word, replyVerbs.contains(verb) else { return nil }
        after = after.dropFirst()
        while let word = after.first?.word, replyFiller.contains(word) { after = after.dropFirst() }
        let request = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let word = after.first?.word, deadlineWords.contains(word), after.count > 1 else {
            return .usage(message: "By when? e.g. tell me if Sarah hasn't replied by Friday")
        }
        guard let when = parser.resolve(after.dropFirst()) else {
            return .usage(message: "I couldn't read \"\(Phrase.original(text, after.dropFirst()))\" as a day or time. "
                          + "e.g. tell me if Sarah hasn't replied by Friday")
        }
        return .followUp(.noReply(person: Phrase.original(text, person), by: when.asked, request: request))
    }
}

extension TimeExpressionParser.Resolved {
    /// An instant when the phrase gave one ("tomorrow morning" = 09:00), else the days.
    var asked: TimeRef { instant.map(TimeRef.instant) ?? timeRef }
}
