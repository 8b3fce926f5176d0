import Foundation
import StewardCore

/// Turns a room's timeline event into Steward's `InboundEvent`, or nil when it is not for Steward.
///
/// Rules (pure, no I/O):
/// - The event id is `matrix:event:<event_id>`, the same however often `/sync` delivers it, so duplicates drop.
/// - Steward's own events, notices (other bots speak in notices), edits and anything but text are ignored:
///   answering an edit would run the same request twice.
/// - `!name args` and `/name args` are commands (name lower-cased), in every room.
/// - In a direct chat any other text is a message. In other rooms only text that mentions Steward (in
///   `m.mentions`, or its user id or name in the text; the mention is removed) counts.
/// - A reaction on one of Steward's cards is that card's choice as an action, with the card's event id
///   (so the card can be edited) — 👍 counts as ✅ and 👎 as ❌. Reactions on anything else are ignored.
public struct MatrixNormalizer: Sendable {
    public let botUserID: String

    public init(botUserID: String) {
        self.botUserID = botUserID
    }

    /// The bot's localpart (`steward` in `@steward:example.org`): how people usually mention it in text.
    var localpart: String {
        String(botUserID.dropFirst().prefix { $0 != ":" })
    }

    /// - Parameters:
    ///   - isDirect: the room is a direct chat with the sender.
    ///   - cardChoices: for a reaction, the choices of the card it reacts to (emoji → token), if that
    ///     event is one of Steward's cards.
    public func normalize(_ event: MatrixEvent, roomID: String, isDirect: Bool,
                          cardChoices: [String: String]? = nil, receivedAt: Date = Date()) -> InboundEvent? {
        guard let eventID = event.eventID, let sender = event.sender, sender != botUserID, sender.hasPrefix("@")
        else { return nil }
        let id = "matrix:event:\(eventID)"
        let chat = ChatRef(platform: .matrix, chatID: roomID, isPrivate: isDirect)
        let identity = ChatIdentity(platform: .matrix, userID: sender)
        switch event.type {
        case "m.reaction":
            guard let relation = event.content.relatesTo, relation.relType == "m.annotation",
                  let target = relation.eventID, let key = relation.key, let cardChoices,
                  let token = cardChoices[MatrixRenderer.canonical(key)] else { return nil }
            return InboundEvent(id: id, sender: identity, chat: chat, kind: .action(token: token),
                                receivedAt: receivedAt, sourceMessageID: target, actionReceipt: eventID)
        case "m.room.message":
            guard event.content.msgtype == "m.text", event.content.newContent == nil,
                  event.content.relatesTo?.relType != "m.replace",
                  let body = event.content.body.map(Self.withoutReplyFallback), !body.isBlank else { return nil }
            let text = body.trimmingWhitespace()
            let kind: InboundEvent.Kind
            if let command = Self.command(text) {
                kind = command
            } else if isDirect {
                kind = .message(text)
            } else if let stripped = strippingMention(from: text, mentions: event.content.mentions?.userIDs) {
                guard !stripped.isEmpty else { return nil }
                kind = Self.command(stripped) ?? .message(stripped)
            } else {
                return nil
            }
            return InboundEvent(id: id, sender: identity, chat: chat, kind: kind, receivedAt: receivedAt)
        default:
            return nil
        }
    }

    /// `!name args` or `/name args`; nil for ordinary text (`/`, `/path/to`, `!!!`).
    static func command(_ text: String) -> InboundEvent.Kind? {
        guard let first = text.first, first == "!" || first == "/" else { return nil }
        let head = text.prefix { !$0.isWhitespace }
        let name = head.dropFirst()
        guard !name.isEmpty, name.count <= 32, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return nil }
        let arguments = text[head.endIndex...].trimmingWhitespace()
        return .command(name: name.lowercased(), arguments: arguments)
    }

    /// The text without the mention of Steward, trimmed; nil when Steward isn't mentioned.
    func strippingMention(from text: String, mentions: [String]?) -> String? {
        var result = text
        var found = mentions?.contains(botUserID) == true
        // Clients put the user id, the display name or a "name:" pill text in the body.
        for needle in [botUserID, localpart + ":", "@" + localpart, localpart] where !needle.isEmpty {
            guard let range = result.range(of: needle, options: .caseInsensitive) else { continue }
            let before = range.lowerBound == result.startIndex ? nil : result[result.index(before: range.lowerBound)]
            let after = range.upperBound == result.endIndex ? nil : result[range.upperBound]
            let isWord = !(before.map { $0.isLetter || $0.isNumber } ?? false) && !(after.map { $0.isLetter || $0.isNumber } ?? false)
            guard isWord else { continue }
            result.removeSubrange(range)
            found = true
            break
        }
        guard found else { return nil }
        var trimmed = result.trimmingWhitespace()
        while let first = trimmed.first, first == ":" || first == "," { trimmed = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces) }
        return trimmed.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// A reply's body starts with the quoted original (`> ` lines, then a blank line): drop it.
    static func withoutReplyFallback(_ body: String) -> String {
        guard body.hasPrefix("> ") else { return body }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let rest = lines.drop { $0.hasPrefix(">") }.drop { $0.isEmpty }
        return rest.joined(separator: "\n")
    }
}
