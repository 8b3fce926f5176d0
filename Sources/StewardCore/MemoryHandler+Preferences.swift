import Foundation

/// Preferences that act (issue 16 item 4): a remembered preference that one of the settings can carry
/// (working hours, workdays, buffer) is offered as that setting's change card, beside the stored fact.
/// Only a handful of fixed shapes are read; anything else stays a fact the planner sees.
enum PreferenceSetting {
    /// Whether a free-text message states a preference (and so is stored without "remember that"):
    /// "I prefer meetings after 10", "never book on Fridays", "no meetings before 10",
    /// "my working hours are 9-17", "keep 15 minutes between meetings", "call me Ada".
    static func isPreference(_ words: [String]) -> Bool {
        guard words.count >= 3 else { return false }
        let start = words.prefix(4).joined(separator: " ")
        let openers = ["i prefer ", "call me ", "please call me ", "my working hours ", "my work hours ",
                       "my workdays are ", "my working days are ", "never book ", "dont book ", "do not book ",
                       "never schedule ", "dont schedule ", "i dont work on ", "i do not work on "]
        if openers.contains(where: { (start + " ").hasPrefix($0) }) { return true }
        if words[0] == "no", words[1].hasPrefix("meeting"), ["on", "before", "after"].contains(words[2]) { return true }
        // "keep 15 minutes between meetings", "leave 10 min between meetings".
        if ["keep", "leave"].contains(words[0]), words.contains("between"),
           words.contains(where: { $0.hasPrefix("meeting") }) { return true }
        return false
    }

    /// The setting change `text` asks for, when it maps to one and would change `settings`.
    static func proposal(for text: String, settings: UserSettings) -> ProposedSetting? {
        let words = Phrase.tokens(String(text.prefix(500))).map(\.word)
        let candidates = [hours(words, settings: settings), workdays(words, settings: settings), buffer(words)]
        for case let proposal? in candidates {
            var changed = settings
            guard (try? changed.apply(key: proposal.key, value: proposal.value)) != nil,
                  !changed.changedLines(since: settings).new.isEmpty else { continue }
            return proposal
        }
        return nil
    }

    private static let negations: Set<String> = ["no", "not", "never", "dont", "nothing", "avoid"]

    /// "my working hours are 9-17", "I work from 9 to 5" → hours as said; "I prefer meetings after 10" →
    /// hours from 10 to today's end; "no meetings after 4pm" → today's start to 16:00.
    private static func hours(_ words: [String], settings: UserSettings) -> ProposedSetting? {
        let joined = words.joined(separator: " ")
        if joined.hasPrefix("my working hours") || joined.hasPrefix("my work hours") || joined.hasPrefix("i work from") {
            guard let first = words.firstIndex(where: { $0.first?.isNumber == true }) else { return nil }
            return ProposedSetting(key: "hours", value: words[first...].joined(separator: " "))
        }
        guard words.contains(where: { $0.hasPrefix("meeting") }) else { return nil }
        let negated = words.contains(where: negations.contains)
        for (index, word) in words.enumerated() where word == "after" || word == "before" {
            guard let time = timeOfDay(words, from: index + 1) else { continue }
            // "after 10" (or "no meetings before 10") moves the start; "before 16" (or "not after 16") the end.
            let movesStart = (word == "after") != negated
            let window = settings.workingHours
            let value = movesStart ? "\(time.hhmm)-\(window.end.minutes == 24 * 60 ? "24:00" : window.end.hhmm)"
                : "\(window.start.hhmm)-\(time.hhmm)"
            return ProposedSetting(key: "hours", value: value)
        }
        return nil
    }

    /// "never book on Fridays", "no meetings on Friday or Monday", "I don't work on Fridays" → the workdays
    /// without those days; "my workdays are mon-thu" → as said.
    private static func workdays(_ words: [String], settings: UserSettings) -> ProposedSetting? {
        let joined = words.joined(separator: " ")
        for opener in ["my workdays are ", "my working days are "] where joined.hasPrefix(opener) {
            return ProposedSetting(key: "workdays", value: String(joined.dropFirst(opener.count)))
        }
        guard words.contains(where: negations.contains), let on = words.firstIndex(of: "on") else { return nil }
        let named = words[(on + 1)...].compactMap { word -> Weekday? in
            let singular = word.count > 4 && word.hasSuffix("s") ? String(word.dropLast()) : word
            return Weekday(name: singular)
        }
        guard !named.isEmpty else { return nil }
        let kept = settings.workdays.subtracting(named)
        guard !kept.isEmpty else { return nil }
        return ProposedSetting(key: "workdays", value: kept.sorted().map { $0.shortName.lowercased() }.joined(separator: ","))
    }

    /// "keep 15 minutes between meetings", "a 10 minute buffer between meetings" → buffer.
    private static func buffer(_ words: [String]) -> ProposedSetting? {
        guard words.contains("between") || words.contains("buffer") else { return nil }
        for (index, word) in words.enumerated() where word.first?.isNumber == true {
            let unit = index + 1 < words.count ? words[index + 1] : ""
            let phrase = word.contains(where: \.isLetter) ? word : word + " " + unit
            if unit.hasPrefix("min") || word.hasSuffix("m") || word.hasSuffix("min"),
               let minutes = DurationParser.minutes(phrase) {
                return ProposedSetting(key: "buffer", value: "\(minutes)m")
            }
        }
        return nil
    }

    /// "10", "10am", "10:30", "4 pm" at `index`.
    private static func timeOfDay(_ words: [String], from index: Int) -> TimeOfDay? {
        guard index < words.count else { return nil }
        if index + 1 < words.count, ["am", "pm"].contains(words[index + 1]),
           let time = TimeExpressionParser.parseTimeOfDay(words[index] + words[index + 1]) {
            return time
        }
        return TimeExpressionParser.parseTimeOfDay(words[index])
    }
}

extension IntentParser {
    /// A stated preference ("I prefer meetings after 10", "never book on Fridays", "call me Ada") is
    /// remembered as said, as if it began with "remember that"; "what do you remember about my dentist"
    /// searches memory.
    func memoryPhrase(_ tokens: ArraySlice<PhraseToken>, _ text: String) -> Intent? {
        let words = tokens.prefix(8).map(\.word)
        if words.count > 5, words[0] == "what", words[1] == "do", words[2] == "you",
           words[3] == "remember" || words[3] == "know", words[4] == "about" {
            let rest = tokens.dropFirst(5)
            if rest.count == 1, rest.first?.word == "me" { return .memory(nil) }
            return .memory(Phrase.original(text, rest))
        }
        guard PreferenceSetting.isPreference(words) else { return nil }
        return .remember(Phrase.original(text, tokens))
    }
}
