import Foundation

/// The states an approval moves through. Only these transitions exist:
/// pending → approved → executed | failed, and pending → rejected | expired.
public enum ApprovalState: String, Codable, Sendable, CaseIterable {
    case pending, approved, executed, failed, rejected, expired

    public var isFinal: Bool { self == .executed || self == .failed || self == .rejected || self == .expired }

    public func canMove(to next: ApprovalState) -> Bool {
        switch (self, next) {
        case (.pending, .approved), (.pending, .rejected), (.pending, .expired),
             (.approved, .executed), (.approved, .failed):
            true
        default:
            false
        }
    }
}

/// A risky action waiting for its owner's tap. Stored before its card is sent; executes at most once.
public struct ApprovalRequest: Hashable, Codable, Sendable {
    public var id: String
    public var userID: User.ID
    /// The tool to run, e.g. `calendar_create_event`.
    public var toolName: String
    /// The exact JSON arguments that will be executed.
    public var payload: Data
    /// SHA-256 (hex) of `payload`; checked again right before execution.
    public var payloadHash: String
    /// What the card says will happen.
    public var summary: String
    public var state: ApprovalState
    public var createdAt: Date
    public var expiresAt: Date
    public var decidedAt: Date?
    /// The chat the card was sent to and the card's platform message id once the outbox sent it (read
    /// from the card's record).
    public var cardChat: ChatRef
    public var cardMessageID: String?
    /// The `ApprovalCard` this request is a choice on, and which choice; nil for a request stored alone.
    public var cardID: String?
    public var choice: ApprovalCard.Choice?
    /// What happened, shown on the edited card ("Added to Work calendar", the error).
    public var outcome: String?

    public init(id: String, userID: User.ID, toolName: String, payload: Data, payloadHash: String,
                summary: String, state: ApprovalState = .pending, createdAt: Date, expiresAt: Date,
                decidedAt: Date? = nil, cardChat: ChatRef, cardMessageID: String? = nil, outcome: String? = nil,
                cardID: String? = nil, choice: ApprovalCard.Choice? = nil) {
        self.cardID = cardID
        self.choice = choice
        self.id = id
        self.userID = userID
        self.toolName = toolName
        self.payload = payload
        self.payloadHash = payloadHash
        self.summary = summary
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.decidedAt = decidedAt
        self.cardChat = cardChat
        self.cardMessageID = cardMessageID
        self.outcome = outcome
    }
}

/// A button token `s1:<approval-id>:<a|r>`: versioned so the format can change, and at most 64 bytes
/// (the smallest button payload limit of the platforms).
public struct ButtonToken: Hashable, Sendable {
    public static let version = "s1"
    public static let maximumBytes = 64

    public var approvalID: String
    public var approve: Bool

    public init(approvalID: String, approve: Bool) {
        self.approvalID = approvalID
        self.approve = approve
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.utf8.count <= Self.maximumBytes, parts.count == 3, parts[0] == Self.version,
              !parts[1].isEmpty, parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        else { return nil }
        switch parts[2] {
        case "a": approve = true
        case "r": approve = false
        default: return nil
        }
        approvalID = String(parts[1])
    }

    public var text: String { "\(Self.version):\(approvalID):\(approve ? "a" : "r")" }
}
