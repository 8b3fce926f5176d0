import Foundation

/// The `mail_send_draft` tool's stored arguments: exactly the reply the card showed.
public struct MailReplyArguments: CalendarToolArguments {
    public static let toolName = "mail_send_draft"
    public var account: Int64
    /// The provider's id of the mail answered (its message id).
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
    var cardText: String { cardText(newAddresses: []) }

    /// The card's text, each recipient whose address is in `newAddresses` (normalized) marked "(new address)".
    func cardText(newAddresses: Set<String>) -> String {
        func marked(_ recipient: String) -> String {
            newAddresses.contains(Self.address(of: recipient)) ? recipient + " (new address)" : recipient
        }
        let cc = cc.isEmpty ? "nobody" : self.cc.map(marked).joined(separator: ", ")
        return "To: \(toRecipients.map(marked).joined(separator: ", "))\nCc: \(cc)\nSubject: \(subject)\n\n\(body)"
    }

    /// `to` one recipient each: a new mail lists several, separated by commas; a reply has one (whose name
    /// may hold a comma).
    var toRecipients: [String] {
        guard isNewMail else { return [to] }
        return to.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The bare address of "Name <address>" or "address", normalized.
    static func address(of recipient: String) -> String {
        var text = Substring(recipient)
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = text[text.index(after: open)..<close]
        }
        return MailAddress.normalize(text.trimmingCharacters(in: .whitespaces))
    }
}

/// Approve found the draft in the mailbox changed since the card was shown (the owner, or anyone with access
/// to the mailbox, edited it): nothing was sent. `now` is the reply as the draft says it now.
public struct MailDraftChanged: Error, Sendable, CustomStringConvertible {
    public var now: MailReplyArguments
    /// Where the draft is kept, as users know it (the sender's `mailbox`).
    public var mailbox: String

    public init(now: MailReplyArguments, mailbox: String = "your mailbox") {
        self.now = now
        self.mailbox = mailbox
    }

    public var description: String {
        "the draft in \(mailbox) was changed after the card was shown, so it no longer says what you approved"
    }
}

/// Sends approved replies (the app implements it with its mail provider's drafts).
public protocol MailSender: Sendable {
    /// Where drafts are kept, as users know it ("the draft in … was changed"); by default "your mailbox".
    var mailbox: String { get }
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
    /// The reply as its draft says it now when that differs from `reply` in To, Cc, Subject or body; nil
    /// when it says the same or there is no draft to read.
    func changedDraft(of reply: MailReplyArguments) async throws -> MailReplyArguments?
}

extension MailSender {
    public var mailbox: String { "your mailbox" }
    public func changedDraft(of reply: MailReplyArguments) async throws -> MailReplyArguments? { nil }
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
