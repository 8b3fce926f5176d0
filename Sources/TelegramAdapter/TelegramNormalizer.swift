import Foundation
import StewardCore

/// Turns a Telegram `Update` into Steward's `InboundEvent`, or nil when it is not for Steward.
///
/// Rules (pure, no I/O):
/// - The event id is `telegram:update:<update_id>`, stable across redeliveries, so duplicates drop.
/// - `/name args` and `/name@OurBot args` are commands (name lower-cased); `/name@OtherBot` is for
///   another bot and yields nil, in private chats as in groups.
/// - In private chats any other text is a message.
/// - In groups only commands, messages mentioning `@ourbot` (the mention is removed from the text) and
///   replies to the bot's own messages are events; other chatter yields nil.
/// - A button tap (`callback_query`) is an action carrying the button's data as its token, with the
///   card's message id and the query id to acknowledge it.
/// - Edited messages, channel posts, messages from bots and messages without text yield nil: answering
///   an edit would run the same request twice.
public struct TelegramNormalizer: Sendable {
    /// The bot's username without `@`.
    public let botUsername: String
    public let botID: Int64?

    public init(botUsername: String, botID: Int64? = nil) {
        self.botUsername = botUsername.hasPrefix("@") ? String(botUsername.dropFirst()) : botUsername
        self.botID = botID
    }

    /// From `getMe`.
    public init(bot: TelegramUser) {
        self.init(botUsername: bot.username ?? "", botID: bot.id)
    }

    public func normalize(_ update: TelegramUpdate, receivedAt: Date = Date()) -> InboundEvent? {
        let id = "telegram:update:\(update.updateID)"
        if let query = update.callbackQuery {
            return action(query, id: id, receivedAt: receivedAt)
        }
        guard let message = update.message, let text = message.text, let from = message.from, !from.isBot
        else { return nil }
        let chat = message.chat
        guard chat.isPrivate || chat.isGroup else { return nil }

        let kind: InboundEvent.Kind
        if let command = parseCommand(text) {
            guard let command else { return nil }  // addressed to another bot
            kind = command
        } else if chat.isPrivate {
            kind = .message(text)
        } else if let stripped = strippingMention(from: text) {
            kind = parseCommand(stripped).flatMap { $0 } ?? .message(stripped)
        } else if isReplyToUs(message) {
            kind = .message(text)
        } else {
            return nil
        }
        return InboundEvent(id: id, sender: ChatIdentity(platform: .telegram, userID: String(from.id)),
                            senderName: from.displayName, chat: ref(chat), kind: kind, receivedAt: receivedAt)
    }

    private func action(_ query: TelegramCallbackQuery, id: String, receivedAt: Date) -> InboundEvent? {
        guard let data = query.data, let message = query.message, !query.from.isBot else { return nil }
        return InboundEvent(id: id, sender: ChatIdentity(platform: .telegram, userID: String(query.from.id)),
                            senderName: query.from.displayName, chat: ref(message.chat),
                            kind: .action(token: data), receivedAt: receivedAt,
                            sourceMessageID: String(message.messageID), actionReceipt: query.id)
    }

    private func ref(_ chat: TelegramChat) -> ChatRef {
        ChatRef(platform: .telegram, chatID: String(chat.id), isPrivate: chat.isPrivate)
    }

    /// nil: not a command. `.some(nil)`: a command for another bot. `.some(kind)`: ours.
    func parseCommand(_ text: String) -> InboundEvent.Kind?? {
        guard text.hasPrefix("/") else { return nil }
        let head = text.prefix { !$0.isWhitespace }
        // Not Foundation's `trimmingCharacters`: for the empty arguments of most commands it cost more than
        // the rest of this function (a round trip through `NSString`, issue 19).
        let arguments = text[head.endIndex...].trimmingWhitespace()
        let parts = head.dropFirst().split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts.first.map(String.init) ?? ""
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            return nil  // "/", "/path/to": ordinary text
        }
        if parts.count == 2, parts[1].caseInsensitiveCompare(botUsername) != .orderedSame {
            return .some(nil)
        }
        return .some(.command(name: name.lowercased(), arguments: arguments))
    }

    /// The text without `@ourbot` (case-insensitive, whole word), trimmed; nil when not mentioned.
    func strippingMention(from text: String) -> String? {
        guard !botUsername.isEmpty else { return nil }
        let mention = "@" + botUsername
        var result = ""
        var found = false
        var position = text.startIndex
        // Searching the whole text from a position, not a shrinking Substring: Foundation copies the
        // Substring on every search, which made a message full of mentions quadratic.
        while let range = text.range(of: mention, options: [.caseInsensitive], range: position..<text.endIndex) {
            let after = text[range.upperBound...].first
            let isWholeWord = after.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
            result += text[position..<range.lowerBound]
            if isWholeWord {
                found = true
            } else {
                result += text[range]
            }
            position = range.upperBound
        }
        guard found else { return nil }
        result += text[position...]
        let words = result.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return words.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func isReplyToUs(_ message: TelegramMessage) -> Bool {
        guard let author = message.replyToMessage?.from else { return false }
        if let botID { return author.id == botID }
        return author.isBot && author.username?.caseInsensitiveCompare(botUsername) == .orderedSame
    }
}
