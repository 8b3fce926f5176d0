import Foundation
import StewardCore

/// Turns Steward's plain-text messages into `m.room.message` contents. Guarantees:
/// - Steward speaks in `m.notice` (bots don't answer notices, so two bots never loop), with a plain `body`
///   and an HTML `formatted_body` in which *every* piece of text is escaped: nothing a calendar entry or an
///   email says can become markup. Only the title is wrapped, in `<b>`.
/// - A long message is cut at line ends into chunks of at most `maxLength` characters.
/// - A card's choices become reactions: the card says which emoji does what, and the channel seeds them.
public struct MatrixRenderer: Sendable {
    /// Far below Matrix's 64 KiB event limit, also after escaping.
    public static let defaultMaxLength = 12_000
    public static let approve = "✅"
    public static let reject = "❌"
    /// For choices beyond approve and reject, in the order the card lists them.
    public static let extraEmoji = ["🔕", "✏️", "📥", "🔇", "💤", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"]
    /// Reactions people use for yes and no that count like ✅ and ❌.
    public static let aliases: [String: String] = ["👍": approve, "✔️": approve, "☑️": approve, "👎": reject, "✖️": reject]

    public var maxLength: Int

    public init(maxLength: Int = MatrixRenderer.defaultMaxLength) {
        self.maxLength = max(64, maxLength)
    }

    /// One choice of a card as a reaction.
    public struct Choice: Codable, Sendable, Equatable {
        public var emoji: String
        public var title: String
        public var token: String
    }

    /// The emoji for each button: the first approving choice ✅, rejecting ❌, any others from `extraEmoji`.
    public func choices(for buttons: [Button]) -> [Choice] {
        var extras = Self.extraEmoji.makeIterator()
        var approveTaken = false
        return buttons.compactMap { button in
            let parsed = ButtonToken(parsing: button.token)
            let emoji: String?
            if parsed?.approve == false {
                emoji = Self.reject
            } else if !approveTaken {
                approveTaken = true
                emoji = Self.approve
            } else {
                emoji = extras.next()
            }
            return emoji.map { Choice(emoji: $0, title: button.title, token: button.token) }
        }
    }

    /// The line a card ends with: how to decide by reacting, or by typing.
    public func decisionLine(for choices: [Choice]) -> String {
        let id = choices.lazy.compactMap { ButtonToken(parsing: $0.token) }.first { $0.approve }?.approvalID
            ?? choices.lazy.compactMap { ButtonToken(parsing: $0.token) }.first?.approvalID
        let typed = id.map { " (or reply !approve \($0))" } ?? ""
        if choices.map(\.emoji) == [Self.approve, Self.reject] {
            return "React \(Self.approve) to approve, \(Self.reject) to reject\(typed)"
        }
        return "React " + choices.map { "\($0.emoji) \($0.title)" }.joined(separator: ", ") + typed
    }

    /// The reaction key as one of a card's emoji: 👍 counts as ✅, skin tones and variation selectors aside.
    public static func canonical(_ key: String) -> String {
        if let alias = aliases[key] { return alias }
        let stripped = String(String.UnicodeScalarView(key.unicodeScalars.filter {
            !(0x1F3FB...0x1F3FF).contains($0.value) && $0.value != 0xFE0F
        }))
        for (alias, target) in aliases where alias.unicodeScalars.first == stripped.unicodeScalars.first && stripped.unicodeScalars.count == 1 {
            return target
        }
        if stripped == "✅" || stripped == "❌" { return stripped }
        return key
    }

    /// The plain-text chunks of `message` (title first, the decision line last), each at most `maxLength`.
    func plainChunks(of message: OutboundMessage, decision: String?) -> [(text: String, hasTitle: Bool)] {
        // `split`, not Foundation's `components(separatedBy:)` (a search with compare options per line).
        var lines: [Substring] = []
        // On scalars: "\r\n" is one Character, and a CRLF text must still be cut at its line ends.
        if !message.text.isEmpty {
            lines = message.text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Substring.init)
        }
        if let decision { lines += ["", Substring(decision)] }
        var chunks: [(text: String, hasTitle: Bool)] = []
        var current = ""
        // Characters in `current`, kept as it grows instead of counted again for every line (quadratic in a
        // long message). A sum of the parts' counts: never less than the joined text's ("\r" + "\n" is one
        // Character), so a chunk never exceeds `maxLength`.
        var currentCount = 0
        var hasTitle = false
        if let title = message.title, !title.isBlank {
            current = title
            currentCount = title.count
            hasTitle = true
        }
        for line in lines {
            for piece in Self.cut(line, limit: maxLength) {
                let pieceCount = piece.count
                let separate = !(current.isEmpty && !hasTitle)
                let joinedCount = separate ? currentCount + 1 + pieceCount : pieceCount
                if joinedCount > maxLength, !current.isEmpty {
                    chunks.append((current, hasTitle))
                    current = String(piece)
                    currentCount = pieceCount
                    hasTitle = false
                } else {
                    if separate { current += "\n" }
                    current += piece
                    currentCount = joinedCount
                }
            }
        }
        if !current.isBlank { chunks.append((current, hasTitle)) }
        return chunks
    }

