import Foundation

/// Free text: each recogniser either understands the whole message or declines, and the first that
/// understands wins. Their order matters where phrasings overlap: "remember …" may contain any words, so
/// it goes first; a leading move or cancel verb ("move my 2pm to …") before the schedule questions;
/// "am I free" before the agenda's "what do I have"; the agenda before booking, so that
/// "my schedule for friday" is never read as booking an event called "my".
extension IntentParser {
    func message(_ text: String, context: ParseContext) -> Intent {
        if let reply = Self.mailReply(text) { return reply }
        let all = Phrase.tokens(text)
        if let answer = Self.smallTalk[all.map(\.word).joined(separator: " ")] { return answer }
        let tokens = Self.withoutFiller(all[...])
        guard !tokens.isEmpty else { return .unknown(text) }
        if let intent = remember(tokens, text) ?? memoryPhrase(tokens, text) ?? decide(tokens, text)
            ?? memoryAndSettings(tokens, text) {
            return intent
        }
        if let intent = followUp(tokens, text, context) { return intent }
        let joined = tokens.count <= 6 ? tokens.map(\.word).joined(separator: " ") : ""
        if let intent = Self.fixedPhrases[joined] { return intent }
        let parser = TimeExpressionParser(context: context)
        return bulk(tokens, parser) ?? eventChange(tokens, text, parser) ?? freeTime(tokens, text, parser) ?? next(tokens) ?? agenda(tokens, parser)
            ?? book(tokens, text, parser) ?? .unknown(text)
    }

    // MARK: Filler

    private static let leadingFiller: [[String]] = [
        ["hey"], ["hi"], ["hello"], ["ok"], ["okay"], ["please"], ["pls"], ["plz"], ["steward"], ["so"], ["um"],
        ["yo"], ["can", "you"], ["could", "you"], ["would", "you"], ["will", "you"], ["can", "u"], ["help", "me"],
        ["i", "want", "to"], ["i", "need", "to"], ["i", "would", "like", "to"], ["id", "like", "to"], ["tell", "me"],
        ["show", "me"], ["kindly"], ["quick", "question"], ["just"],
    ]
    private static let trailingFiller: [[String]] = [
        ["please"], ["pls"], ["plz"], ["thanks"], ["thank", "you"], ["thx"], ["for", "me"], ["steward"],
    ]

    /// Drops polite words at either end, as long as something is left ("help me" alone stays "help me").
    static func withoutFiller(_ tokens: ArraySlice<PhraseToken>) -> ArraySlice<PhraseToken> {
        var tokens = tokens
        var changed = true
        while changed {
            changed = false
            for filler in leadingFiller where filler.count < tokens.count
                && Phrase.matches(tokens, at: tokens.startIndex, filler) {
                tokens = tokens.dropFirst(filler.count)
                changed = true
            }
            for filler in trailingFiller where filler.count < tokens.count
                && Phrase.matches(tokens, at: tokens.endIndex - filler.count, filler) {
                tokens = tokens.dropLast(filler.count)
                changed = true
            }
        }
        return tokens
    }

    // MARK: Fixed phrases

    /// A greeting gets the greeting (which says what Steward does and the zone in use); thanks a short
    /// acknowledgement. Whole messages only: "hi, what's on tomorrow" is a question with a polite start.
    private static let smallTalk: [String: Intent] = {
        var table: [String: Intent] = [:]
        for phrase in ["hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "hi steward",
                       "hello steward", "hey steward", "hallo", "yo"] { table[phrase] = .start }
        for phrase in ["thanks", "thank you", "thx", "ty", "cheers", "thanks a lot", "thank you so much", "great thanks",
                       "ok thanks", "thanks steward", "many thanks"] {
            table[phrase] = .usage(message: "You're welcome.")
        }
        return table
    }()

    private static let fixedPhrases: [String: Intent] = {
        var table: [String: Intent] = [:]
        let groups: [(Intent, [String])] = [
            (.help, ["help", "help me", "what can you do", "what do you do", "what can i do", "how does this work",
                     "commands", "what are your commands", "show commands", "menu"]),
            (.start, ["start"]),
            (.next, ["next"]),
            (.inbox, ["inbox", "my inbox", "check inbox", "check my inbox", "check email", "check my email",
                      "check mail", "check my mail", "any new mail", "any new email", "any new emails", "new mail",
                      "mail", "email", "emails"]),
            (.digest, ["digest", "my digest", "daily digest", "send digest", "send my digest"]),
            (.approvals, ["approvals", "pending approvals", "my approvals", "what needs my approval",
                          "anything to approve", "what is pending", "whats pending"]),
            (.memory(nil), ["memory", "what do you remember", "what do you know about me", "my memory"]),
            (.accounts, ["accounts", "my accounts", "connected accounts"]),
            (.status, ["status", "health", "are you ok", "are you working"]),
            (.settings(key: nil, value: nil), ["settings", "my settings", "preferences", "show settings"]),
        ]
        for (intent, phrases) in groups {
            for phrase in phrases { table[phrase] = intent }
        }
        return table
    }()

