import Foundation

/// A button on a card. `token` is what comes back as `InboundEvent.Kind.action`.
public struct Button: Codable, Sendable, Equatable {
    public enum Style: String, Codable, Sendable { case normal, primary, danger }
    public var title: String
    public var token: String
    public var style: Style
    /// Set on a button whose action can't be undone (deleting an event): platforms that can ask first
    /// (a confirm dialog) show this question before the tap counts.
    public var confirmation: String?

    public init(title: String, token: String, style: Style = .normal, confirmation: String? = nil) {
        self.title = title
        self.token = token
        self.style = style
        self.confirmation = confirmation
    }
}

/// Something to show the user, in plain text. Renderers escape it for their platform
/// (HTML or a chat app's own markup); nothing here is markup.
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
    /// Acknowledge a button tap with a short notice (where the platform wants every tap answered).
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
    /// What the outbox records once the platform took it (an approval card's message id).
    public var afterSend: AfterSend?
    public init(key: String, delivery: Delivery, afterSend: AfterSend? = nil) {
        self.key = key
        self.delivery = delivery
        self.afterSend = afterSend
    }
}

extension String {
    /// `&`, `<` and `>` as entities: what the adapters' HTML and markup formats require of
    /// plain text, so user, calendar and mail text can never become markup.
    public var escapingMarkupCharacters: String {
        // Bytes, not Characters: `<` followed by a combining mark is one Character and would slip through.
        // `&`, `<` and `>` are ASCII, and no byte of a multi-byte UTF-8 sequence is, so a byte scan is exact.
        var utf8Text = self
        return utf8Text.withUTF8 { bytes -> String in
            // Runs between markup characters are copied whole, and the text is scanned once: byte by byte, a
            // long answer's escaping was 2 % of a burst's CPU (Benchmarks/README.md, "Sixth pass").
            var escaped: [UInt8] = []
            var runStart = 0
            for (index, byte) in bytes.enumerated() {
                let entity: StaticString
                switch byte {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                default: continue
                }
                if runStart == 0 { escaped.reserveCapacity(bytes.count + 16) }
                escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                entity.withUTF8Buffer { escaped.append(contentsOf: $0) }
                runStart = index + 1
            }
            // Nothing to escape: the text itself, no copy.
            guard runStart > 0 else { return self }
            escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            return String(decoding: escaped, as: UTF8.self)
        }
    }

    /// True when the text is empty or only white space and line breaks: what chat platforms
    /// refuse as an empty message. Stops at the first visible character, so it is cheap on real text.
    public var isBlank: Bool {
        !unicodeScalars.contains { !$0.properties.isWhitespace }
    }
}