    private static func cut(_ line: Substring, limit: Int) -> [Substring] {
        // utf8.count bounds the Character count from above, and is O(1) for native strings.
        guard line.utf8.count > limit, line.count > limit else { return [line] }
        var pieces: [Substring] = []
        var rest = line
        while !rest.isEmpty {
            pieces.append(rest.prefix(limit))
            rest = rest.dropFirst(limit)
        }
        return pieces
    }

    /// `text` as escaped HTML; the first line bold when it is the title.
    static func html(_ text: String, boldFirstLine: Bool) -> String {
        // Escaping leaves line ends alone: the whole text is escaped at once, then one pass over its bytes
        // turns each line end into <br> (and closes the bold title at the first).
        let escaped = text.escapingMarkupCharacters.utf8
        var html: [UInt8] = []
        html.reserveCapacity(escaped.count + 64)
        var inTitle = boldFirstLine
        if inTitle { html.append(contentsOf: "<b>".utf8) }
        for byte in escaped {
            guard byte == UInt8(ascii: "\n") else {
                html.append(byte)
                continue
            }
            if inTitle {
                html.append(contentsOf: "</b>".utf8)
                inTitle = false
            }
            html.append(contentsOf: "<br>".utf8)
        }
        if inTitle { html.append(contentsOf: "</b>".utf8) }
        return String(decoding: html, as: UTF8.self)
    }

    /// The `m.notice` contents for `message`, in order; cards end with their decision line.
    public func contents(for message: OutboundMessage) throws -> [Data] {
        let choices = choices(for: message.buttons)
        let decision = choices.isEmpty ? nil : decisionLine(for: choices)
        let chunks = plainChunks(of: message, decision: decision)
        guard !chunks.isEmpty else { throw DeliveryFailure.rejected("the message has no text") }
        return chunks.map { chunk in
            Notice(body: chunk.text, formattedBody: Self.html(chunk.text, boldFirstLine: chunk.hasTitle)).json
        }
    }

    /// An `m.replace` edit of `eventID` showing `message` (only its first chunk: an edit replaces one event).
    public func editContent(of eventID: String, message: OutboundMessage) throws -> Data {
        let choices = choices(for: message.buttons)
        let chunks = plainChunks(of: message, decision: choices.isEmpty ? nil : decisionLine(for: choices))
        guard let first = chunks.first else { throw DeliveryFailure.rejected("the message has no text") }
        let text = chunks.count > 1 ? first.text + "\n…" : first.text
        let html = Self.html(text, boldFirstLine: first.hasTitle)
        return try Self.json(Edit(body: "* " + text, formattedBody: "* " + html,
                                  newContent: Notice(body: text, formattedBody: html),
                                  relatesTo: Relation(relType: "m.replace", eventID: eventID)))
    }

    /// An `m.reaction` annotating `eventID` with `key`.
    public static func reaction(to eventID: String, key: String) throws -> Data {
        try json(Reaction(relatesTo: Relation(relType: "m.annotation", eventID: eventID, key: key)))
    }

    /// A plain-text notice (no HTML), for what Steward says on its own (the encrypted-room notice).
    public static func plainNotice(_ text: String) throws -> Data {
        try json(PlainNotice(body: text))
    }

    /// Encodable structs through `JSONEncoder`, not dictionaries through `JSONSerialization` (which bridges
    /// every value to an NSObject first: about a third of the renderer's time on a long answer).
    private static func json(_ content: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        do { return try encoder.encode(content) } catch {
            throw DeliveryFailure.rejected("could not encode a Matrix event: \(error)")
        }
    }
}
