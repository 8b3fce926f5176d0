import Foundation

/// A piece of mail text prepared for matching: lower-cased words (letters and digits in any script) plus
/// the raw lower-cased text for scripts written without spaces (Japanese, Chinese).
struct MailText {
    let words: [Substring]
    /// For a quick "can this phrase be here at all" before scanning.
    let wordSet: Set<Substring>
    let lowered: String
    let hasQuestionMark: Bool
    let hasNonASCII: Bool

    init(_ text: String) {
        lowered = text.lowercased()
        words = Self.wordSlices(lowered)
        wordSet = Set(words)
        hasNonASCII = lowered.utf8.contains { $0 >= 0x80 }
        // "？" is the full-width question mark of Japanese and Chinese text.
        hasQuestionMark = lowered.utf8.contains(UInt8(ascii: "?")) || (hasNonASCII && lowered.unicodeScalars.contains("？"))
    }

    /// The opening of a body: at most `MailTriage.bodyPrefixLength` characters, quoted lines (`>`) left out.
    static func opening(of body: String) -> String {
        var result = ""
        var taken = 0
        // Quoted history can be long; a bounded window keeps triage cost independent of the body's size.
        for line in body.prefix(MailTriage.bodyPrefixLength * 4).split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix(">") { continue }
            // A reply's history starts with "On … wrote:" — the opening is above it.
            if trimmed.hasPrefix("On ") && trimmed.hasSuffix("wrote:") { break }
            let room = MailTriage.bodyPrefixLength - taken
            if room <= 0 { break }
            let piece = trimmed.prefix(room)
            result += piece
            result += "\n"
            taken += piece.count + 1
        }
        return result
    }

    static func words(_ lowered: String) -> [String] {
        wordSlices(lowered).map(String.init)
    }

    /// Runs of letters and digits, as slices of `lowered` (no copies).
    static func wordSlices(_ lowered: String) -> [Substring] {
        var words: [Substring] = []
        let scalars = lowered.unicodeScalars
        var start: String.UnicodeScalarView.Index?
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let value = scalar.value
            let isWordScalar = value < 0x80
                ? (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                : (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
            if isWordScalar {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.append(Substring(scalars[wordStart..<index]))
                start = nil
            }
            scalars.formIndex(after: &index)
        }
        if let wordStart = start { words.append(Substring(scalars[wordStart...])) }
        return words
    }

    func contains(phrase: [String]) -> Bool {
        guard let first = phrase.first, words.count >= phrase.count else { return false }
        // One-word keywords in a script without spaces match inside the run of characters.
        if phrase.count == 1 && hasNonASCII && !first.unicodeScalars.allSatisfy(\.isASCII) && containsText(first) {
            return true
        }
        guard wordSet.contains(Substring(first)) else { return false }
        if phrase.count == 1 { return true }
        for start in 0...(words.count - phrase.count) where words[start] == first {
            if words[start..<(start + phrase.count)].elementsEqual(phrase, by: { $0 == $1 }) { return true }
        }
        return false
    }

    /// A plain byte search: Foundation's `contains` goes through CFString and costs more than all the rules.
    func containsText(_ needle: String) -> Bool { Self.contains(lowered, needle) }

    static func contains(_ text: String, _ needle: String) -> Bool {
        let haystack = Array(text.utf8), pattern = Array(needle.utf8)
        guard let first = pattern.first, haystack.count >= pattern.count else { return pattern.isEmpty }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == first {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }

    /// Deadline and urgency words anywhere they appear.
    static let deadlinePhrases: [[String]] = [
        ["urgent"], ["urgently"], ["asap"], ["eod"], ["cob"], ["end", "of", "day"], ["end", "of", "business"],
        ["by", "tomorrow"], ["by", "tonight"], ["by", "today"], ["due", "today"], ["until", "today"],
        ["today", "by"], ["as", "soon", "as", "possible"], ["immediately"], ["time", "sensitive"],
        // A few other languages the owner may receive mail in.
        ["dringend"], ["bis", "morgen"], ["urgente"], ["срочно"], ["сегодня"],
    ]
    /// Too common in ordinary openings ("hope you're well today") to count outside the subject.
    static let subjectOnlyPhrases: [[String]] = [["today"], ["tonight"], ["heute"], ["aujourd", "hui"]]
    /// Scripts without spaces between words: matched as substrings.
    static let deadlineSubstrings = ["至急", "緊急", "本日中", "今日中"]

    /// The first deadline phrase found, as the owner would read it ("EOD", "by tomorrow").
    func deadlineWord(inSubject: Bool) -> String? {
        for phrase in Self.deadlinePhrases where contains(phrase: phrase) {
            return phrase.count == 1 && phrase[0].count <= 4 && phrase[0].allSatisfy(\.isASCII)
                ? phrase[0].uppercased() : phrase.joined(separator: " ")
        }
        if inSubject {
            for phrase in Self.subjectOnlyPhrases where contains(phrase: phrase) { return phrase.joined(separator: " ") }
        }
        if hasNonASCII {
            for word in Self.deadlineSubstrings where containsText(word) { return word }
        }
        return nil
    }

    static let requestPhrases: [[String]] = [
        ["can", "you"], ["could", "you"], ["would", "you"], ["will", "you"], ["let", "me", "know"],
        ["please", "confirm"], ["please", "review"], ["please", "reply"], ["please", "advise"],
        ["your", "thoughts"], ["can", "we"], ["are", "you", "free"], ["do", "you", "have"],
    ]

    /// A question mark or a request phrase: the sender expects an answer.
    var asksSomething: Bool {
        hasQuestionMark || Self.requestPhrases.contains { contains(phrase: $0) }
    }
}