    // MARK: Remember, decide

    /// "remember that I prefer morning meetings", "note that …", "don't forget that …".
    private func remember(_ tokens: ArraySlice<PhraseToken>, _ text: String) -> Intent? {
        var rest = tokens
        if Phrase.matches(rest, at: rest.startIndex, ["remember"]) || Phrase.matches(rest, at: rest.startIndex, ["note", "that"]) {
            rest = rest.dropFirst()
        } else if Phrase.matches(rest, at: rest.startIndex, ["dont", "forget", "that"]) {
            rest = rest.dropFirst(2)
        } else {
            return nil
        }
        if rest.first?.word == "that" { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return Self.usage("remember", problem: "What should I remember?") }
        return .remember(Phrase.original(text, rest))
    }

    /// "approve", "yes approve", "reject", "approve ab12cd", "reject that one".
    private func decide(_ tokens: ArraySlice<PhraseToken>, _ text: String) -> Intent? {
        var rest = tokens
        if let first = rest.first?.word, ["yes", "no", "ok", "okay", "sure", "nope"].contains(first), rest.count > 1 {
            rest = rest.dropFirst()
        }
        let approve: Bool
        switch rest.first?.word {
        case "approve"?, "approved"?: approve = true
        case "reject"?, "rejected"?, "deny"?, "denied"?, "decline"?: approve = false
        default: return nil
        }
        let after = rest.dropFirst()
        if after.allSatisfy({ Self.pointingWords.contains($0.word) }) { return .decide(approvalID: nil, approve: approve) }
        guard after.count == 1, let token = after.first, let id = Self.plausibleID(text, token) else { return nil }
        return .decide(approvalID: id, approve: approve)
    }

    private static let pointingWords: Set<String> = ["it", "that", "this", "them", "one", "request", "card", "the"]

    /// An id as typed (`ab12cd`, `#AB12CD`): letters, digits, `-`, `_`; "all" and other words are not ids
    /// unless they contain a digit, so "approve everything" is left to the planner.
    private static func plausibleID(_ text: String, _ token: PhraseToken) -> String? {
        let id = approvalID(text, token)
        guard !id.isEmpty, id.count <= 64, id.unicodeScalars.allSatisfy({ ($0.isASCII && $0.properties.isAlphabetic)
            || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }),
            !["all", "everything", "both"].contains(token.word) else { return nil }
        return id
    }

    /// "forget 12" (an id with a digit: "forget it" means never mind), "set hours 9-17",
    /// "settings quiet off".
    private func memoryAndSettings(_ tokens: ArraySlice<PhraseToken>, _ text: String) -> Intent? {
        guard let first = tokens.first?.word, tokens.count >= 2 else { return nil }
        let second = tokens[tokens.startIndex + 1]
        if first == "forget", tokens.count == 2, second.word.contains(where: \.isNumber),
           let id = Self.plausibleID(text, second) {
            return .forget(id)
        }
        guard first == "set" || first == "settings" || first == "setting",
              UserSettings.editableKeys.contains(second.word) || second.word == "timezone" else { return nil }
        let value = tokens.count > 2 ? text[tokens[tokens.startIndex + 2].range.lowerBound...].trimmingWhitespace() : ""
        return .settings(key: second.word, value: value.isEmpty ? nil : value)
    }

    // MARK: Schedule questions

