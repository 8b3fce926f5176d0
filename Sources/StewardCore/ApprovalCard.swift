import Foundation

/// One card the owner decides on. Each choice that does something is its own stored request (its own
/// exact payload and hash) tied to the card, so the button tokens stay `s1:<approval-id>:<a|r>` while
/// the card, not a guessed id, says which requests belong together. Deciding one retires the others.
public struct ApprovalCard: Hashable, Sendable {
    /// What a button on a card does, in the order cards show them.
    public enum Choice: String, Codable, Sendable, CaseIterable {
        case approve
        case approveQuietly = "approve-quietly"
        case edit
        /// Not a request of its own: the "r" token of the card's `approve` request.
        case reject
        case draftReply = "draft-reply", archive, mute
        case notUrgent = "not-urgent"
        /// Let a newcomer in (a pairing card); its reject reads "Deny".
        case allow
        /// A plan card's "Review one by one" (a card per step) and "Show all" (every line of the plan).
        case review, showAll = "show-all"

        /// The button's words.
        public var title: String {
            switch self {
            case .approve: "Approve"
            case .approveQuietly: "Approve, don't notify"
            case .edit: "Edit"
            case .reject: "Reject"
            case .draftReply: "Draft reply"
            case .archive: "Archive"
            case .mute: "Mute sender"
            case .notUrgent: "Not urgent"
            case .allow: "Allow"
            case .review: "Review one by one"
            case .showAll: "Show all"
            }
        }

        /// The choices whose request is what the card is about: the one listed in /approvals, taken by a
        /// typed "approve", and the one whose expiry edits the card.
        public var leadsCard: Bool { self == .approve || self == .draftReply }
    }

    /// A choice and the stored request its button decides.
    public struct Option: Hashable, Sendable {
        public var choice: Choice
        public var approvalID: String

        public init(choice: Choice, approvalID: String) {
            self.choice = choice
            self.approvalID = approvalID
        }

        public var token: ButtonToken { ButtonToken(approvalID: approvalID, approve: choice != .reject) }
    }

    public var id: String
    public var userID: User.ID
    /// Where the card was sent.
    public var chat: ChatRef
    /// The card's choices in the order it shows them; `reject` follows the others when there is an `approve`.
    public var options: [Option]
    /// The platform's id of the card's message, recorded by the outbox when it sent the card.
    public var messageID: String?
    public var createdAt: Date

    public init(id: String, userID: User.ID, chat: ChatRef, options: [Option], messageID: String? = nil,
                createdAt: Date) {
        self.id = id
        self.userID = userID
        self.chat = chat
        self.options = options
        self.messageID = messageID
        self.createdAt = createdAt
    }

    /// The card holding `requests` (each with its `choice` set), its options in card order.
    public init(id: String, userID: User.ID, chat: ChatRef, requests: [ApprovalRequest], messageID: String? = nil,
                createdAt: Date) {
        var options = requests.compactMap { request in request.choice.map { Option(choice: $0, approvalID: request.id) } }
        if let approve = options.first(where: { $0.choice == .approve || $0.choice == .allow }) {
            options.append(Option(choice: .reject, approvalID: approve.approvalID))
        }
        // Reject (or Deny) comes last on every card.
        var order = Dictionary(uniqueKeysWithValues: Choice.allCases.enumerated().map { ($1, $0) })
        order[.reject] = Choice.allCases.count
        options.sort { order[$0.choice, default: 0] < order[$1.choice, default: 0] }
        self.init(id: id, userID: userID, chat: chat, options: options, messageID: messageID, createdAt: createdAt)
    }

    /// The request behind `choice`, if the card offers it.
    public func approvalID(for choice: Choice) -> String? {
        options.first { $0.choice == choice }?.approvalID
    }

    /// The card's buttons. `confirmation` goes on the buttons that carry the change out.
    public func buttons(confirmation: String? = nil) -> [Button] {
        options.map { option in
            let style: Button.Style = switch option.choice {
            case .approve, .draftReply, .allow: .primary
            case .reject: .danger
            default: .normal
            }
            let confirms = option.choice == .approve || option.choice == .approveQuietly
            let denies = option.choice == .reject && options.first?.choice == .allow
            return Button(title: denies ? "Deny" : option.choice.title, token: option.token.text, style: style,
                          confirmation: confirms ? confirmation : nil)
        }
    }

    /// The id of a card's second and later requests: derived from the card and the choice, so storing the
    /// same card again (the same event handled twice) finds the same requests. Hex like every other id.
    public static func choiceID(card: String, choice: Choice, digest: (Data) -> String) -> String {
        String(digest(Data("card-choice|\(card)|\(choice.rawValue)".utf8)).prefix(12))
    }
}

/// What the outbox notes once the platform has taken a delivery, in the same write that marks it sent.
public enum AfterSend: Hashable, Sendable {
    /// The delivery shows approval card `cardID`: the platform's message id goes on the card's record.
    case recordCardMessage(cardID: String)
}

/// What deciding one of a card's choices did to the others.
public enum SiblingRetirement: Equatable, Sendable {
    /// The other pending choices were retired; `count` of them (0 when there were none).
    case retired(count: Int)
    /// Another choice on the card was already taken; the one being decided was retired too.
    case otherTaken
}
