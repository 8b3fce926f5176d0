import Foundation
import StewardCore

/// Turns a typed line into an `InboundEvent`: `/name args` is a command; anything else is free text. A bare
/// number stays text: the orchestrator answers it with that choice of the user's most recent card that is
/// still waiting (this terminal's last card may be decided, expired, or from before a restart).
public struct ConsoleNormalizer: Sendable {
    public let identity: ChatIdentity
    /// Distinguishes this run's events from an earlier run's in the inbound log.
    public let runID: String

    public init(identity: ChatIdentity, runID: String = UUID().uuidString.prefix(8).lowercased()) {
        self.identity = identity
        self.runID = runID
    }

    public var chat: ChatRef { ChatRef(platform: .console, chatID: identity.userID, isPrivate: true) }

    public func event(for line: String, number: Int, at date: Date) -> InboundEvent? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        let kind: InboundEvent.Kind
        if text.hasPrefix("/") || text.hasPrefix("!") {
            let body = text.dropFirst()
            let name = body.prefix { !$0.isWhitespace }
            let arguments = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
            kind = .command(name: name.lowercased(), arguments: arguments)
        } else {
            kind = .message(text)
        }
        return InboundEvent(id: "console:\(runID):\(number)", sender: identity, senderName: identity.userID,
                            chat: chat, kind: kind, receivedAt: date)
    }
}

/// Renders deliveries as terminal text; a card's buttons become numbered choices.
public enum ConsoleRenderer {
    public static func render(_ delivery: Delivery) -> String {
        switch delivery {
        case .send(_, let message):
            return text(of: message)
        case .edit(_, _, let message):
            return text(of: message)
        case .answerAction(_, _, let notice):
            return notice
        }
    }

    static func text(of message: OutboundMessage) -> String {
        var lines = [message.plainText]
        if !message.buttons.isEmpty {
            let choices = message.buttons.enumerated().map { "[\($0.offset + 1)] \($0.element.title)" }
            lines.append(choices.joined(separator: "  ") + "   (type the number, or approve / reject)")
        }
        return lines.joined(separator: "\n")
    }
}
