import Foundation

// The Bot API objects Steward reads, with only the fields it uses. Unknown fields are ignored, so new
// Bot API versions do not break decoding. Names follow the Bot API; JSON keys are its snake_case.

public struct TelegramUser: Codable, Sendable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?

    public init(id: Int64, isBot: Bool, firstName: String, lastName: String? = nil, username: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
    }

    /// "First Last", as a person would be addressed.
    public var displayName: String { [firstName, lastName ?? ""].filter { !$0.isEmpty }.joined(separator: " ") }

    enum CodingKeys: String, CodingKey {
        case id, isBot = "is_bot", firstName = "first_name", lastName = "last_name", username
    }
}

public struct TelegramChat: Codable, Sendable, Equatable {
    public var id: Int64
    /// `private`, `group`, `supergroup` or `channel`.
    public var type: String
    public var title: String?
    public var username: String?

    public init(id: Int64, type: String, title: String? = nil, username: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
    }

    public var isPrivate: Bool { type == "private" }
    public var isGroup: Bool { type == "group" || type == "supergroup" }
}

/// A `bot_command`, `mention`, `bold`… span. `offset` and `length` count UTF-16 code units.
public struct TelegramMessageEntity: Codable, Sendable, Equatable {
    public var type: String
    public var offset: Int
    public var length: Int

    public init(type: String, offset: Int, length: Int) {
        self.type = type
        self.offset = offset
        self.length = length
    }
}

/// The message a message replies to; only who wrote it matters here.
public struct TelegramRepliedMessage: Codable, Sendable, Equatable {
    public var messageID: Int64
    public var from: TelegramUser?

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", from
    }
}

public struct TelegramMessage: Codable, Sendable, Equatable {
    public var messageID: Int64
    public var from: TelegramUser?
    public var chat: TelegramChat
    /// Unix time.
    public var date: Int64
    public var text: String?
    public var entities: [TelegramMessageEntity]?
    public var replyToMessage: TelegramRepliedMessage?
    /// Service message: this group became the supergroup with this id.
    public var migrateToChatID: Int64?

    public init(messageID: Int64, from: TelegramUser?, chat: TelegramChat, date: Int64, text: String?,
                entities: [TelegramMessageEntity]? = nil, replyToMessage: TelegramRepliedMessage? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.entities = entities
        self.replyToMessage = replyToMessage
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", from, chat, date, text, entities
        case replyToMessage = "reply_to_message", migrateToChatID = "migrate_to_chat_id"
    }
}

/// What Steward keeps of a message it sent or edited: which message it became, in which chat. Decoding
/// only these two fields (not the echoed text, entities and sender) is measurably cheaper per send.
public struct TelegramSentMessage: Decodable, Sendable, Equatable {
    public var messageID: Int64
    public var chatID: Int64

    public init(messageID: Int64, chatID: Int64) {
        self.messageID = messageID
        self.chatID = chatID
    }

    enum CodingKeys: String, CodingKey { case messageID = "message_id", chat }
    enum ChatKeys: String, CodingKey { case id }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decode(Int64.self, forKey: .messageID)
        chatID = try container.nestedContainer(keyedBy: ChatKeys.self, forKey: .chat).decode(Int64.self, forKey: .id)
    }
}

public struct TelegramCallbackQuery: Codable, Sendable, Equatable {
    public var id: String
    public var from: TelegramUser
    /// The message with the button; absent for buttons on inline-mode messages.
    public var message: TelegramMessage?
    public var data: String?
}

public struct TelegramUpdate: Codable, Sendable, Equatable {
    public var updateID: Int64
    public var message: TelegramMessage?
    public var editedMessage: TelegramMessage?
    public var callbackQuery: TelegramCallbackQuery?

    public init(updateID: Int64, message: TelegramMessage? = nil, editedMessage: TelegramMessage? = nil,
                callbackQuery: TelegramCallbackQuery? = nil) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.callbackQuery = callbackQuery
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, editedMessage = "edited_message", callbackQuery = "callback_query"
    }

    /// Only `update_id` is required: a part Steward cannot read becomes nil instead of failing the whole
    /// batch, which would otherwise be fetched again forever and stall the poll loop.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        updateID = try container.decode(Int64.self, forKey: .updateID)
        message = try? container.decodeIfPresent(TelegramMessage.self, forKey: .message)
        editedMessage = try? container.decodeIfPresent(TelegramMessage.self, forKey: .editedMessage)
        callbackQuery = try? container.decodeIfPresent(TelegramCallbackQuery.self, forKey: .callbackQuery)
    }
}

public struct TelegramWebhookInfo: Codable, Sendable, Equatable {
    public var url: String
    public var pendingUpdateCount: Int
    public var lastErrorMessage: String?

    enum CodingKeys: String, CodingKey {
        case url, pendingUpdateCount = "pending_update_count", lastErrorMessage = "last_error_message"
    }
}

public struct TelegramBotCommand: Codable, Sendable, Equatable {
    public var command: String
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}

public struct InlineKeyboardButton: Codable, Sendable, Equatable {
    public var text: String
    public var callbackData: String

    public init(text: String, callbackData: String) {
        self.text = text
        self.callbackData = callbackData
    }

    enum CodingKeys: String, CodingKey {
        case text, callbackData = "callback_data"
    }
}

public struct InlineKeyboardMarkup: Codable, Sendable, Equatable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(inlineKeyboard: [[InlineKeyboardButton]]) {
        self.inlineKeyboard = inlineKeyboard
    }

    enum CodingKeys: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
    }
}
