import Foundation
import StewardCore

/// Turns Steward's plain-text messages into Block Kit payloads. Guarantees:
/// - every piece of text is mrkdwn-escaped (`&`, `<`, `>`), so nothing a calendar entry or an email
///   says can become a link, a mention or `@channel`; only the title is wrapped, in `*bold*`;
/// - the plain `text` fallback (notifications, screen readers) is always present and escaped too;
/// - the body is split into sections of at most 3,000 characters (Block Kit's limit), at line ends
///   where possible;
/// - buttons become one actions block: `primary` / `danger` styles kept, a `danger` button asks
///   for confirmation first, and both `action_id` and `value` carry the button token;
/// - an edit replaces *all* blocks, so a card without buttons loses its actions block;
/// - `.answerAction` renders nothing: Slack acknowledges a tap with the HTTP 200 itself.
public struct SlackRenderer: Sendable {
    public static let maxSectionLength = 3000
    public static let maxValueLength = 2000

    public enum RenderError: Error, Sendable, Equatable, CustomStringConvertible {
        case emptyMessage
        case buttonTokenTooLong(String)

        public var description: String {
            switch self {
            case .emptyMessage: "the message has no text"
            case .buttonTokenTooLong(let token): "button token over 255 bytes: \(token.prefix(80))"
            }
        }
    }

    /// What one delivery becomes on Slack.
    public enum Outgoing: Sendable, Equatable {
        case post(SlackPostMessageRequest)
        case update(SlackUpdateRequest)
    }

    public init() {}

    /// Escapes text for mrkdwn: the three characters Slack's own docs say to escape.
    public static func escape(_ text: String) -> String { text.escapingMarkupCharacters }

    /// The request for `delivery`, addressed to `channel` (a resolved channel id); nil for `.answerAction`.
    public func outgoing(for delivery: Delivery, channel: String) throws(RenderError) -> Outgoing? {
        switch delivery {
        case .send(_, let message): .post(try postMessage(channel: channel, message: message))
        case .edit(_, let ts, let message): .update(try update(channel: channel, ts: ts, message: message))
        case .answerAction: nil
        }
    }

    public func postMessage(channel: String, message: OutboundMessage) throws(RenderError) -> SlackPostMessageRequest {
        SlackPostMessageRequest(channel: channel, text: try fallback(message), blocks: try blocks(message))
    }

    /// An answer in place (a slash command's): ephemeral, so only the user who asked sees it.
    public func response(_ message: OutboundMessage) throws(RenderError) -> SlackResponseMessage {
        SlackResponseMessage(responseType: SlackResponseMessage.ephemeral, text: try fallback(message), blocks: try blocks(message))
    }

    public func update(channel: String, ts: String, message: OutboundMessage) throws(RenderError) -> SlackUpdateRequest {
        SlackUpdateRequest(channel: channel, ts: ts, text: try fallback(message), blocks: try blocks(message))
    }

    /// Sections for the title and text, then the actions block when there are buttons.
    public func blocks(_ message: OutboundMessage) throws(RenderError) -> [SlackBlock] {
        var lines: [String] = []
        if let title = message.title?.trimmingWhitespace(), !title.isEmpty {
            lines += title.split(separator: "\n", omittingEmptySubsequences: false)
                .map { Self.isBlank($0) ? "" : "*\(Self.escape(String($0)))*" }
        }
        if !message.text.isEmpty {
            lines += message.text.split(separator: "\n", omittingEmptySubsequences: false).map { Self.escape(String($0)) }
        }
        guard lines.contains(where: { !Self.isBlank($0) }) else { throw .emptyMessage }
        var blocks = sections(lines).map { SlackBlock.section(.mrkdwn($0)) }
        if !message.buttons.isEmpty {
            blocks.append(.actions(try message.buttons.map(button), blockID: "steward_actions"))
        }
        return blocks
    }

    func button(_ button: Button) throws(RenderError) -> SlackButton {
        // action_id is limited to 255 characters; tokens are ≤ 64 bytes by design, so this only guards.
        guard button.token.utf8.count <= 255 else { throw .buttonTokenTooLong(button.token) }
        let style: String? = switch button.style {
        case .primary: "primary"
        case .danger: "danger"
        case .normal: nil
        }
        // Slack asks before a destructive tap counts: the card's own question when the action can't be
        // undone, or a generic one on a danger-styled button.
        let confirm: SlackConfirm? = if let question = button.confirmation {
            SlackConfirm(title: .plain("Are you sure?"), text: .plain(String(question.prefix(300))),
                         confirm: .plain(button.title), deny: .plain("Cancel"), style: "danger")
        } else if button.style == .danger {
            SlackConfirm(title: .plain("Are you sure?"), text: .plain("\(button.title): this cannot be undone from here."),
                         confirm: .plain(button.title), deny: .plain("Cancel"), style: "danger")
        } else {
            nil
        }
        return SlackButton(text: .plain(String(button.title.prefix(75))), actionID: button.token, value: button.token,
                           style: style, confirm: confirm)
    }

    private func fallback(_ message: OutboundMessage) throws(RenderError) -> String {
        let text = message.plainText.trimmingWhitespace()
        guard !text.isEmpty else { throw .emptyMessage }
        return Self.escape(text)
    }

    /// Packs lines into chunks of at most `maxSectionLength` characters; a longer line is cut.
    /// The chunk's length is kept as it grows: `String.count` walks the whole string, and asking it of
    /// the growing chunk for every line made a long message quadratic.
    private func sections(_ lines: [String]) -> [String] {
        let limit = Self.maxSectionLength
        var chunks: [String] = []
        var current = ""
        var currentCount = 0
        for line in lines {
            var line = Substring(line)
            var lineCount = line.count
            while lineCount > limit {
                if !current.isEmpty { chunks.append(current); current = ""; currentCount = 0 }
                var cut = line.index(line.startIndex, offsetBy: limit)
                // Never cut inside an escape sequence such as `&amp;`.
                if let amp = line[line.index(cut, offsetBy: -5)..<cut].lastIndex(of: "&") { cut = amp }
                chunks.append(String(line[..<cut]))
                line = line[cut...]
                lineCount = line.count
            }
            if current.isEmpty {
                current = String(line)
                currentCount = lineCount
            } else if currentCount + 1 + lineCount > limit {
                chunks.append(current)
                current = String(line)
                currentCount = lineCount
            } else {
                current += "\n" + line
                currentCount += 1 + lineCount
            }
        }
        if !current.trimmingWhitespace().isEmpty { chunks.append(current) }
        return chunks
    }
    // Foundation's `trimmingCharacters(in:)` goes through NSString on Linux, and ran once per line of
    // every message (a long `/help` has dozens). `isBlank` asks of each Unicode scalar what `.whitespaces`
    // holds: category Zs and tab, and on Linux also U+200B, the zero-width space; lines are trimmed with
    // StewardCore's `trimmingWhitespace()` (`SlackRendererTrimmingTests` and `TrimmingWhitespaceTests` hold
    // both to Foundation).

    /// True when the line is empty or only `.whitespaces`.
    static func isBlank<S: StringProtocol>(_ line: S) -> Bool {
        line.unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }
}
