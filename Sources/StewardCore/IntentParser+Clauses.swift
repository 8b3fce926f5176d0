import Foundation

/// Why a command's arguments could not be used; `message` is one sentence for the user.
struct PhraseProblem: Error, Sendable {
    var message: String
    /// The request was understood but can't be done as said ("to yesterday 9am"): worth answering even
    /// for free text, where other problems mean the phrasing was something else.
    var isDefinite: Bool
    init(_ message: String, definite: Bool = false) {
        self.message = message
        isDefinite = definite
    }
}

/// Email addresses as the parsers and settings accept them: `local@domain.tld`, lower-cased.
enum EmailAddressSyntax {
    /// The lower-cased address, or nil when it does not look like one (`mailto:` and `<…>` are dropped).
    static func normalized(_ raw: some StringProtocol) -> String? {
        var text = raw.lowercased()
        if text.hasPrefix("mailto:") { text.removeFirst(7) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              (1...64).contains(local.count), (3...253).contains(domain.count),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.unicodeScalars.allSatisfy({ isLocalCharacter($0) }) else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { isDomainCharacter($0) }
        }), labels.last!.count >= 2 else { return nil }
        return text
    }

    private static func isLocalCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isDomainCharacter(scalar) || "._+'=!#$%&*/?^`{|}~".unicodeScalars.contains(scalar)
    }

    private static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
            || scalar == "-" || (!scalar.isASCII && scalar.properties.isAlphabetic)
    }
}

/// `with a@x.com, b@y.com and c@z.com`: removed from the tokens; a `with` not followed by an address
/// (`lunch with Sam`) is left alone, so it stays in a title.
enum Attendees {
    /// One pass that copies the kept tokens: removing each clause in place would shift the rest of the
    /// message every time, quadratic in a message of many clauses.
    static func extract(from tokens: inout [PhraseToken], in text: String) -> Result<[String], PhraseProblem> {
        var attendees: [String] = []
        var seen: Set<String> = []
        var kept: [PhraseToken] = []
        var index = 0
        while index < tokens.count {
            guard tokens[index].word == "with", index + 1 < tokens.count, tokens[index + 1].word.contains("@") else {
                kept.append(tokens[index])
                index += 1
                continue
            }
            var end = index + 1
            while end < tokens.count {
                let word = tokens[end].word
                if word.contains("@") {
                    let raw = text[tokens[end].range]
                    guard let address = EmailAddressSyntax.normalized(raw) else {
                        return .failure(PhraseProblem("\"\(raw)\" isn't an email address."))
                    }
                    if seen.insert(address).inserted { attendees.append(address) }
                    end += 1
                } else if word == "and" || word == "&", end + 1 < tokens.count, tokens[end + 1].word.contains("@") {
                    end += 1
                } else {
                    break
                }
            }
            index = end
        }
        tokens = kept
        return .success(attendees)
    }
}

/// `all-day`, `all day`, `whole day`, `whole-day`, `allday`: removed; true when one was there.
enum AllDayClause {
    static func extract(from tokens: inout [PhraseToken]) -> Bool {
        if let index = tokens.firstIndex(where: { ["all-day", "allday", "whole-day", "full-day"].contains($0.word) }) {
            tokens.remove(at: index)
            return true
        }
        for index in tokens.indices.dropLast()
        where ["all", "whole", "full"].contains(tokens[index].word) && tokens[index + 1].word == "day" {
            // "the whole day": the article goes with it.
            let from = index > 0 && tokens[index - 1].word == "the" ? index - 1 : index
            tokens.removeSubrange(from...(index + 1))
            return true
        }
        return false
    }
}

