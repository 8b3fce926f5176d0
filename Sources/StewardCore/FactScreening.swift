import Foundation

/// Why a fact reads like an instruction rather than something about the person (issue 16 item 7). A fact
/// drawn from a mail, an invitation or a web page shows these on its card so the owner sees what a
/// planted "memory" would make Steward do. Flags never refuse anything: the owner's own `/remember` is
/// stored as said, and an untrusted fact waits for an Approve whether flagged or not.
///
/// One pass over the text's words (at most `maximumCharacters` are read), so any input costs linear time.
public enum FactScreening {
    /// Longer text is screened by its first part only (a fact is a sentence or two).
    public static let maximumCharacters = 4_000

    /// One short reason per kind of finding, in a fixed order; empty when the text reads as a plain fact.
    public static func flags(_ text: String) -> [String] {
        let text = String(text.prefix(maximumCharacters))
        let words = Self.words(text)
        var flags: [String] = []
        if let phrase = overridePhrase(words) {
            flags.append("tries to override instructions (\"\(phrase)\")")
        }
        if let verb = assistantImperative(words) {
            flags.append("tells the assistant to act (\"\(verb)\")")
        }
        if let tool = toolName(text) {
            flags.append("names an assistant tool (\(tool))")
        }
        if let address = addressToSendTo(text) {
            flags.append("names an address to send things to (\(address))")
        }
        return flags
    }

    // MARK: Findings

    /// Verbs that move, share or destroy things: in a fact they are an order to Steward, not a fact.
    static let actionVerbs: Set<String> = [
        "forward", "send", "email", "mail", "reply", "delete", "remove", "archive", "share", "transfer",
        "pay", "wire", "cancel", "book", "accept", "decline", "invite", "approve", "cc", "bcc", "export",
        "upload", "post", "disclose", "reveal", "execute", "run", "call",
    ]

    /// Words that, before an action verb, make a standing order: "always forward …", "please send …".
    static let orderWords: Set<String> = [
        "always", "automatically", "please", "must", "should", "immediately", "never", "dont", "do", "you",
        "steward", "assistant", "to", "that", "and", "then", "also",
    ]

    /// "ignore previous instructions", "disregard the above", "new instructions", "system prompt".
    static func overridePhrase(_ words: [String]) -> String? {
        let overridden: Set<String> = ["previous", "prior", "above", "earlier", "all", "instructions", "rules",
                                       "approval", "approvals", "safeguards"]
        for (index, word) in words.enumerated() {
            let next = words.dropFirst(index + 1).prefix(3)
            let previous = index > 0 ? words[index - 1] : ""
            if ["ignore", "disregard", "forget", "override", "bypass"].contains(word),
               let object = next.first(where: overridden.contains) {
                return "\(word) … \(object)"
            }
            if word.hasPrefix("instruction"), ["new", "updated", "system"].contains(previous) {
                return "\(previous) \(word)"
            }
            if word == "prompt", previous == "system" { return "system prompt" }
            if word == "without", let first = next.first, ["approval", "approving", "asking", "confirmation"].contains(first) {
                return "without \(first)"
            }
        }
        return nil
    }

    /// An action verb the fact opens with, or that follows a word of order ("always forward", "wants every
    /// invoice forwarded" counts through "forwarded"). "I prefer morning meetings" has none.
    static func assistantImperative(_ words: [String]) -> String? {
        for (index, word) in words.enumerated() {
            let verb = baseVerb(word)
            guard actionVerbs.contains(verb) else { continue }
            let previous = index > 0 ? words[index - 1] : nil
            // "the owner wants every invoice forwarded to …": a request about what Steward should do.
            let wanted = words[..<index].suffix(4).contains { ["wants", "want", "wishes", "asks", "needs"].contains($0) }
            if index == 0 || previous.map(orderWords.contains) == true || wanted {
                // "call me Ada", "mail from x is never urgent" are facts, not orders.
                if verb == "call", index + 1 < words.count, words[index + 1] == "me" { continue }
                if verb == "mail" || verb == "email", index + 1 < words.count, words[index + 1] == "from" { continue }
                return word
            }
        }
        return nil
    }

    /// `mail_send_draft`, `calendar_create_event`, `memory_save`, `settings_update`: names only a tool
    /// caller would write.
    static func toolName(_ text: String) -> String? {
        let prefixes = ["mail_", "calendar_", "memory_", "settings_", "gmail_", "inbox_", "plan_", "tool_"]
        var current = ""
        var found: String?
        func check() {
            let lowered = current.lowercased()
            if found == nil, prefixes.contains(where: { lowered.hasPrefix($0) && lowered.count > $0.count }) {
                found = current
            }
            current = ""
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                if current.unicodeScalars.count < 64 { current.unicodeScalars.append(scalar) }
            } else {
                check()
            }
        }
        check()
        return found
    }

    /// An e-mail address or a link: somewhere Steward could be told to send the person's things.
    static func addressToSendTo(_ text: String) -> String? {
        for piece in text.split(whereSeparator: { $0.isWhitespace || "<>()[]\"',;".contains($0) }).prefix(2_000) {
            let candidate = piece.trimmingCharacters(in: CharacterSet(charactersIn: ".:!?"))
            let lowered = candidate.lowercased()
            if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("www.") {
                return String(candidate.prefix(80))
            }
            if let at = candidate.firstIndex(of: "@"), at != candidate.startIndex,
               candidate[candidate.index(after: at)...].contains("."),
               !candidate[candidate.index(after: at)...].contains("@") {
                return String(candidate.prefix(80))
            }
        }
        return nil
    }

    // MARK: Words

    /// Lowercased words of letters and digits ("don't" → "dont"), at most 1,000 of them.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if current.count < 40 { current.append(character) }
            } else if character == "'" || character == "’" {
                continue
            } else if !current.isEmpty {
                words.append(current)
                current = ""
                if words.count >= 1_000 { return words }
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// "forwarded", "forwarding", "forwards" → "forward"; "sent" → "send".
    static func baseVerb(_ word: String) -> String {
        if word == "sent" { return "send" }
        if word == "paid" { return "pay" }
        for suffix in ["ing", "ed", "s"] where word.hasSuffix(suffix) && word.count > suffix.count + 2 {
            let stem = String(word.dropLast(suffix.count))
            if actionVerbs.contains(stem) { return stem }
            // "deleted" → "delet" + "e"; "shared" → "share".
            if actionVerbs.contains(stem + "e") { return stem + "e" }
        }
        return word
    }
}
