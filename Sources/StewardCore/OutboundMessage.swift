import Foundation

/// A button on a card. `token` is what comes back as `InboundEvent.Kind.action`.
public struct Button: Codable, Sendable, Equatable {
    public enum Style: String, Codable, Sendable { case normal, primary, danger }
    public var title: String
    public var token: String
    public var style: Style
    /// Set on a button whose action can't be undone (deleting an event): platforms that can ask first
    /// (Slack's confirm dialog) show this question before the tap counts.
    public var confirmation: String?

    public init(title: String, token: String, style: Style = .normal, confirmation: String? = nil) {
        self.title = title
        self.token = token
        self.style = style
        self.confirmation = confirmation
    }
}

/// Something to show the user, in plain text. Renderers escape it for their platform
/// (HTML for Telegram, mrkdwn for Slack); nothing here is markup.
public struct OutboundMessage: Codable, Sendable, Equatable {
    /// Shown emphasised (bold) above the body when present.
    public var title: String?
    public var text: String
    public var buttons: [Button]
    /// The inbound event's `replyRoute` when this answers it in place (seen only by the sender);
    /// nil for an ordinary message in the chat.
    public var replyRoute: String?

    public init(title: String? = nil, text: String, buttons: [Button] = [], replyRoute: String? = nil) {
        self.title = title
        self.text = text
        self.buttons = buttons
        self.replyRoute = replyRoute
    }

    /// Title and body as plain lines, for the console and plain-text fallbacks.
    public var plainText: String {
        if let title, !title.isEmpty { return text.isEmpty ? title : "\(title)\n\(text)" }
        return text
    }
}

/// One thing for a platform to do. Stored in the outbox before it is attempted.
public enum Delivery: Codable, Sendable, Equatable {
    /// Post a new message in `chat`.
    case send(chat: ChatRef, message: OutboundMessage)
    /// Replace a message Steward sent earlier (an approval card showing its outcome; buttons removed
    /// when `message.buttons` is empty). `messageID` is the platform's id of that message.
    case edit(chat: ChatRef, messageID: String, message: OutboundMessage)
    /// Acknowledge a button tap with a short notice (Telegram answerCallbackQuery).
    case answerAction(platform: Platform, receipt: String, text: String)

    public var platform: Platform {
        switch self {
        case .send(let chat, _), .edit(let chat, _, _): chat.platform
        case .answerAction(let platform, _, _): platform
        }
    }

    public var chat: ChatRef? {
        switch self {
        case .send(let chat, _), .edit(let chat, _, _): chat
        case .answerAction: nil
        }
    }
}

/// One keyed delivery: the key makes the outbox store it once however often it is produced.
public struct KeyedDelivery: Sendable, Equatable {
    public var key: String
    public var delivery: Delivery
    public init(key: String, delivery: Delivery) {
        self.key = key
        self.delivery = delivery
    }
}

extension String {
    /// `&`, `<` and `>` as entities: what both Telegram's HTML parse mode and Slack's mrkdwn require of
    /// plain text, so user, calendar and mail text can never become markup.
    public var escapingMarkupCharacters: String {
        // Scalars, not Characters: `<` followed by a combining mark is one Character and would slip through.
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
