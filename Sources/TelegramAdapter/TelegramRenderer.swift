import Foundation
import StewardCore

/// Turns Steward's plain-text messages into Bot API payloads. Guarantees:
/// - HTML parse mode, with *every* piece of text escaped (`&`, `<`, `>`): nothing a calendar entry or
///   an email says can become markup. Only the title is wrapped, in `<b>`.
/// - No chunk exceeds `maxLength` UTF-16 code units (Telegram's unit) even counted *after* escaping,
///   which is stricter than Telegram's own count; chunks break at line ends, and only a single
///   overlong line is cut, between characters, never inside an escape sequence.
/// - Buttons become one row of an inline keyboard on the last chunk only; a token over 64 bytes
///   (the `callback_data` limit) is refused rather than sent broken.
public struct TelegramRenderer: Sendable {
    public static let maxMessageLength = 4096
    public static let maxCallbackDataBytes = 64
    public static let maxCallbackAnswerLength = 200

    public var maxLength: Int

    public init(maxLength: Int = TelegramRenderer.maxMessageLength) {
        precondition(maxLength >= 16, "chunks must hold at least a few characters")
        self.maxLength = maxLength
    }

    public enum RenderError: Error, Sendable, Equatable, CustomStringConvertible {
        case emptyMessage
        case buttonTokenTooLong(String)

        public var description: String {
            switch self {
            case .emptyMessage: "the message has no text"
            case .buttonTokenTooLong(let token): "button token over 64 bytes: \(token.prefix(80))"
            }
        }
    }

    /// Escapes text for HTML parse mode.
    public static func escape(_ text: String) -> String { text.escapingMarkupCharacters }

    /// The HTML chunks of `message`, in order.
    public func chunks(of message: OutboundMessage) throws -> [String] {
        // Most answers have no title and fit in one message: escape once, skip the line-by-line split.
        if (message.title ?? "").isBlank {
            let escaped = Self.escape(message.text)
            // Telegram counts UTF-16 units; a string never has more of them than UTF-8 bytes, so the byte
            // count settles most answers without walking the text.
            if escaped.utf8.count <= maxLength || escaped.utf16.count <= maxLength, !escaped.isBlank {
                return [escaped]
            }
        }
        var lines: [String] = []
        if let title = message.title, !title.isBlank {
            let bold = "<b></b>".utf16.count
            for titleLine in title.split(separator: "\n", omittingEmptySubsequences: false) {
                // An empty line stays empty: no `<b></b>` around nothing.
                lines += titleLine.isEmpty ? [""] : hardSplit(String(titleLine), limit: maxLength - bold).map { "<b>\($0)</b>" }
            }
        }
        if !message.text.isEmpty {
            for line in message.text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += hardSplit(String(line), limit: maxLength)
            }
        }
        var chunks: [String] = []
        var current = ""
        var currentLength = 0
        var hasContent = false
        for line in lines {
            let length = line.utf16.count
            if hasContent && currentLength + 1 + length > maxLength {
                chunks.append(current)
                current = line
                currentLength = length
            } else {
                current = hasContent ? current + "\n" + line : line
                currentLength += (hasContent ? 1 : 0) + length
            }
            hasContent = true
        }
        if hasContent { chunks.append(current) }
        // Telegram trims messages and refuses empty ones: drop chunks of nothing but blank lines.
        chunks = chunks.filter { !$0.isBlank }
        guard !chunks.isEmpty else { throw RenderError.emptyMessage }
        return chunks
    }

    /// Up to three buttons in one row; more (an alert's four) two to a row, so phones don't cut their
    /// labels short. Nil when there are none.
    public func keyboard(for buttons: [Button]) throws -> InlineKeyboardMarkup? {
        guard !buttons.isEmpty else { return nil }
        let row = try buttons.map { button in
            guard !button.token.isEmpty, button.token.utf8.count <= Self.maxCallbackDataBytes else {
                throw RenderError.buttonTokenTooLong(button.token)
            }
            return InlineKeyboardButton(text: button.title, callbackData: button.token)
        }
        guard row.count > 3 else { return InlineKeyboardMarkup(inlineKeyboard: [row]) }
        return InlineKeyboardMarkup(inlineKeyboard: stride(from: 0, to: row.count, by: 2).map {
            Array(row[$0..<min($0 + 2, row.count)])
        })
    }

    /// `sendMessage` payloads for `message`, buttons on the last.
    public func sendRequests(chatID: Int64, message: OutboundMessage) throws -> [SendMessageRequest] {
        let chunks = try chunks(of: message)
        let keyboard = try keyboard(for: message.buttons)
        return chunks.enumerated().map { index, chunk in
            SendMessageRequest(chatID: chatID, text: chunk, replyMarkup: index == chunks.count - 1 ? keyboard : nil)
        }
    }

    /// An `editMessageText` payload. An edit replaces one message, so only the first chunk is used.
    /// No buttons in `message` sends an empty keyboard, which removes the old buttons.
    public func editRequest(chatID: Int64, messageID: Int64, message: OutboundMessage) throws -> EditMessageTextRequest {
        var chunks = try chunks(of: message)
        if chunks.count > 1 {
            // Keep room for the ellipsis that says the rest was cut.
            let trimmed = try TelegramRenderer(maxLength: maxLength - 2).chunks(of: message)
            chunks = [trimmed[0] + "\n…"]
        }
        let keyboard = try keyboard(for: message.buttons) ?? InlineKeyboardMarkup(inlineKeyboard: [])
        return EditMessageTextRequest(chatID: chatID, messageID: messageID, text: chunks[0], replyMarkup: keyboard)
    }

    /// An `answerCallbackQuery` payload; the notice is cut to Telegram's 200 characters.
    public func answerRequest(receipt: String, text: String) -> AnswerCallbackQueryRequest {
        var notice = text
        if notice.utf16.count > Self.maxCallbackAnswerLength {
            var cut = ""
            for character in text {
                guard cut.utf16.count + String(character).utf16.count < Self.maxCallbackAnswerLength else { break }
                cut.append(character)
            }
            notice = cut + "…"
        }
        return AnswerCallbackQueryRequest(callbackQueryID: receipt, text: notice.isEmpty ? nil : notice)
    }

    /// Escapes `line` and cuts it into pieces of at most `limit` UTF-16 units, between characters.
    func hardSplit(_ line: String, limit: Int) -> [String] {
        let escaped = Self.escape(line)
        guard escaped.utf16.count > limit else { return [escaped] }
        var pieces: [String] = []
        var piece = ""
        var length = 0
        for character in line {
            let unit = Self.escape(String(character))
            let unitLength = unit.utf16.count
            if length + unitLength > limit, !piece.isEmpty {
                pieces.append(piece)
                piece = ""
                length = 0
            }
            piece += unit
            length += unitLength
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }
}
