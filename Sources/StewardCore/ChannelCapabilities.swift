import Foundation

/// What a chat platform can do, declared by its adapter. Core decides from these, never from the
/// platform's name, so a new platform needs no change here.
public struct ChannelCapabilities: Sendable, Equatable {
    /// How a card's choices are shown, and so how the user answers one.
    public enum Choices: Sendable, Equatable {
        /// Tappable buttons under the message.
        case buttons
        /// Reactions on the card, one emoji per choice.
        case reactions
        /// Numbered lines the user answers by typing the number (a terminal).
        case numbered
    }

    /// The bot may open a private chat with anyone it shares a workspace with (a workspace chat app).
    /// Elsewhere a bot may only write to people who opened a chat with it first.
    public var opensPrivateChats: Bool
    /// A sent message can be replaced (a card then shows its outcome in place); otherwise the outcome is
    /// sent as a new message.
    public var editsMessages: Bool
    public var choices: Choices
    /// Answers in place that only the sender sees (e.g. a slash command's response URL).
    public var ephemeralReplies: Bool
    /// The longest text one message may carry; longer ones are cut by the adapter.
    public var maxMessageLength: Int
    /// A "typing…" indicator can be shown while Steward works.
    public var showsTyping: Bool
    /// A private chat here can receive proactive pushes later (digests, alerts), so the first one becomes
    /// the user's home chat. False for a chat that exists only while someone is at it (a terminal).
    public var keepsHomeChat: Bool

    public init(opensPrivateChats: Bool = false, editsMessages: Bool = true, choices: Choices = .buttons,
                ephemeralReplies: Bool = false, maxMessageLength: Int = 4096, showsTyping: Bool = false,
                keepsHomeChat: Bool = true) {
        self.opensPrivateChats = opensPrivateChats
        self.editsMessages = editsMessages
        self.choices = choices
        self.ephemeralReplies = ephemeralReplies
        self.maxMessageLength = maxMessageLength
        self.showsTyping = showsTyping
        self.keepsHomeChat = keepsHomeChat
    }

    /// `delivery` as this platform can carry it: replacing a message where messages can't be edited becomes
    /// a new message with the same content.
    public func carrying(_ delivery: Delivery) -> Delivery {
        guard !editsMessages, case .edit(let chat, _, let replaced) = delivery else { return delivery }
        var message = replaced
        message.replyRoute = nil
        return .send(chat: chat, message: message)
    }

    /// What a platform nobody declared is assumed to do: the least (no private chats it didn't get, buttons,
    /// edits, a home chat).
    public static let basic = ChannelCapabilities()
}

/// The registered chat platforms and their capabilities, filled by the composition root from each adapter's
/// declaration (`DeliveryChannel.capabilities`).
public struct PlatformKinds: Sendable {
    private var table: [Platform: ChannelCapabilities]

    public init(_ table: [Platform: ChannelCapabilities] = [:]) {
        self.table = table
    }

    /// From the channels the app delivers through: each declares its own.
    public init(channels: [any DeliveryChannel]) {
        self.init(Dictionary(channels.map { ($0.platform, $0.capabilities) }, uniquingKeysWith: { first, _ in first }))
    }

    public mutating func register(_ platform: Platform, _ capabilities: ChannelCapabilities) {
        table[platform] = capabilities
    }

    public subscript(platform: Platform) -> ChannelCapabilities { table[platform] ?? .basic }

    /// `delivery` as `platform` can carry it: replacing a message where messages can't be edited becomes a
    /// new message with the same content.
    public func adapted(_ delivery: Delivery) -> Delivery {
        self[delivery.platform].carrying(delivery)
    }
}
