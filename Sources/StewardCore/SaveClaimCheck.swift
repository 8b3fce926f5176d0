import Foundation

/// Models like to say "I'll remember that" when nothing was stored. Steward keeps its answers honest: an
/// answer that claims a save in a turn where no fact was saved gets a correction in the same answer.
/// Pure and bounded: one pass over the lowercased answer per phrase.
public enum SaveClaimCheck {
    /// Phrases that claim something was stored, in their positive form ("I haven't saved" has none).
    static let claims = [
        "i've saved", "i have saved", "i saved", "saved to memory", "saved to your memory", "saved that", "saved this",
        "saved it", "i'll remember", "i will remember", "i'll keep that in mind", "i will keep that in mind",
        "noted that", "i've noted", "i have noted", "noted.", "noted!", "noted:", "added to memory",
        "added to your memory", "added it to memory", "added that to memory", "i've remembered", "remembered that",
        "i've stored", "i have stored", "stored that", "stored it", "committed to memory", "made a note",
        "i'll make a note", "i've made a note", "in my memory", "to my memory",
    ]
    /// Words that, just before a phrase, turn it into a denial ("nothing was saved to memory").
    static let negations: Set<Substring> = ["not", "nothing", "never", "no", "cannot", "unable", "nor"]

    /// The line added to an answer that claims a save that did not happen.
    public static let correction = "Correction: nothing was saved to memory. Send /remember <fact> to store it."
    /// The same when a fact from someone else's text waits on a card: it is not saved before the Approve.
    public static let pendingCorrection = "Correction: nothing was saved to memory yet; it waits for your Approve on the card."

    /// True when `answer` says something was saved, remembered or noted.
    public static func claimsSave(_ answer: String) -> Bool {
        let text = answer.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        for phrase in claims {
            var searchStart = text.startIndex
            while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
                searchStart = range.upperBound
                // Whole words only: "saved items" is not "saved it".
                if range.upperBound < text.endIndex, text[range.upperBound].isLetter { continue }
                if range.lowerBound > text.startIndex, text[text.index(before: range.lowerBound)].isLetter { continue }
                let start = text.index(range.lowerBound, offsetBy: -24, limitedBy: text.startIndex) ?? text.startIndex
                let sentence = text[start..<range.lowerBound]
                    .split(omittingEmptySubsequences: false, whereSeparator: { ".!?\n".contains($0) }).last ?? ""
                let words = sentence.split(whereSeparator: { !$0.isLetter && $0 != "'" })
                if !words.contains(where: { negations.contains($0) || $0.hasSuffix("n't") }) { return true }
            }
        }
        return false
    }

    /// `answer` as it should be sent: with the correction appended when it claims a save and `saved` is
    /// false (`pending`: a fact waits for an Approve instead). Unchanged otherwise.
    public static func checked(_ answer: String, saved: Bool, pending: Bool = false) -> String {
        guard !saved, claimsSave(answer) else { return answer }
        return answer + "\n\n" + (pending ? pendingCorrection : correction)
    }
}