    /// "am I free friday at 3pm [for 30 minutes]" → checkFree (60 minutes by default; a day without a time
    /// asks for free time that day instead); "find 45 minutes next week", "when am I free tomorrow" →
    /// findFree (30 minutes by default).
    private func freeTime(_ tokens: ArraySlice<PhraseToken>, _ text: String, _ parser: TimeExpressionParser) -> Intent? {
        let checks: [[String]] = [["am", "i", "free"], ["am", "i", "available"], ["am", "i", "busy"],
                                  ["do", "i", "have", "time"], ["is", "my", "calendar", "free"]]
        let finds: [[String]] = [["when", "am", "i", "free"], ["when", "am", "i", "available"], ["find"],
                                 ["free", "time"], ["free", "slots"], ["any", "free", "time"], ["when", "can", "i", "meet"],
                                 ["look", "for"], ["search", "for"]]
        let start = tokens.startIndex
        // "is 3pm free", "is friday at 10 ok": the time sits between the words.
        if tokens.count > 2, tokens[start].word == "is", let last = tokens.last?.word,
           ["free", "available", "open", "ok", "okay"].contains(last),
           let instant = parser.resolve(tokens.dropFirst().dropLast())?.instant {
            return .checkFree(start: instant, minutes: 60)
        }
        let isCheck: Bool
        let prefix: [String]
        if let found = checks.first(where: { Phrase.matches(tokens, at: start, $0) }) {
            (isCheck, prefix) = (true, found)
        } else if let found = finds.first(where: { Phrase.matches(tokens, at: start, $0) }) {
            (isCheck, prefix) = (false, found)
        } else {
            return nil
        }
        var rest = Array(tokens.dropFirst(prefix.count))
        guard case .success(let attendees) = Attendees.extract(from: &rest, in: text) else { return nil }
        var minutes = DurationClause.extract(from: &rest)
        if minutes == nil { minutes = Self.extractDuration(from: &rest) }
        rest.removeAll { Self.searchWords.contains($0.word) }

        let resolved: TimeExpressionParser.Resolved?
        if rest.isEmpty {
            resolved = nil
        } else {
            guard let found = parser.resolve(rest[...]) else { return nil }
            resolved = found
        }
        // "am I free tomorrow morning": the whole morning, not an hour from its default 09:00.
        let part = rest.isEmpty ? nil : parser.partOfDayWindow(rest[...])
        if isCheck, attendees.isEmpty, let part, minutes == nil {
            return .checkFree(start: part.start, minutes: Int(part.duration / 60))
        }
        if isCheck, attendees.isEmpty, part == nil {
            switch resolved {
            case nil: return .checkFree(start: parser.context.now, minutes: minutes ?? 60)
            case let found?:
                if let instant = found.instant { return .checkFree(start: instant, minutes: minutes ?? 60) }
                // "am I busy tomorrow" wants the day's events more than its gaps.
                if prefix.contains("busy") { return .agenda(parser.clock.wholeDays(covering: found.timeRef)) }
            }
        }
        return .findFree(minutes: minutes ?? 30, within: part ?? resolved.map { parser.searchWindow($0.timeRef) },
                         attendees: attendees)
    }

    /// Words that only say "free time" in a search: "find me a free 30 minute slot".
    private static let searchWords: Set<String> = [
        "me", "us", "a", "an", "some", "free", "time", "slot", "slots", "gap", "window", "opening", "openings",
        "spot", "for", "to", "meet", "available", "space", "room", "call", "meeting", "chat",
    ]

    /// A duration anywhere, with a unit ("45 minutes", "an hour"), the longest at the earliest start.
    private static func extractDuration(from tokens: inout [PhraseToken]) -> Int? {
        for start in tokens.indices {
            var length = min(4, tokens.count - start)
            while length > 0 {
                if let minutes = DurationParser.minutes(tokens[start..<(start + length)], requireUnit: true) {
                    tokens.removeSubrange(start..<(start + length))
                    return minutes
                }
                length -= 1
            }
        }
        return nil
    }

    private static let nextWords: Set<String> = [
        "whats", "what", "is", "when", "whens", "my", "the", "up", "next", "meeting", "event", "appointment", "call",
        "thing", "on", "calendar", "coming", "s",
    ]

    /// "what's next", "next meeting", "when is my next meeting", "what's coming up".
    private func next(_ tokens: ArraySlice<PhraseToken>) -> Intent? {
        guard tokens.allSatisfy({ Self.nextWords.contains($0.word) }) else { return nil }
        let words = tokens.map(\.word)
        return words.contains("next") || (words.contains("coming") && words.contains("up")) ? .next : nil
    }