extension AllDayClause {
    /// "from dec 24 to dec 26", "dec 24 until dec 26": the first and last dates (both inclusive) and
    /// where the title ends. The time grammar reads one day or span; a range of dates is two of them.
    static func dateRange(_ tokens: [PhraseToken], parser: TimeExpressionParser)
        -> (titleEnd: Int, days: ClosedRange<LocalDate>)? {
        if let short = shortRange(tokens, parser: parser) { return short }
        guard let to = tokens.lastIndex(where: { ["to", "until", "till", "through", "thru"].contains($0.word) }),
              to > 1, to < tokens.count - 1, let end = parser.resolve(tokens[(to + 1)...]) else { return nil }
        for start in 1..<to {
            guard let begin = parser.resolve(tokens[start..<to]) else { continue }
            var titleEnd = start
            if titleEnd > 1, ["from", "on"].contains(tokens[titleEnd - 1].word) { titleEnd -= 1 }
            let first = LocalClock.localDate(parser.clock.local(parser.clock.wholeDays(covering: begin.timeRef).start).day)
            let last = LocalClock.localDate(parser.clock.local(parser.clock.wholeDays(covering: end.timeRef).end
                .addingTimeInterval(-1)).day)
            return first <= last ? (titleEnd, first...last) : nil
        }
        return nil
    }
}

extension AllDayClause {
    /// "dec 24-26": the day before the dash and the day after it, both in the month named before.
    static func shortRange(_ tokens: [PhraseToken], parser: TimeExpressionParser)
        -> (titleEnd: Int, days: ClosedRange<LocalDate>)? {
        guard let last = tokens.last, tokens.count > 2 else { return nil }
        let parts = last.word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && Int($0) != nil }) else { return nil }
        var from = last, through = last
        from.word = String(parts[0])
        through.word = String(parts[1])
        for start in 1..<(tokens.count - 1) {
            let lead = tokens[start..<(tokens.count - 1)]
            guard let begin = parser.resolve(ArraySlice(lead + [from])),
                  let end = parser.resolve(ArraySlice(lead + [through])) else { continue }
            var titleEnd = start
            if titleEnd > 1, ["from", "on"].contains(tokens[titleEnd - 1].word) { titleEnd -= 1 }
            let first = LocalClock.localDate(parser.clock.local(parser.clock.wholeDays(covering: begin.timeRef).start).day)
            let lastDay = LocalClock.localDate(parser.clock.local(parser.clock.wholeDays(covering: end.timeRef).end
                .addingTimeInterval(-1)).day)
            return first <= lastDay ? (titleEnd, first...lastDay) : nil
        }
        return nil
    }
}

/// `for 45m`, `for 1 hour`: removed from the tokens. A bare number (`for 45`) counts only at the very end,
/// so "dinner for 2 tomorrow 8pm" keeps its title.
enum DurationClause {
    static func extract(from tokens: inout [PhraseToken]) -> Int? {
        for index in tokens.indices.reversed() where tokens[index].word == "for" {
            var length = min(4, tokens.count - index - 1)
            while length > 0 {
                let end = index + 1 + length
                if let minutes = DurationParser.minutes(tokens[(index + 1)..<end], requireUnit: end != tokens.count) {
                    tokens.removeSubrange(index..<end)
                    return minutes
                }
                length -= 1
            }
        }
        return nil
    }
}

/// `<title> <when> [for <duration>] [with …]`, shared by `/book` and "book lunch tomorrow at noon".
struct BookingRequest: Sendable {
    var title: String
    var start: Date
    var minutes: Int?
    var attendees: [String]
    /// False when the request says "quietly", "without notifying".
    var notify: Bool
    /// The dates an all-day booking covers (first and last, inclusive); nil for a timed one.
    var allDay: ClosedRange<LocalDate>? = nil

    /// What the user asked for: an all-day booking or a timed one.
    func intent(title: String) -> Intent {
        if let allDay { return .bookAllDay(title: title, days: allDay, attendees: attendees, notify: notify) }
        return .book(title: title, start: start, minutes: minutes, attendees: attendees, notify: notify)
    }

