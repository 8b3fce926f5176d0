import Foundation
import StewardCore

/// Turns what Slack sends into Steward's `InboundEvent`, or nil when it is not for Steward.
///
/// Rules (pure, no I/O):
/// - Event ids are stable across Slack's retries and Socket Mode redeliveries, so duplicates drop:
///   `slack:event:<event_id>`, `slack:command:<trigger_id>`, `slack:action:<trigger_id>`.
/// - A `message` in a DM (`channel_type: im`) is a message; messages elsewhere are left to
///   `app_mention`, which is a message with the mention removed. Command words in the text are the
///   core parser's business.
/// - The bot's own messages, other bots' (`bot_id`), and every `subtype`d message (edits, deletions,
///   joins, `bot_message`) yield nil: answering an edit would run the same request twice.
/// - `/steward free 30m tomorrow` and `/free 30m tomorrow` are both `.command(name: "free", …)`;
///   `/steward` followed by something that is no command is a message; `/steward` alone is `help`.
///   A slash command's `response_url` becomes the event's `replyRoute`.
/// - A `block_actions` button tap is `.action(token: value)`, carrying the card's `ts` as
///   `sourceMessageID`.
/// - Slack's text markup is undone: `&amp; &lt; &gt;` are decoded, `<mailto:a@x.com|a@x.com>` becomes
///   `a@x.com`, `<https://x|label>` becomes the URL, `<@U1>` stays `@U1`.
/// - A chat is private when its id starts with `D` (a DM) or Slack says `im`.
public struct SlackNormalizer: Sendable {
    /// The bot's own user id (`auth.test` → `user_id`).
    public let botUserID: String
    /// The slash command that takes a command word first (`/steward`).
    public let umbrellaCommand: String

    public init(botUserID: String, umbrellaCommand: String = "steward") {
        self.botUserID = botUserID
        self.umbrellaCommand = umbrellaCommand.hasPrefix("/") ? String(umbrellaCommand.dropFirst()).lowercased() : umbrellaCommand.lowercased()
    }

    // MARK: Events API

    public func normalize(_ envelope: SlackEventEnvelope, receivedAt: Date = Date()) -> InboundEvent? {
        guard envelope.type == "event_callback", let eventID = envelope.eventID, !eventID.isEmpty,
              let event = envelope.event, event.subtype == nil, event.botID == nil,
              let user = event.user, !user.isEmpty, user != botUserID,
              let channel = event.channel, !channel.isEmpty, let raw = event.text
        else { return nil }
        let text: String
        switch event.type {
        case "message":
            guard event.channelType == "im" else { return nil }
            text = Self.plainText(raw)
        case "app_mention":
            text = Self.plainText(strippingMention(from: raw))
        default:
            return nil
        }
        guard !text.isEmpty else { return nil }
        return InboundEvent(id: "slack:event:\(eventID)", sender: ChatIdentity(platform: .slack, userID: user),
                            chat: Self.chat(channel, channelType: event.channelType), kind: .message(text),
                            receivedAt: receivedAt)
    }

    // MARK: Slash commands

    public func normalize(_ command: SlackSlashCommand, receivedAt: Date = Date()) -> InboundEvent? {
        let invoked = command.command.trimmingCharacters(in: .whitespaces).drop { $0 == "/" }.lowercased()
        let text = Self.plainText(command.text)
        let kind: InboundEvent.Kind
        if invoked == umbrellaCommand {
            let word = text.prefix { !$0.isWhitespace }
            let rest = text[word.endIndex...].trimmingWhitespace()
            let name = word.drop { $0 == "/" || $0 == "!" }.lowercased()
            if name.isEmpty {
                kind = .command(name: "help", arguments: "")
            } else if ChatCommand.named(name) != nil {
                kind = .command(name: name, arguments: rest)
            } else {
                kind = .message(text)
            }
        } else {
            guard !invoked.isEmpty else { return nil }
            kind = .command(name: invoked, arguments: text)
        }
        // trigger_id is unique per invocation; without one, the user and text are the best we have.
        let key = command.triggerID ?? "\(command.userID):\(command.channelID):\(command.command):\(command.text)"
        // Answers go back through response_url: it works in channels the bot never joined, and only the
        // sender sees them.
        let route = command.responseURL.flatMap { $0.isEmpty ? nil : $0 }
        return InboundEvent(id: "slack:command:\(key)", sender: ChatIdentity(platform: .slack, userID: command.userID),
                            senderName: command.userName, chat: Self.chat(command.channelID, channelType: nil),
                            kind: kind, receivedAt: receivedAt, replyRoute: route)
    }

    // MARK: Interactivity

    /// A button tap; nil for other interactions, taps by bots, or actions without a value.
    public func normalize(_ interaction: SlackInteraction, receivedAt: Date = Date()) -> InboundEvent? {
        guard interaction.type == "block_actions", let user = interaction.user, user.id != botUserID,
              let action = interaction.actions?.first, let token = action.value, !token.isEmpty,
              let channel = interaction.channel?.id ?? interaction.container?.channelID
        else { return nil }
        guard let key = interaction.triggerID ?? action.actionTS.map({ "\(user.id):\($0)" }) else { return nil }
        let messageTS = interaction.container?.messageTS ?? interaction.message?.ts
        return InboundEvent(id: "slack:action:\(key)", sender: ChatIdentity(platform: .slack, userID: user.id),
                            senderName: user.name ?? user.username, chat: Self.chat(channel, channelType: nil),
                            kind: .action(token: token), receivedAt: receivedAt, sourceMessageID: messageTS)
    }

    // MARK: Helpers

    static func chat(_ channel: String, channelType: String?) -> ChatRef {
        ChatRef(platform: .slack, chatID: channel, isPrivate: channel.hasPrefix("D") || channelType == "im")
    }

    /// The text without `<@BOT>` / `<@BOT|name>`, spaces collapsed.
    func strippingMention(from text: String) -> String {
        let text = text.replacingOccurrences(of: "<@\(botUserID)>", with: " ")
        // One pass for `<@BOT|name>`: searching again from the start after each replacement made a message
        // full of mentions quadratic.
        let named = "<@\(botUserID)|"
        var result = ""
        var position = text.startIndex
        while let start = text.range(of: named, range: position..<text.endIndex),
              let end = text[start.upperBound...].firstIndex(of: ">") {
            result += text[position..<start.lowerBound] + " "
            position = text.index(after: end)
        }
        result += text[position...]
        return result.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").trimmingWhitespace()
    }

    /// Undoes Slack's message formatting (see the type's rules).
    public static func plainText(_ text: String) -> String {
        // Most messages carry no markup at all: nothing to undo, and the three replacements below are
        // Foundation searches over the whole text.
        let bytes = text.utf8
        if !bytes.contains(UInt8(ascii: "<")) && !bytes.contains(UInt8(ascii: "&")) {
            return text.trimmingWhitespace()
        }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            result += rest[..<open]
            let inner = rest[rest.index(after: open)..<close]
            let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let target = parts.first.map(String.init) ?? ""
            let label = parts.count > 1 ? String(parts[1]) : nil
            if target.hasPrefix("@") || target.hasPrefix("#") {
                result += label.map { target.prefix(1) + $0 } ?? target
            } else if target.hasPrefix("!") {
                result += "@" + (label ?? String(target.dropFirst()))
            } else if target.hasPrefix("mailto:") {
                result += label ?? String(target.dropFirst("mailto:".count))
            } else {
                result += target
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&").trimmingWhitespace()
    }
}
