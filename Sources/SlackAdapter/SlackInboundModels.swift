import Foundation

// What Slack sends Steward, over HTTP or inside Socket Mode envelopes. Only the fields Steward uses.

/// An Events API body: `url_verification` (with `challenge`) or `event_callback` (with `event`).
public struct SlackEventEnvelope: Codable, Sendable, Equatable {
    public var type: String
    public var challenge: String?
    /// Unique per event and kept on every retry and redelivery: the key for dropping duplicates.
    public var eventID: String?
    public var eventTime: Int64?
    public var teamID: String?
    public var event: SlackEvent?

    public init(type: String, challenge: String? = nil, eventID: String? = nil, eventTime: Int64? = nil,
                teamID: String? = nil, event: SlackEvent? = nil) {
        self.type = type
        self.challenge = challenge
        self.eventID = eventID
        self.eventTime = eventTime
        self.teamID = teamID
        self.event = event
    }

    enum CodingKeys: String, CodingKey {
        case type, challenge, eventID = "event_id", eventTime = "event_time", teamID = "team_id", event
    }
}

/// The inner `event` of an `event_callback` (`message`, `app_mention`).
public struct SlackEvent: Codable, Sendable, Equatable {
    public var type: String
    public var subtype: String?
    public var user: String?
    public var botID: String?
    public var text: String?
    public var channel: String?
    /// `im`, `channel`, `group`, `mpim` (message events only).
    public var channelType: String?
    public var ts: String?
    public var threadTS: String?

    public init(type: String, subtype: String? = nil, user: String? = nil, botID: String? = nil, text: String? = nil,
                channel: String? = nil, channelType: String? = nil, ts: String? = nil, threadTS: String? = nil) {
        self.type = type
        self.subtype = subtype
        self.user = user
        self.botID = botID
        self.text = text
        self.channel = channel
        self.channelType = channelType
        self.ts = ts
        self.threadTS = threadTS
    }

    enum CodingKeys: String, CodingKey {
        case type, subtype, user, botID = "bot_id", text, channel, channelType = "channel_type", ts, threadTS = "thread_ts"
    }
}

/// A slash command invocation: form fields over HTTP, a JSON object of strings in Socket Mode.
public struct SlackSlashCommand: Sendable, Equatable {
    public var command: String
    public var text: String
    public var userID: String
    public var userName: String?
    public var channelID: String
    public var channelName: String?
    public var responseURL: String?
    public var triggerID: String?

    /// nil when `command`, `user_id` or `channel_id` is missing.
    public init?(fields: [String: String]) {
        guard let command = fields["command"], let userID = fields["user_id"], let channelID = fields["channel_id"],
              !command.isEmpty, !userID.isEmpty, !channelID.isEmpty else { return nil }
        self.command = command
        self.text = fields["text"] ?? ""
        self.userID = userID
        self.userName = fields["user_name"]
        self.channelID = channelID
        self.channelName = fields["channel_name"]
        self.responseURL = fields["response_url"]
        self.triggerID = fields["trigger_id"]
    }
}

/// An interactivity payload; Steward reads `block_actions` (a button tap).
public struct SlackInteraction: Codable, Sendable, Equatable {
    public struct User: Codable, Sendable, Equatable {
        public var id: String
        public var username: String?
        public var name: String?
    }
    public struct Container: Codable, Sendable, Equatable {
        public var type: String?
        public var messageTS: String?
        public var channelID: String?
        enum CodingKeys: String, CodingKey { case type, messageTS = "message_ts", channelID = "channel_id" }
    }
    public struct Channel: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
    }
    public struct Message: Codable, Sendable, Equatable {
        public var ts: String?
    }
    public struct Action: Codable, Sendable, Equatable {
        public var actionID: String?
        public var blockID: String?
        public var value: String?
        public var type: String?
        public var actionTS: String?
        enum CodingKeys: String, CodingKey {
            case actionID = "action_id", blockID = "block_id", value, type, actionTS = "action_ts"
        }
    }

    public var type: String
    public var user: User?
    public var container: Container?
    public var channel: Channel?
    public var message: Message?
    public var actions: [Action]?
    public var triggerID: String?
    public var responseURL: String?

    enum CodingKeys: String, CodingKey {
        case type, user, container, channel, message, actions, triggerID = "trigger_id", responseURL = "response_url"
    }
}

/// `application/x-www-form-urlencoded`, as Slack sends commands and interactivity.
public enum SlackForm {
    public static func parse(_ body: Data) -> [String: String] {
        parse(String(decoding: body, as: UTF8.self))
    }

    public static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map(decode), !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// `+` is a space and `%XY` a byte; a malformed escape, or bytes that are not UTF-8, leave the part
    /// as it came (what `removingPercentEncoding` did). Byte by byte: a tap's `payload` is a kilobyte of
    /// escaped JSON, and Foundation's replace-then-decode cost more than the JSON decoding after it.
    static func decode(_ part: Substring) -> String {
        let utf8 = part.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(part) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return String(part)
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? String(part)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Encodes fields the way Slack does (spaces as `+`), for tests and the fake.
    public static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        func escape(_ text: String) -> String {
            text.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
                .joined(separator: "+")
        }
        return fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
