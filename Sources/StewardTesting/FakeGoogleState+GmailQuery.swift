import Foundation

/// The common part of Gmail's search syntax ("Search operators you can use with Gmail"): terms are
/// ANDed; `-term` negates; `is:unread|read|starred|important`, `in:inbox|spam|trash|sent|draft|anywhere`,
/// `label:`, `category:`, `from:`, `to:`, `cc:`, `subject:`, `newer_than:` / `older_than:` (`d`, `m`, `y`),
/// `after:` / `before:` (`yyyy/mm/dd` or epoch seconds), `rfc822msgid:`, and plain words or quoted
/// phrases (subject, sender and plain-text body). Anything else (`OR`, braces, parentheses, other
/// operators) is refused, so a test never passes on a query the fake silently misread.
struct GmailQuery {
    struct Unsupported: Error, CustomStringConvertible {
        var term: String
        var description: String { "The fake Gmail does not understand the query term \(term)" }
    }

    private struct Term {
        var negated: Bool
        var test: (GmailMailbox.Message, [String: String]) -> Bool
    }

    private var terms: [Term] = []
    private(set) var mentionsSpamOrTrash = false

    init(_ text: String, now: Date) throws {
        for token in Self.tokens(text) {
            var word = token
            let negated = word.hasPrefix("-") && word.count > 1
            if negated { word.removeFirst() }
            if word == "OR" || word == "AND" || word.hasPrefix("(") || word.hasPrefix("{") || word.hasSuffix(")") || word.hasSuffix("}") {
                throw Unsupported(term: token)
            }
            guard let colon = word.firstIndex(of: ":"), !word.hasPrefix("\"") else {
                let phrase = word.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
                terms.append(Term(negated: negated) { message, _ in
                    [message.header("Subject"), message.header("From"), message.text].compactMap { $0?.lowercased() }
                        .contains { $0.contains(phrase) }
                })
                continue
            }
            let name = word[..<colon].lowercased()
            let value = String(word[word.index(after: colon)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
            if name == "in", value == "spam" || value == "trash" || value == "anywhere" { mentionsSpamOrTrash = true }
            terms.append(Term(negated: negated, test: try Self.operatorTest(name, value, now: now, original: token)))
        }
    }

    func matches(_ message: GmailMailbox.Message, userLabels: [String: String]) -> Bool {
        terms.allSatisfy { $0.test(message, userLabels) != $0.negated }
    }

    private static func operatorTest(_ name: String, _ value: String, now: Date,
                                     original: String) throws -> (GmailMailbox.Message, [String: String]) -> Bool {
        func has(_ label: String) -> (GmailMailbox.Message, [String: String]) -> Bool { { message, _ in message.labelIDs.contains(label) } }
        func header(_ field: String) -> (GmailMailbox.Message, [String: String]) -> Bool {
            { message, _ in (message.header(field) ?? "").lowercased().contains(value) }
        }
        switch (name, value) {
        case ("is", "unread"): return has("UNREAD")
        case ("is", "read"): return { message, _ in !message.labelIDs.contains("UNREAD") }
        case ("is", "starred"): return has("STARRED")
        case ("is", "important"): return has("IMPORTANT")
        case ("in", "inbox"), ("in", "spam"), ("in", "trash"), ("in", "sent"), ("in", "draft"):
            return has(value.uppercased())
        case ("in", "anywhere"): return { _, _ in true }
        case ("category", _):
            let categories = ["primary": "CATEGORY_PERSONAL", "personal": "CATEGORY_PERSONAL", "social": "CATEGORY_SOCIAL",
                              "promotions": "CATEGORY_PROMOTIONS", "updates": "CATEGORY_UPDATES", "forums": "CATEGORY_FORUMS"]
            guard let label = categories[value] else { throw Unsupported(term: original) }
            return has(label)
        case ("label", _):
            return { message, userLabels in
                message.labelIDs.contains { id in
                    let names = [id.lowercased(), userLabels[id].map(normalizedLabel) ?? ""]
                    return names.contains(normalizedLabel(value))
                }
            }
        case ("from", _): return header("From")
        case ("to", _): return header("To")
        case ("cc", _): return header("Cc")
        case ("subject", _): return header("Subject")
        case ("rfc822msgid", _):
            return { message, _ in
                (message.header("Message-ID") ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                    == value.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
            }
        case ("newer_than", _), ("older_than", _):
            guard let span = relativeSpan(value) else { throw Unsupported(term: original) }
            let limit = now.addingTimeInterval(-span)
            return name == "newer_than" ? { message, _ in message.internalDate > limit } : { message, _ in message.internalDate < limit }
        case ("after", _), ("before", _):
            guard let date = absoluteDate(value) else { throw Unsupported(term: original) }
            return name == "after" ? { message, _ in message.internalDate >= date } : { message, _ in message.internalDate < date }
        default:
            throw Unsupported(term: original)
        }
    }

    /// Gmail treats spaces, `/` and `-` in label names alike.
    private static func normalizedLabel(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "/", with: "-")
    }

    private static func relativeSpan(_ value: String) -> TimeInterval? {
        guard let unit = value.last, let count = Double(value.dropLast()) else { return nil }
        switch unit {
        case "d": return count * 86_400
        case "m": return count * 30 * 86_400
        case "y": return count * 365 * 86_400
        default: return nil
        }
    }

    /// `2026/11/21` (midnight in the fake's zone, UTC) or epoch seconds.
    private static func absoluteDate(_ value: String) -> Date? {
        if let seconds = TimeInterval(value) { return Date(timeIntervalSince1970: seconds) }
        let parts = value.split(whereSeparator: { $0 == "/" || $0 == "-" }).compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        components.timeZone = TimeZone(identifier: "UTC")
        return FakeGoogleTime.calendar(TimeZone(identifier: "UTC")!).date(from: components)
    }

    /// Whitespace-separated, keeping `"quoted phrases"` (also after an operator) together.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character.isWhitespace && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
