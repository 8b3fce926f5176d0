import Foundation

/// A chat platform Steward can live on, by name. An open set: an adapter declares its own
/// (`extension Platform { static let irc = Platform("irc") }`), so a new platform needs no change to Core,
/// which decides from a platform's declared capabilities (`ChannelCapabilities`), never from its name.
public struct Platform: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// A name read from outside (configuration, a stored row, `platform:id`): lowercase letters, digits and
    /// `-`, starting with a letter, at most 32 characters; nil otherwise. Whether this build runs that
    /// platform is the composition root's question.
    public init?(rawValue: String) {
        guard let first = rawValue.unicodeScalars.first, ("a"..."z").contains(first), rawValue.utf8.count <= 32,
              rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        self.rawValue = rawValue
    }

    /// A platform's declaration by its adapter (a name known to be well formed).
    public init(_ name: StaticString) {
        rawValue = "\(name)"
    }

    public var description: String { rawValue }
}

/// The registration of the built-in platform kinds: the one place Core names them.
extension Platform {
    public static let telegram = Platform("telegram")
    public static let slack = Platform("slack")
    public static let matrix = Platform("matrix")
    public static let console = Platform("console")
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
