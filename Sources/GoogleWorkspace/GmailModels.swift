import Foundation

/// A message as `messages.list`, `history.list`, `drafts.send` and `messages.modify` name it.
public struct GmailMessageRef: Sendable, Hashable, Codable {
    public var id: String
    public var threadId: String?
    /// Present in history records and in answers to `modify` and `drafts.send`.
    public var labelIds: [String]?

    public init(id: String, threadId: String? = nil, labelIds: [String]? = nil) {
        self.id = id
        self.threadId = threadId
        self.labelIds = labelIds
    }
}

/// One page of `messages.list`.
public struct GmailMessagePage: Sendable, Decodable {
    public var messages: [GmailMessageRef]
    public var nextPageToken: String?
    public var resultSizeEstimate: Int?

    enum CodingKeys: String, CodingKey { case messages, nextPageToken, resultSizeEstimate }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Gmail leaves `messages` out of an empty page.
        messages = try container.decodeIfPresent([GmailMessageRef].self, forKey: .messages) ?? []
        nextPageToken = try container.decodeIfPresent(String.self, forKey: .nextPageToken)
        resultSizeEstimate = try container.decodeIfPresent(Int.self, forKey: .resultSizeEstimate)
    }
}

/// One header line as Gmail shows it (RFC 2047 words already decoded by Gmail).
public struct GmailHeader: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
}

/// `messages.get` with `format=metadata`: labels, snippet and the headers triage needs, no body.
public struct GmailMessageMetadata: Sendable, Hashable {
    public var id: String
    public var threadID: String
    public var labelIDs: [String]
    /// Gmail's short plain-text excerpt of the body. Untrusted text.
    public var snippet: String
    public var historyID: String?
    /// When Gmail accepted the message (more reliable than the `Date` header).
    public var internalDate: Date?
    public var sizeEstimate: Int?
    public var headers: [GmailHeader]

    /// The first header named `name` (case-insensitive), e.g. `List-Unsubscribe`.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// `messages.get` with `format=raw`: the message exactly as received (RFC 822 bytes), for the MIME parser.
public struct GmailRawMessage: Sendable, Hashable {
    public var id: String
    public var threadID: String
    public var labelIDs: [String]
    public var historyID: String?
    public var internalDate: Date?
    public var raw: Data
}

/// `users.getProfile`.
public struct GmailProfile: Sendable, Hashable, Decodable {
    public var emailAddress: String
    /// Where incremental sync starts from.
    public var historyId: String
    public var messagesTotal: Int?
    public var threadsTotal: Int?
}

/// What `history.list` reported since a stored `historyId`, every page joined.
public struct GmailHistoryChanges: Sendable, Hashable {
    /// Messages added to the mailbox, oldest first, each once (drafts and sent mail included; filter
    /// by `labelIds`).
    public var addedMessages: [GmailMessageRef]
    /// The mailbox's current history id: store it for the next round.
    public var historyID: String
}

/// A draft: its stable id and the message it currently holds.
public struct GmailDraft: Sendable, Hashable, Codable {
    public var id: String
    public var message: GmailMessageRef
}

/// How `sendDraftOnce` ended: either way exactly one message went out.
public enum GmailSendOutcome: Sendable, Hashable {
    /// This call sent it.
    case sent(GmailMessageRef)
    /// An earlier attempt (whose answer was lost) sent it; this is the message found in Sent.
    case alreadySent(GmailMessageRef)

    public var message: GmailMessageRef {
        switch self {
        case .sent(let message), .alreadySent(let message): message
        }
    }
}

/// Gmail outcomes a caller must handle differently from other failures (those stay `GoogleError`).
public enum GmailError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `history.list` answered 404: the stored `historyId` is older than the history Gmail keeps.
    /// Resync: list recent mail again and store the profile's new `historyId`.
    case historyExpired
    /// `drafts.send` answered 404 and no sent message carries the draft's `Message-ID`: the draft was
    /// deleted or never existed; nothing was sent.
    case draftNotFound(String)

    public var description: String {
        switch self {
        case .historyExpired: "Gmail no longer has the mailbox history since the last check; a full resync is needed"
        case .draftNotFound(let id): "Gmail has no draft \(id) and no sent message from it; nothing was sent"
        }
    }
}

/// Gmail's wire shapes, decoded once and turned into the public values above.
struct GmailMessageResource: Decodable {
    struct Payload: Decodable {
        var headers: [GmailHeader]?
    }
    var id: String
    var threadId: String?
    var labelIds: [String]?
    var snippet: String?
    var historyId: String?
    var internalDate: String?
    var sizeEstimate: Int?
    var payload: Payload?
    var raw: String?

    var internalDateValue: Date? {
        internalDate.flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) }
    }
}

struct GmailHistoryPage: Decodable {
    struct Record: Decodable {
        struct Added: Decodable { var message: GmailMessageRef }
        var id: String?
        var messagesAdded: [Added]?
    }
    var history: [Record]?
    var historyId: String?
    var nextPageToken: String?
}
