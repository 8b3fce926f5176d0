import Foundation

// Web API request and answer shapes, as documented for each method. Only the fields Steward uses;
// unknown fields in answers are ignored.

/// A Block Kit text object: `{"type": "mrkdwn"|"plain_text", "text": …}`.
public struct SlackText: Codable, Sendable, Equatable {
    public var type: String
    public var text: String

    public static func mrkdwn(_ text: String) -> SlackText { .init(type: "mrkdwn", text: text) }
    public static func plain(_ text: String) -> SlackText { .init(type: "plain_text", text: text) }
}

/// A button's confirmation dialog (`confirm` composition object).
public struct SlackConfirm: Codable, Sendable, Equatable {
    public var title: SlackText
    public var text: SlackText
    public var confirm: SlackText
    public var deny: SlackText
    public var style: String?
}

/// A button element in an actions block.
public struct SlackButton: Codable, Sendable, Equatable {
    public var type = "button"
    public var text: SlackText
    public var actionID: String
    public var value: String
    /// `primary` or `danger`; absent for a default button.
    public var style: String?
    public var confirm: SlackConfirm?

    enum CodingKeys: String, CodingKey {
        case type, text, actionID = "action_id", value, style, confirm
    }
}

/// The two block types Steward sends: `section` (text) and `actions` (buttons).
public struct SlackBlock: Codable, Sendable, Equatable {
    public var type: String
    public var blockID: String?
    public var text: SlackText?
    public var elements: [SlackButton]?

    public static func section(_ text: SlackText) -> SlackBlock { .init(type: "section", text: text) }
    public static func actions(_ buttons: [SlackButton], blockID: String? = nil) -> SlackBlock {
        .init(type: "actions", blockID: blockID, elements: buttons)
    }

    enum CodingKeys: String, CodingKey {
        case type, blockID = "block_id", text, elements
    }
}

/// `chat.postMessage`. `text` is the notification and accessibility fallback when blocks are present.
public struct SlackPostMessageRequest: Codable, Sendable, Equatable {
    public var channel: String
    public var text: String
    public var blocks: [SlackBlock]?
    /// Off: links in calendar entries and mail must not unfurl previews into the chat.
    public var unfurlLinks: Bool? = false
    public var unfurlMedia: Bool? = false

    public init(channel: String, text: String, blocks: [SlackBlock]?) {
        self.channel = channel
        self.text = text
        self.blocks = blocks
    }

    enum CodingKeys: String, CodingKey {
        case channel, text, blocks, unfurlLinks = "unfurl_links", unfurlMedia = "unfurl_media"
    }
}

/// `chat.update`. An empty `blocks` array removes every block (the buttons), which omitting it would not.
public struct SlackUpdateRequest: Codable, Sendable, Equatable {
    public var channel: String
    public var ts: String
    public var text: String
    public var blocks: [SlackBlock]

    public init(channel: String, ts: String, text: String, blocks: [SlackBlock]) {
        self.channel = channel
        self.ts = ts
        self.text = text
        self.blocks = blocks
    }
}

/// `chat.postEphemeral`: visible to `user` only.
public struct SlackPostEphemeralRequest: Codable, Sendable, Equatable {
    public var channel: String
    public var user: String
    public var text: String
    public var blocks: [SlackBlock]?

    public init(channel: String, user: String, text: String, blocks: [SlackBlock]? = nil) {
        self.channel = channel
        self.user = user
        self.text = text
        self.blocks = blocks
    }
}

/// `conversations.open` with `users` (comma-separated ids; one for a DM).
public struct SlackOpenConversationRequest: Codable, Sendable, Equatable {
    public var users: String
    public var returnIM: Bool? = nil

    public init(users: String) { self.users = users }

    enum CodingKeys: String, CodingKey { case users, returnIM = "return_im" }
}

struct SlackEmptyRequest: Codable, Sendable {}

/// `auth.test`: who the bot token belongs to. `user_id` is the bot's user, whose messages are ignored.
public struct SlackAuthTestResponse: Codable, Sendable, Equatable {
    public var userID: String
    public var botID: String?
    public var teamID: String?
    public var team: String?
    public var user: String?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", botID = "bot_id", teamID = "team_id", team, user
    }
}

/// The answer to `chat.postMessage` and `chat.update`: the channel and the message's `ts` (its id).
public struct SlackMessageResponse: Codable, Sendable, Equatable {
    public var channel: String
    public var ts: String
}

/// `chat.postEphemeral` answers `message_ts`.
public struct SlackEphemeralResponse: Codable, Sendable, Equatable {
    public var messageTS: String
    enum CodingKeys: String, CodingKey { case messageTS = "message_ts" }
}

/// `conversations.open`: `{"channel": {"id": "D…"}}`.
public struct SlackOpenConversationResponse: Codable, Sendable, Equatable {
    public struct Channel: Codable, Sendable, Equatable { public var id: String }
    public var channel: Channel
}

/// `apps.connections.open`: the single-use `wss://` URL for a Socket Mode connection.
public struct SlackConnectionResponse: Codable, Sendable, Equatable {
    public var url: String
}

/// A slash command's answer, as the HTTP acknowledgement's body or POSTed to its `response_url`
/// (Slack's "Responding to slash commands"): `text` (the fallback when blocks are present), `blocks`,
/// and `response_type` — `ephemeral` (only the user who ran the command sees it) or `in_channel`.
public struct SlackResponseMessage: Codable, Sendable, Equatable {
    public static let ephemeral = "ephemeral"
    public static let inChannel = "in_channel"

    public var responseType: String
    public var text: String
    public var blocks: [SlackBlock]?

    public init(responseType: String = SlackResponseMessage.ephemeral, text: String, blocks: [SlackBlock]? = nil) {
        self.responseType = responseType
        self.text = text
        self.blocks = blocks
    }

    enum CodingKeys: String, CodingKey {
        case responseType = "response_type", text, blocks
    }
}
