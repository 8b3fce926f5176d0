import Foundation

/// Moving and cancelling events: "move my 2pm to thursday 10am", "reschedule Dentist to friday 15:00",
/// "cancel Standup", "delete my 2pm quietly", and the `/move` and `/cancel` commands.
///
/// The event is named by when it starts ("my 2pm", "friday 10:00", "my friday meeting"), by words of its
/// title ("Dentist"), or both ("the dentist on friday"); the orchestrator finds it in the calendars.
/// "quietly", "without notifying (anyone)", "don't notify (them)" anywhere in the request set
/// `notify: false`.
extension IntentParser {
    static let moveVerbs: [[String]] = [["move"], ["reschedule"], ["shift"], ["push"], ["postpone"], ["rebook"],
                                        ["change"]]
    static let cancelVerbs: [[String]] = [["cancel"], ["delete"], ["remove"], ["call", "off"]]

    /// Free text: a move or cancel verb first, or nil (left to the other recognisers and the planner).
    /// A request the grammar can't use is nil too, never a usage answer: it may mean something else.
    func eventChange(_ slice: ArraySlice<PhraseToken>, _ text: String, _ parser: TimeExpressionParser) -> Intent? {
        guard let first = slice.first?.word, ["move", "reschedule", "shift", "push", "postpone", "rebook", "change",
                                              "cancel", "delete", "remove", "call", "quietly", "silently"].contains(first)
        else { return nil }
        // "quietly cancel Standup": the notify clause may come first.
        var tokens = Array(slice)
        let notify = NotifyClause.extract(from: &tokens)
        if let verb = Self.moveVerbs.first(where: { Phrase.matches(tokens[...], at: 0, $0) }) {
            let rest = Array(tokens.dropFirst(verb.count))
            switch EventChange.move(rest, in: text, parser: parser, notify: notify) {
            case .success(let intent): return intent
            case .failure(let problem): return problem.isDefinite ? Self.usage("move", problem: problem.message) : nil
            }
        }
        if let verb = Self.cancelVerbs.first(where: { Phrase.matches(tokens[...], at: 0, $0) }) {
            let rest = Array(tokens.dropFirst(verb.count))
            // "cancel", "cancel it": which card or event is meant is not ours to guess.
            guard !rest.allSatisfy({ ["it", "that", "this", "them", "everything", "all"].contains($0.word) }) else {
                return nil
            }
            switch EventChange.cancel(rest, in: text, parser: parser, notify: notify) {
            case .success(let intent): return intent
            case .failure(let problem): return problem.isDefinite ? Self.usage("cancel", problem: problem.message) : nil
            }
        }
        return nil
    }

    /// `/move <event> to <when>` and `/cancel <event>`: always an intent, `.usage` when unreadable.
    func eventChangeCommand(_ name: String, _ text: String, context: ParseContext) -> Intent {
        let parser = TimeExpressionParser(context: context)
        let tokens = Phrase.tokens(text)
        let result = name == "move" ? EventChange.move(tokens, in: text, parser: parser)
            : EventChange.cancel(tokens, in: text, parser: parser)
        switch result {
        case .success(let intent): return intent
        case .failure(let problem): return Self.usage(name, problem: problem.message)
        }
    }
}

