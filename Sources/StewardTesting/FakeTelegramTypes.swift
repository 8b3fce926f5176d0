import Foundation

// What the fake Telegram server records, for tests to inspect.

public struct FakeTelegramUser: Sendable, Hashable {
    public var id: Int64
    public var firstName: String
    public var lastName: String?
    public var username: String?
    public var isBot: Bool

    public init(id: Int64, firstName: String, lastName: String? = nil, username: String? = nil, isBot: Bool = false) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.isBot = isBot
    }

    public static let stewardBot = FakeTelegramUser(id: 7_000_000_001, firstName: "Steward", username: "StewardTestBot", isBot: true)

    var json: FakeJSON {
        var object: [String: FakeJSON] = ["id": .int(id), "is_bot": .bool(isBot), "first_name": .string(firstName)]
        if let lastName { object["last_name"] = .string(lastName) }
        if let username { object["username"] = .string(username) }
        if !isBot { object["language_code"] = "en" }
        return .object(object)
    }
}

public struct FakeTelegramChat: Sendable, Hashable {
    public var id: Int64
    /// `private`, `group`, `supergroup`.
    public var type: String
    public var title: String?

    public init(id: Int64, type: String, title: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
    }

    /// The one-to-one chat with `user` (its id is the user's id).
    public static func privateChat(with user: FakeTelegramUser) -> FakeTelegramChat {
        FakeTelegramChat(id: user.id, type: "private")
    }

    /// A basic group has an id like -4001; a supergroup -100…
    public static func group(id: Int64, title: String, supergroup: Bool = false) -> FakeTelegramChat {
        FakeTelegramChat(id: id, type: supergroup ? "supergroup" : "group", title: title)
    }

    func json(user: FakeTelegramUser?) -> FakeJSON {
        var object: [String: FakeJSON] = ["id": .int(id), "type": .string(type)]
        if let title { object["title"] = .string(title) }
        if type == "private", let user {
            object["first_name"] = .string(user.firstName)
            if let username = user.username { object["username"] = .string(username) }
        }
        if type == "group" { object["all_members_are_administrators"] = true }
        return .object(object)
    }
}

public struct FakeTelegramButton: Sendable, Equatable {
    public var text: String
    public var callbackData: String?
    public var url: String?

    public init(text: String, callbackData: String? = nil, url: String? = nil) {
        self.text = text
        self.callbackData = callbackData
        self.url = url
    }
}

/// A message in a chat, from the bot or from a user.
public struct FakeTelegramMessage: Sendable, Equatable {
    public var messageID: Int64
    public var chatID: Int64
    public var fromBot: Bool
    public var senderID: Int64
    public var date: Date
    /// The text as shown (HTML parsed away).
    public var text: String
    /// The text as sent, before parsing; nil for user messages.
    public var rawText: String?
    public var parseMode: String?
    public var entities: [FakeTelegramHTML.Entity]
    public var buttons: [[FakeTelegramButton]]
    public var editCount: Int
    public var replyToMessageID: Int64?
}

public struct FakeTelegramEdit: Sendable, Equatable {
    public var chatID: Int64
    public var messageID: Int64
    public var previousText: String
    public var text: String
    public var buttons: [[FakeTelegramButton]]
    public var at: Date
}

public struct FakeTelegramCallbackAnswer: Sendable, Equatable {
    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool
    public var at: Date
}

/// One Bot API call as the fake saw it (wrong-token calls included).
public struct FakeTelegramRequest: Sendable, Equatable {
    public var method: String
    public var parameters: [String: FakeJSON]
    /// The HTTP status answered; 0 while unanswered (a long poll still waiting) or when the
    /// connection was dropped on purpose.
    public var status: Int
    public var at: Date
}

public struct FakeTelegramBotCommand: Sendable, Equatable {
    public var command: String
    public var description: String
}

public struct FakeTelegramWebhook: Sendable, Equatable {
    public var url: String
    public var secretToken: String?
    public var allowedUpdates: [String]?
}

/// Trouble the fake can make on purpose.
public enum FakeTelegramFault: Sendable, Equatable {
    /// 429 "Too Many Requests: retry after N" with `parameters.retry_after`.
    case tooManyRequests(retryAfter: Int)
    /// A 5xx with the Bot API envelope.
    case serverError(status: Int)
    /// Answer normally, but only after this long (longer than the client's timeout = a timeout).
    case delay(Duration)
    /// Close the connection without answering.
    case dropConnection
}

/// An HTTP answer from the fake: status and JSON body. An `Error` too, so validation steps can
/// return a refusal as the failure of a `Result`.
public struct FakeTelegramResponse: Error, Sendable, Equatable {
    public var status: Int
    public var body: FakeJSON

    static func ok(_ result: FakeJSON, description: String? = nil) -> FakeTelegramResponse {
        var object: [String: FakeJSON] = ["ok": true, "result": result]
        if let description { object["description"] = .string(description) }
        return FakeTelegramResponse(status: 200, body: .object(object))
    }

    static func error(_ status: Int, _ description: String, parameters: [String: FakeJSON]? = nil) -> FakeTelegramResponse {
        var object: [String: FakeJSON] = ["ok": false, "error_code": .int(Int64(status)), "description": .string(description)]
        if let parameters { object["parameters"] = .object(parameters) }
        return FakeTelegramResponse(status: status, body: .object(object))
    }

    static let unauthorized = error(401, "Unauthorized")
    static let notFound = error(404, "Not Found")
    static let chatNotFound = error(400, "Bad Request: chat not found")
    static let blocked = error(403, "Forbidden: bot was blocked by the user")
}
