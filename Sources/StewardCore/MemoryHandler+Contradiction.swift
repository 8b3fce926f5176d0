import Foundation

/// When a new fact replaces an earlier one, decided without a model so it is predictable and testable.
///
/// The rule: two facts contradict when they say something about the same subject and say it differently.
/// The subject is read off a few fixed shapes of sentence:
/// - "call me Ada", "my name is Ada", "I'm called Ada" → the person's name;
/// - "my working hours are 9-17", "I work 9 to 5" → working hours; "keep 15 minutes between meetings" → buffer;
/// - "I prefer morning meetings" / "I prefer meetings after 10" → the preference about meetings (or
///   about whatever noun the preference ends with: "I prefer tea" and "I prefer coffee" share "prefer");
/// - "<subject> is/are/was <value>" with a subject of at most six words: "my dentist is Dr Brown",
///   "the gate code is 4411" → "my dentist", "the gate code".
/// Failing those, a fact that repeats an earlier one word for word except for a negation ("I like sushi" /
/// "I don't like sushi") contradicts it. Anything else is a new fact beside the others: a missed
/// contradiction costs a stale line in `/memory`; a wrong one would lose a fact, so the rule stays narrow.
enum FactContradiction {
    /// The newest of `earlier` (newest first) that `text` contradicts, if any.
    static func replaced(by text: String, among earlier: [MemoryFact]) -> MemoryFact? {
        let new = Reading(text)
        return earlier.first { old in
            let old = Reading(old.text)
            guard old.normalized != new.normalized else { return false }
            if let subject = new.subject, subject == old.subject { return true }
            return new.subject == nil && old.subject == nil && new.contentWords == old.contentWords
                && new.negated != old.negated && !new.contentWords.isEmpty
        }
    }

    /// True when `text` says exactly what `fact` says (same words, any case and punctuation).
    static func repeats(_ text: String, _ fact: MemoryFact) -> Bool {
        Reading(text).normalized == Reading(fact.text).normalized
    }

    /// A fact's words, its subject when its shape names one, and whether it is negated.
    struct Reading {
        let words: [String]
        var normalized: String { words.joined(separator: " ") }
        var subject: String? { Self.subject(words) }
        var negated: Bool { words.contains { Self.negations.contains($0) } }
        var contentWords: [String] { words.filter { !Self.negations.contains($0) } }

        init(_ text: String) { words = FactScreening.words(String(text.prefix(FactScreening.maximumCharacters))) }

        static let negations: Set<String> = ["not", "dont", "doesnt", "never", "no", "isnt", "arent", "wont", "cant"]
        static let linking: Set<String> = ["is", "are", "was", "were"]

        static func subject(_ words: [String]) -> String? {
            guard let first = words.first else { return nil }
            let text = words.joined(separator: " ")
            if text.hasPrefix("call me ") || text.hasPrefix("please call me ") || text.hasPrefix("my name is ")
                || text.hasPrefix("im called ") || text.hasPrefix("i am called ") {
                return "name"
            }
            if text.hasPrefix("my working hours ") || text.hasPrefix("my work hours ") || text.hasPrefix("i work from ") {
                return "working hours"
            }
            if words.contains("between"), words.contains(where: { $0.hasPrefix("meeting") }),
               words.contains(where: { $0.hasPrefix("minute") || $0 == "min" || $0 == "mins" }) {
                return "buffer"
            }
            if first == "i", words.count > 2, words[1] == "prefer" {
                if words.contains(where: { $0.hasPrefix("meeting") }) { return "prefer meetings" }
                if words.contains(where: { $0.hasPrefix("call") }) { return "prefer calls" }
                return "prefer"
            }
            // "<subject> is <value>": a short subject before the first linking verb, with a value after it.
            if let link = words.firstIndex(where: linking.contains), link > 0, link <= 6, link < words.count - 1,
               !words[..<link].contains(where: negations.contains), first != "i", first != "it", first != "this",
               first != "that", first != "there" {
                return words[..<link].joined(separator: " ")
            }
            return nil
        }
    }
}
