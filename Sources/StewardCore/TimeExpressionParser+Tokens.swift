import Foundation

/// One word of a user's message, as the parsers compare it.
struct PhraseToken: Sendable {
    /// Lower-cased, apostrophes removed (`what's` → `whats`), edge punctuation trimmed (`5pm.` → `5pm`).
    var word: String
    /// Where the trimmed word sits in the original text, so titles, facts and ids keep their case.
    var range: Range<String.Index>
    /// Position among the message's tokens; tells callers which kept tokens were adjacent in the text.
    var position: Int
}

enum Phrase {
    /// Splits on white space and sentence punctuation in one pass over the scalars.
    /// Kept inside a token: `:` `.` `-` `/` `@` (times, dates, durations, addresses).
    static func tokens(_ text: String) -> [PhraseToken] {
        var tokens: [PhraseToken] = []
        tokens.reserveCapacity(12)
        let scalars = text.unicodeScalars
        var start: String.Index?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if isSeparator(scalars[index]) {
                if let begin = start { append(text, begin..<index, to: &tokens) }
                start = nil
            } else if start == nil {
                start = index
            }
            scalars.formIndex(after: &index)
        }
        if let begin = start { append(text, begin..<scalars.endIndex, to: &tokens) }
        return tokens
    }

    /// The original text of the tokens, case and inner punctuation as typed; where tokens were removed
    /// from between them (a `with a@x.com` clause), the pieces are joined by one space.
    static func original(_ text: String, _ tokens: some Collection<PhraseToken>) -> String {
        var result = ""
        var runStart: PhraseToken?
        var previous: PhraseToken?
        for token in tokens {
            if let last = previous, token.position != last.position + 1, let first = runStart {
                if !result.isEmpty { result += " " }
                result += text[first.range.lowerBound..<last.range.upperBound]
                runStart = nil
            }
            if runStart == nil { runStart = token }
            previous = token
        }
        if let first = runStart, let last = previous {
            if !result.isEmpty { result += " " }
            result += text[first.range.lowerBound..<last.range.upperBound]
        }
        return result
    }

    /// True when the tokens starting at `index` spell `words`.
    static func matches(_ tokens: ArraySlice<PhraseToken>, at index: Int, _ words: [String]) -> Bool {
        guard index >= tokens.startIndex, index + words.count <= tokens.endIndex else { return false }
        for (offset, word) in words.enumerated() where tokens[index + offset].word != word { return false }
        return true
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            switch scalar {
            case " ", "\t", "\n", "\r", ",", ";", "!", "?", "(", ")", "[", "]", "\"": return true
            default: return false
            }
        }
        switch scalar {
        case "\u{201C}", "\u{201D}", "\u{2014}", "\u{2013}", "\u{2026}", "\u{00A0}": return true
        default: return scalar.properties.isWhitespace
        }
    }

    private static func isEdgePunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", ":", "'", "\u{2018}", "\u{2019}", "`", "*", "_", "~": return true
        default: return false
        }
    }

    private static func append(_ text: String, _ range: Range<String.Index>, to tokens: inout [PhraseToken]) {
        let scalars = text.unicodeScalars
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isEdgePunctuation(scalars[lower]) { lower = scalars.index(after: lower) }
        while upper > lower, isEdgePunctuation(scalars[scalars.index(before: upper)]) {
            upper = scalars.index(before: upper)
        }
        guard lower < upper else { return }
        var word = lowercasedWord(text.utf8[lower..<upper]) ?? {
            // Rare non-ASCII words take the general path.
            var lowered = String(scalars[lower..<upper]).lowercased()
            lowered.unicodeScalars.removeAll { $0 == "'" || $0 == "\u{2019}" }
            return lowered
        }()
        // `a.m.` and `p.m.` lose their final dot to trimming; spell them the way the grammar expects.
        if word == "a.m" { word = "am" } else if word == "p.m" { word = "pm" }
        tokens.append(PhraseToken(word: word, range: lower..<upper, position: tokens.count))
    }

    /// ASCII fast path: lower-cases and drops apostrophes in one copy; nil when a byte is not ASCII.
    private static func lowercasedWord(_ bytes: Substring.UTF8View) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var count = 0
            for byte in bytes where byte != UInt8(ascii: "'") {
                buffer[count] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                count += 1
            }
            return count
        }
    }
}
