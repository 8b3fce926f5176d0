import Foundation

/// The `mail_send_draft` tool's stored arguments: exactly the reply the card showed.
public struct MailReplyArguments: CalendarToolArguments {
    public static let toolName = "mail_send_draft"
    public var account: Int64
    /// The provider's id of the mail answered (Gmail message id).
    public var messageID: String
    public var to: String
    /// Everyone else who gets a copy ("reply all": the original's other recipients, the owner left out).
    public var cc: [String]
    public var subject: String
    public var body: String
    /// The reply's own Message-ID, fixed when the card is made: a retry after a crash finds the reply
    /// already sent under it instead of sending another.
    public var replyMessageID: String
    /// The provider's draft holding exactly this reply, written before the card is shown: Approve sends
    /// it, Reject (or expiry, or an edit) deletes it. Nil in requests stored before drafts came first.
    public var draftID: String?

    /// A reply has nobody else to notify; the card offers no quiet variant.
    public var notify: Bool {
        get { false }
        set {}
    }

    private enum CodingKeys: String, CodingKey {
        case account, messageID, to, cc, subject, body, replyMessageID, draftID
    }

    public init(account: Int64, messageID: String, to: String, cc: [String] = [], subject: String, body: String,
                replyMessageID: String, draftID: String? = nil) {
        self.account = account
        self.messageID = messageID
        self.to = to
        self.cc = cc
        self.subject = subject
        self.body = body
        self.replyMessageID = replyMessageID
        self.draftID = draftID
    }

    /// Requests stored by earlier versions have no `cc` and no `draftID`; they still decode (and hash as stored).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        account = try container.decode(Int64.self, forKey: .account)
        messageID = try container.decode(String.self, forKey: .messageID)
        to = try container.decode(String.self, forKey: .to)
        cc = try container.decodeIfPresent([String].self, forKey: .cc) ?? []
        subject = try container.decode(String.self, forKey: .subject)
        body = try container.decode(String.self, forKey: .body)
        replyMessageID = try container.decode(String.self, forKey: .replyMessageID)
        draftID = try container.decodeIfPresent(String.self, forKey: .draftID)
    }

    /// A mail of its own, not an answer to one (`messageID` is empty); `to` may list several addresses.
    public var isNewMail: Bool { messageID.isEmpty }

    /// What the card shows: every line that decides where the mail goes and what it says.
    var cardText: String {
        "To: \(to)\nCc: \(cc.isEmpty ? "nobody" : cc.joined(separator: ", "))\nSubject: \(subject)\n\n\(body)"
    }
}

/// Sends approved replies (the app implements it with Gmail drafts).
public protocol MailSender: Sendable {
    /// Writes `reply` as a draft in the original's thread — nothing is sent — and returns it with the
    /// draft's id and its final recipients (with `replyAll`, the original's other recipients in `cc`).
    func draftReply(_ reply: MailReplyArguments, replyAll: Bool) async throws -> MailReplyArguments
    /// Sends the reply once: when one was already sent under `replyMessageID`, nothing more goes out.
    /// Returns the outcome for the card.
    func sendReply(_ reply: MailReplyArguments) async throws -> String
    /// Deletes the reply's draft (Reject, expiry, a corrected text); a draft already gone is no error.
    func discardReply(_ reply: MailReplyArguments) async throws
    /// Takes the mail out of the inbox.
    func archive(account: Int64, messageID: String) async throws
}

/// Writes the text of a reply for the owner to check on the card (the app asks the configured model).
public protocol ReplyWriter: Sendable {
    /// A short reply to `mail`, or nil when none could be written (the template is used instead).
    func replyText(to mail: TriagedMail, owner: User) async -> String?
}

/// "Edit" on a reply card: the owner's next message becomes the reply's new text, on a new card.
/// Stored beside the reply request (its id plus `w`) so the button has a token of the documented form.
public struct EditReplyArguments: CalendarToolArguments {
    public static let toolName = "mail_edit_reply"
    /// The reply request the corrected text replaces.
    public var replyApprovalID: String
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case replyApprovalID }
}

extension EditReplyArguments {
    /// The Edit request's outcome while Steward waits for the corrected text.
    static let waitingForText = "Waiting for the corrected text"
}