    /// The title is the leading words before the longest trailing phrase that reads as a time; that
    /// phrase must name an instant (a day and time, a bare time, `tonight`) that is not in the past.
    static func read(_ slice: ArraySlice<PhraseToken>, in text: String,
                     parser: TimeExpressionParser) -> Result<BookingRequest, PhraseProblem> {
        var tokens = Array(slice)
        let attendees: [String]
        switch Attendees.extract(from: &tokens, in: text) {
        case .success(let found): attendees = found
        case .failure(let problem): return .failure(problem)
        }
        // "all-day", "all day", "whole day": the event covers whole dates, so no time is asked for.
        let allDay = AllDayClause.extract(from: &tokens)
        let minutes = DurationClause.extract(from: &tokens)
        let notify = NotifyClause.extract(from: &tokens) ?? true
        // "Sync tomorrow 3pm with Sam": a trailing `with` and names (not addresses) belong to the title.
        var trailer: ArraySlice<PhraseToken> = []
        if let with = tokens.lastIndex(where: { $0.word == "with" }), with > 1,
           tokens[(with + 1)...].contains(where: { !TimeGrammar.mayBeTimeWord($0.word) }),
           !tokens[(with + 1)...].contains(where: { TimeGrammar.namesTime($0.word) }) {
            trailer = tokens[with...]
            tokens.removeSubrange(with...)
        }
        if allDay, let range = AllDayClause.dateRange(tokens, parser: parser) {
            guard range.days.lowerBound >= LocalDate(parser.context.now, in: parser.clock.zone) else {
                return .failure(PhraseProblem("\(ScheduleFormatter.dayWords(range.days.lowerBound)) is already past, "
                                              + "so nothing was booked.", definite: true))
            }
            return .success(BookingRequest(title: Phrase.original(text, tokens[..<range.titleEnd] + trailer),
                                           start: range.days.lowerBound.startOfDay(in: parser.clock.zone), minutes: nil,
                                           attendees: attendees, notify: notify, allDay: range.days))
        }
        let lastPlainWord = tokens.lastIndex { !TimeGrammar.mayBeTimeWord($0.word) }
        let lowest = max(1, (lastPlainWord ?? 0) + 1)
        guard lowest < tokens.count else {
            return .failure(PhraseProblem(tokens.isEmpty ? "What should I book, and when?"
                                          : "/book needs a day and time."))
        }
        for start in lowest..<tokens.count {
            guard let resolved = parser.resolve(tokens[start...]) else { continue }
            // "a table at Luigi's for tomorrow 8pm": the `for` belongs to the time, not the title.
            var titleTokens = tokens[..<start]
            if titleTokens.count > 1, titleTokens.last?.word == "for" { titleTokens = titleTokens.dropLast() }
            if parser.resolve(titleTokens) != nil {
                return .failure(PhraseProblem("/book needs a title before the time."))
            }
            if allDay {
                let span = parser.clock.wholeDays(covering: resolved.timeRef)
                let first = LocalClock.localDate(parser.clock.local(span.start).day)
                let last = LocalClock.localDate(parser.clock.local(span.end.addingTimeInterval(-1)).day)
                guard first >= LocalDate(parser.context.now, in: parser.clock.zone) else {
                    return .failure(PhraseProblem("\(ScheduleFormatter.dayWords(first)) is already past, so nothing was booked.",
                                                  definite: true))
                }
                return .success(BookingRequest(title: Phrase.original(text, titleTokens + trailer),
                                               start: first.startOfDay(in: parser.clock.zone), minutes: nil,
                                               attendees: attendees, notify: notify, allDay: first...last))
            }
            guard let instant = resolved.instant else {
                // Understood as a day: ask for the one thing missing, naming the day as it was read.
                let when = Phrase.original(text, tokens[start...])
                let title = Phrase.original(text, titleTokens)
                let day = LocalClock.localDate(parser.clock.local(parser.clock.wholeDays(covering: resolved.timeRef).start).day)
                return .failure(PhraseProblem("What time on \(day.weekday.shortName) \(day.day) \(ScheduleFormatter.monthNames[day.month - 1]) "
                                              + "(\"\(when)\") should \"\(title)\" start? e.g. book \(title) \(when) 10:00",
                                              definite: true))
            }
            guard instant >= parser.context.now else {
                return .failure(PhraseProblem("\(parser.describe(instant)) is already past."))
            }
            return .success(BookingRequest(title: Phrase.original(text, titleTokens + trailer), start: instant,
                                           minutes: minutes, attendees: attendees, notify: notify))
        }
        return .failure(PhraseProblem("/book needs a day and time."))
    }
}

extension TimeExpressionParser {
    /// `2026-11-20 15:00` in the parser's zone, for messages.
    func describe(_ instant: Date) -> String {
        let (day, minute) = clock.local(instant)
        return "\(LocalClock.localDate(day)) \(TimeOfDay(minutes: minute).hhmm)"
    }
}