    private static let agendaWords: Set<String> = [
        "whats", "what", "is", "on", "do", "i", "have", "got", "my", "schedule", "agenda", "calendar", "happening",
        "list", "events", "meetings", "appointments", "any", "anything", "planned", "for", "does", "look", "like",
        "the", "plans", "show", "going", "how", "busy", "am", "s", "day",
    ]
    private static let agendaTriggers: Set<String> = [
        "on", "have", "schedule", "agenda", "calendar", "happening", "events", "meetings", "appointments",
        "planned", "plans", "busy", "got", "day",
    ]

    /// "what's on tomorrow", "what do I have today", "my schedule for friday", "agenda next week",
    /// "friday's meetings", or a time phrase alone ("tomorrow", "next week"): the whole days covered.
    private func agenda(_ tokens: ArraySlice<PhraseToken>, _ parser: TimeExpressionParser) -> Intent? {
        if let resolved = parser.resolve(tokens) {
            return .agenda(parser.clock.wholeDays(covering: resolved.timeRef))
        }
        var lower = tokens.startIndex
        while lower < tokens.endIndex, Self.agendaWords.contains(tokens[lower].word) { lower += 1 }
        var upper = tokens.endIndex
        while upper > lower, Self.agendaWords.contains(tokens[upper - 1].word) { upper -= 1 }
        let trailingTrigger = tokens[upper...].contains { Self.agendaTriggers.contains($0.word) }
        // The framing may have swallowed the start of the time ("what's on the day after tomorrow"):
        // give words back from the right end of the prefix until the middle reads as a time.
        while true {
            let framing = trailingTrigger || tokens[..<lower].contains { Self.agendaTriggers.contains($0.word) }
            guard framing else { return nil }
            let middle = tokens[lower..<upper]
            if middle.isEmpty { return .agenda(parser.clock.days(parser.today)) }
            if let resolved = parser.resolve(middle) ?? Self.possessive(middle, parser) {
                return .agenda(parser.clock.wholeDays(covering: resolved.timeRef))
            }
            guard lower > tokens.startIndex else { return nil }
            lower -= 1
        }
    }

    /// "tomorrow's schedule", "next week's meetings": the apostrophe is gone, an `s` remains.
    private static func possessive(_ middle: ArraySlice<PhraseToken>, _ parser: TimeExpressionParser)
        -> TimeExpressionParser.Resolved? {
        guard middle.count <= TimeGrammar.longestPhrase, var last = middle.last, last.word.count > 1,
              last.word.hasSuffix("s") else { return nil }
        last.word.removeLast()
        return parser.resolve(middle.dropLast() + [last])
    }

    // MARK: Booking

    private static let bookingVerbs: [[String]] = [
        ["book"], ["schedule"], ["add"], ["create"], ["put"], ["arrange"], ["plan"], ["set", "up"],
    ]
    private static let calendarMentions: [[String]] = [
        ["to", "my", "calendar"], ["on", "my", "calendar"], ["in", "my", "calendar"], ["to", "the", "calendar"],
        ["to", "my", "schedule"], ["in", "my", "diary"], ["to", "my", "diary"],
    ]

    /// "book lunch with Sam tomorrow 12:30 for 1h", "schedule dentist on friday at 3pm". Anything the
    /// booking grammar cannot use (no time, a past time) is left to the planner, not answered with usage.
    private func book(_ tokens: ArraySlice<PhraseToken>, _ text: String, _ parser: TimeExpressionParser) -> Intent? {
        guard let verb = Self.bookingVerbs.first(where: { Phrase.matches(tokens, at: tokens.startIndex, $0) })
        else { return nil }
        var rest = Array(tokens.dropFirst(verb.count))
        for mention in Self.calendarMentions {
            if let index = rest.indices.first(where: { Phrase.matches(rest[...], at: $0, mention) }) {
                rest.removeSubrange(index..<(index + mention.count))
            }
        }
        if let first = rest.first?.word, first == "a" || first == "an", rest.count > 1 { rest.removeFirst() }
        // Recurring events ("every day at 9") are beyond this grammar; the planner may manage them.
        guard !rest.contains(where: { $0.word == "every" || $0.word == "daily" || $0.word == "weekly" }) else { return nil }
        let booking: BookingRequest
        switch BookingRequest.read(rest[...], in: text, parser: parser) {
        case .success(let read): booking = read
        // "book meeting monday": understood, but a time is missing; ask for it rather than "didn't catch that".
        case .failure(let problem) where problem.isDefinite: return .usage(message: problem.message)
        case .failure: return nil
        }
        let title = booking.title.prefix(1).uppercased() + booking.title.dropFirst()
        return booking.intent(title: String(title))
    }
}