enum EventChange {
    /// `<event> to <when>`: the first `to` whose remainder reads as a time splits them, so titles may
    /// contain "to" ("Talk to Bob to friday 3pm").
    static func move(_ tokens: [PhraseToken], in text: String, parser: TimeExpressionParser,
                     notify said: Bool? = nil) -> Result<Intent, PhraseProblem> {
        var tokens = tokens
        let notify = NotifyClause.extract(from: &tokens) ?? said ?? true
        guard !tokens.isEmpty else { return .failure(PhraseProblem("Which event, and to when?")) }
        for separator in ["to", "for"] {
            for index in tokens.indices where index > 0 && tokens[index].word == separator {
                let when = tokens[(index + 1)...]
                guard !when.isEmpty, let resolved = parser.resolve(when) else { continue }
                let target: MoveTarget
                if let instant = resolved.instant {
                    guard instant >= parser.context.now else {
                        return .failure(PhraseProblem("\(parser.describe(instant)) is already past.", definite: true))
                    }
                    target = .instant(instant)
                } else if case .days(let span) = resolved.timeRef, parser.isSingleDay(span) {
                    guard span.end > parser.context.now else {
                        return .failure(PhraseProblem("\"\(Phrase.original(text, when))\" is already past.", definite: true))
                    }
                    target = .day(span)
                } else {
                    return .failure(PhraseProblem("Move it to which day and time? \"\(Phrase.original(text, when))\" "
                                                  + "is more than one day.", definite: true))
                }
                // "push my 2pm back to 3pm"
                var head = tokens[..<index]
                while head.count > 1, let last = head.last, ["back", "forward", "out", "over"].contains(last.word) {
                    head = head.dropLast()
                }
                return reference(head, in: text, parser: parser).map { Intent.move($0, to: target, notify: notify) }
            }
        }
        return .failure(PhraseProblem("Say which event and where it goes, with \"to\"."))
    }

    static func cancel(_ tokens: [PhraseToken], in text: String, parser: TimeExpressionParser,
                       notify said: Bool? = nil) -> Result<Intent, PhraseProblem> {
        var tokens = tokens
        let notify = NotifyClause.extract(from: &tokens) ?? said ?? true
        // "delete Dentist from my calendar"
        for mention in [["from", "my", "calendar"], ["from", "the", "calendar"], ["from", "calendar"],
                        ["from", "my", "schedule"]] where tokens.count > mention.count
            && Phrase.matches(tokens[...], at: tokens.count - mention.count, mention) {
            tokens.removeLast(mention.count)
        }
        guard !tokens.isEmpty else { return .failure(PhraseProblem("Which event?")) }
        return reference(tokens[...], in: text, parser: parser).map { Intent.cancel($0, notify: notify) }
    }

    private static let determiners: Set<String> = ["my", "the", "our", "this"]
    /// Words that name no particular event: "my 2pm meeting" is just "my 2pm".
    static let genericWords: Set<String> = [
        "meeting", "meetings", "event", "appointment", "call", "one", "thing", "at", "on", "my", "the",
    ]

    /// The event's description: a leading time ("2pm meeting", "friday 10:00"), else a trailing one
    /// ("dentist on friday"), else title words only.
    static func reference(_ slice: ArraySlice<PhraseToken>, in text: String,
                          parser: TimeExpressionParser) -> Result<EventReference, PhraseProblem> {
        var tokens = slice
        while tokens.count > 1, let first = tokens.first, determiners.contains(first.word) { tokens = tokens.dropFirst() }
        guard !tokens.isEmpty, !(tokens.count == 1 && determiners.contains(tokens[tokens.startIndex].word)) else {
            return .failure(PhraseProblem("Which event? Name it by its start (my 2pm) or its title."))
        }
        func title(_ words: ArraySlice<PhraseToken>) -> String? {
            words.allSatisfy({ genericWords.contains($0.word) }) ? nil : Phrase.original(text, words)
        }
        for length in stride(from: min(tokens.count, TimeGrammar.longestPhrase), through: 1, by: -1) {
            if let when = when(tokens.prefix(length), parser: parser) {
                return .success(EventReference(title: title(tokens.dropFirst(length)), when: when))
            }
        }
        for start in max(tokens.startIndex + 1, tokens.endIndex - TimeGrammar.longestPhrase)..<tokens.endIndex {
            let tail = tokens[start...]
            // "Review 2": a bare trailing number belongs to the title unless "at" introduces it.
            if tail.count == 1, tail.first!.word.allSatisfy(\.isNumber), tokens[start - 1].word != "at" { continue }
            if let when = when(tail, parser: parser) {
                var head = tokens[..<start]
                while let last = head.last, last.word == "at" || last.word == "on" { head = head.dropLast() }
                return .success(EventReference(title: title(head), when: when))
            }
        }
        if let whenOnly = parser.resolve(tokens), whenOnly.instant == nil {
            return .failure(PhraseProblem("Which event \(Phrase.original(text, tokens))? Give its start, e.g. my 2pm, "
                                          + "or its title."))
        }
        return .success(EventReference(title: Phrase.original(text, tokens)))
    }

