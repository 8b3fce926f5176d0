import Foundation

/// A chat platform Steward can live on.
public enum Platform: String, Codable, Sendable, CaseIterable {
    case telegram, slack, matrix, console
}

/// Who sent something: a platform plus that platform's stable user id.
/// Written `<platform>:123456` in configuration and on the command line.
public struct ChatIdentity: Hashable, Codable, Sendable, CustomStringConvertible {
    public var platform: Platform
    public var userID: String

    public init(platform: Platform, userID: String) {
        self.platform = platform
        self.userID = userID
    }

    /// Parses `platform:id`; nil when the platform is unknown or the id is empty.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":"),
              let platform = Platform(rawValue: trimmed[..<colon].lowercased())
        else { return nil }
        let id = String(trimmed[trimmed.index(after: colon)...])
        guard !id.isEmpty, !id.contains(where: \.isWhitespace) else { return nil }
        self.init(platform: platform, userID: id)
    }

    public var description: String { "\(platform.rawValue):\(userID)" }
}

/// Where to answer: a chat (DM or group) on one platform.
public struct ChatRef: Hashable, Codable, Sendable, CustomStringConvertible {
    public var platform: Platform
    public var chatID: String
    /// A one-to-one chat with the user (a private chat, an IM, a DM, the console).
    public var isPrivate: Bool

    public init(platform: Platform, chatID: String, isPrivate: Bool) {
        self.platform = platform
        self.chatID = chatID
        self.isPrivate = isPrivate
    }

    public var description: String { "\(platform.rawValue):\(chatID)" }
}

/// A person known to Steward. Several chat identities may belong to one user.
public struct User: Hashable, Codable, Sendable {
    public typealias ID = Int64
    public var id: ID
    public var displayName: String
    public var role: Role

    public enum Role: String, Codable, Sendable {
        /// Full rights, including `steward` administration from chat.
        case owner
        /// May use the assistant for their own calendars and mail.
        case member
    }

    public init(id: ID, displayName: String, role: Role) {
        self.id = id
        self.displayName = displayName
        self.role = role
    }
}
