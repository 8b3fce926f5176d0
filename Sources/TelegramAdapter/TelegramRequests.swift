import Foundation

// Request bodies of the Bot API methods Steward calls. Nil fields are left out of the JSON.

public struct GetUpdatesRequest: Encodable, Sendable, Equatable {
    public var offset: Int64?
    public var limit: Int?
    /// Long-poll timeout in whole seconds.
    public var timeout: Int
    public var allowedUpdates: [String]?

    public init(offset: Int64?, limit: Int? = nil, timeout: Int, allowedUpdates: [String]?) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey {
        case offset, limit, timeout, allowedUpdates = "allowed_updates"
    }
}

/// Link previews off: calendar entries and mail carry meeting links whose previews would bury the text.
public struct LinkPreviewOptions: Encodable, Sendable, Equatable {
    public var isDisabled = true
    enum CodingKeys: String, CodingKey { case isDisabled = "is_disabled" }
}

public struct SendMessageRequest: Encodable, Sendable, Equatable {
    public var chatID: Int64
    public var text: String
    public var parseMode: String?
    public var replyMarkup: InlineKeyboardMarkup?
    public var linkPreviewOptions: LinkPreviewOptions? = LinkPreviewOptions()

    public init(chatID: Int64, text: String, parseMode: String? = "HTML", replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatID = chatID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", text, parseMode = "parse_mode", replyMarkup = "reply_markup"
        case linkPreviewOptions = "link_preview_options"
    }
}

public struct EditMessageTextRequest: Encodable, Sendable, Equatable {
    public var chatID: Int64
    public var messageID: Int64
    public var text: String
    public var parseMode: String?
    /// An empty keyboard removes the buttons.
    public var replyMarkup: InlineKeyboardMarkup?
    public var linkPreviewOptions: LinkPreviewOptions? = LinkPreviewOptions()

    public init(chatID: Int64, messageID: Int64, text: String, parseMode: String? = "HTML",
                replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatID = chatID
        self.messageID = messageID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", messageID = "message_id", text, parseMode = "parse_mode"
        case replyMarkup = "reply_markup", linkPreviewOptions = "link_preview_options"
    }
}

public struct AnswerCallbackQueryRequest: Encodable, Sendable, Equatable {
    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool?

    public init(callbackQueryID: String, text: String?, showAlert: Bool? = nil) {
        self.callbackQueryID = callbackQueryID
        self.text = text
        self.showAlert = showAlert
    }

    enum CodingKeys: String, CodingKey {
        case callbackQueryID = "callback_query_id", text, showAlert = "show_alert"
    }
}

public struct SendChatActionRequest: Encodable, Sendable, Equatable {
    public var chatID: Int64
    public var action: String

    public init(chatID: Int64, action: String = "typing") {
        self.chatID = chatID
        self.action = action
    }

    enum CodingKeys: String, CodingKey { case chatID = "chat_id", action }
}

public struct SetMyCommandsRequest: Encodable, Sendable, Equatable {
    public var commands: [TelegramBotCommand]
    public init(commands: [TelegramBotCommand]) { self.commands = commands }
}

public struct SetWebhookRequest: Encodable, Sendable, Equatable {
    public var url: String
    public var secretToken: String?
    public var allowedUpdates: [String]?
    public var dropPendingUpdates: Bool?

    public init(url: String, secretToken: String?, allowedUpdates: [String]?, dropPendingUpdates: Bool? = nil) {
        self.url = url
        self.secretToken = secretToken
        self.allowedUpdates = allowedUpdates
        self.dropPendingUpdates = dropPendingUpdates
    }

    enum CodingKeys: String, CodingKey {
        case url, secretToken = "secret_token", allowedUpdates = "allowed_updates"
        case dropPendingUpdates = "drop_pending_updates"
    }
}

public struct DeleteWebhookRequest: Encodable, Sendable, Equatable {
    public var dropPendingUpdates: Bool
    public init(dropPendingUpdates: Bool) { self.dropPendingUpdates = dropPendingUpdates }
    enum CodingKeys: String, CodingKey { case dropPendingUpdates = "drop_pending_updates" }
}

/// For methods without parameters: `{}`.
public struct EmptyRequest: Encodable, Sendable, Equatable {
    public init() {}
}