    /// A start time with or without a day, or a single day; nil for anything else ("tonight", "next week").
    private static func when(_ tokens: ArraySlice<PhraseToken>, parser: TimeExpressionParser) -> EventReference.When? {
        // Longer runs are never a time; checked before the copy below, which would make each try O(n).
        guard tokens.count <= TimeGrammar.longestPhrase else { return nil }
        var pieces = TimeGrammar.pieces(tokens)
        // "tomorrow's 10:00", "friday's standup": the apostrophe is gone, an `s` remains.
        if pieces == nil, var first = tokens.first, first.word.count > 3, first.word.hasSuffix("s") {
            first.word.removeLast()
            pieces = TimeGrammar.pieces(([first] + tokens.dropFirst())[...])
        }
        guard let pieces, pieces.relativeMinutes == nil, let resolved = parser.resolve(pieces) else { return nil }
        if pieces.clock != nil, let instant = resolved.instant {
            return pieces.day == nil ? .timeOfDay(parser.clock.local(instant).minute) : .instant(instant)
        }
        if pieces.part == nil, case .days(let span) = resolved.timeRef, parser.isSingleDay(span) { return .day(span) }
        return nil
    }
}

/// Whether attendees should hear of a change: "quietly", "without notifying anyone", "don't tell them"
/// → false; "and notify them" → true. Removed from the tokens; nil when the request says nothing.
enum NotifyClause {
    private static let quiet: [[String]] = [
        ["quietly"], ["silently"], ["without", "notifying"], ["without", "notification"], ["without", "notifications"],
        ["without", "telling"], ["without", "sending", "updates"], ["without", "an", "update"], ["dont", "notify"],
        ["do", "not", "notify"], ["dont", "tell"], ["do", "not", "tell"], ["no", "notification"],
        ["no", "notifications"], ["no", "updates"], ["dont", "send", "updates"], ["dont", "send", "an", "update"],
    ]
    /// Only with an object ("notify them"); "tell" alone starts titles too often ("Tell them about X").
    private static let loud: [[String]] = [["and", "notify"], ["and", "tell"], ["notify"], ["notifying"]]
    private static let objects: [[String]] = [
        ["the", "attendees"], ["the", "guests"], ["the", "participants"], ["the", "others"], ["attendees"], ["guests"],
        ["participants"], ["anyone"], ["anybody"], ["everyone"], ["everybody"], ["them"], ["people"], ["others"],
        ["him"], ["her"],
    ]

    /// One pass that copies the kept tokens: removing each clause in place would shift the rest of the
    /// message every time, quadratic in a message of many clauses.
    static func extract(from tokens: inout [PhraseToken]) -> Bool? {
        var found: Bool?
        var kept: [PhraseToken] = []
        var index = 0
        while index < tokens.count {
            var matched: (length: Int, notify: Bool)?
            if let phrase = quiet.first(where: { Phrase.matches(tokens[...], at: index, $0) }) {
                matched = (phrase.count, false)
            } else if let phrase = loud.first(where: { Phrase.matches(tokens[...], at: index, $0) }),
                      objects.contains(where: { Phrase.matches(tokens[...], at: index + phrase.count, $0) }) {
                matched = (phrase.count, true)
            }
            guard let (length, notify) = matched else {
                kept.append(tokens[index])
                index += 1
                continue
            }
            var end = index + length
            if let object = objects.first(where: { Phrase.matches(tokens[...], at: end, $0) }) { end += object.count }
            // "… to friday and don't notify anyone", "…, but quietly"
            if let last = kept.last, ["and", "but", "so"].contains(last.word) { kept.removeLast() }
            index = end
            found = notify
        }
        if found != nil { tokens = kept }
        return found
    }
}

extension TimeExpressionParser {
    /// True when `span` is exactly one local day.
    func isSingleDay(_ span: DateInterval) -> Bool {
        let first = clock.local(span.start)
        return first.minute == 0 && clock.startOfDay(first.day + 1) == span.end
    }
}
