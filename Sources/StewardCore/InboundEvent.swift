import Foundation

/// Everything a platform adapter hands to the orchestrator, normalized.
/// Adapters know nothing of calendars or mail; the orchestrator knows nothing of platforms.
public struct InboundEvent: Codable, Sendable, Equatable {
    public enum Kind: Codable, Sendable, Equatable {
        /// Free text.
        case message(String)
        /// `/name arguments`, or however the platform spells a command (`/steward name`, `!name`).
        /// `name` is lower-cased and has no leading slash or `@bot` suffix.
        case command(name: String, arguments: String)
        /// A button tap carrying a token such as `s1:<approval-id>:a`.
        case action(token: String)
    }

    /// Platform-unique id used to drop duplicates, e.g. `<platform>:update:812345`.
    public var id: String
    public var sender: ChatIdentity
    public var senderName: String?
    public var chat: ChatRef
    public var kind: Kind
    public var receivedAt: Date
    /// For actions: the platform id of the message that carried the button, so the card can be edited.
    public var sourceMessageID: String?
    /// For actions: the platform's handle to acknowledge the tap (e.g. a callback query id).
    public var actionReceipt: String?
    /// A way to answer in place that only the sender sees, when the platform gave one (a slash
    /// command's `response_url`); answers in `chat` then go there instead of being posted to the chat.
    public var replyRoute: String?

    public init(id: String, sender: ChatIdentity, senderName: String? = nil, chat: ChatRef, kind: Kind,
                receivedAt: Date, sourceMessageID: String? = nil, actionReceipt: String? = nil,
                replyRoute: String? = nil) {
        self.id = id
        self.sender = sender
        self.senderName = senderName
        self.chat = chat
        self.kind = kind
        self.receivedAt = receivedAt
        self.sourceMessageID = sourceMessageID
        self.actionReceipt = actionReceipt
        self.replyRoute = replyRoute
    }
}
