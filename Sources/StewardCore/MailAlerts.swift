import Foundation

/// An urgent mail's alert: the mail's sender, subject and why it is urgent, with four buttons — Draft
/// reply, Archive, Mute sender, Not urgent. Each button is its own stored approval request (`s1:<id>:a`,
/// as DESIGN's tokens require) on one `ApprovalCard`, created with the alert and tied to the owner; tapping
/// one retires the others, so an alert leads to at most one action, and only the owner's tap counts.
public enum MailAlerts {
    /// The alert's choices, in the order its buttons show them.
    static let choices: [ApprovalCard.Choice] = [.draftReply, .archive, .mute, .notUrgent]

    /// How long an alert's buttons work.
    public static let lifetime: TimeInterval = 7 * 86_400

    public static func text(for mail: TriagedMail) -> String {
        "From: \(mail.from)\nSubject: \(mail.subject)\nWhy: \(mail.reason)"
    }

    /// Stores the card and its four requests (again for the same mail: the same ids, nothing new) and
    /// returns the card's message.
    public static func card(for mail: TriagedMail, user: User.ID, chat: ChatRef, approvals: any ApprovalRepository,
                            digest: @Sendable (Data) -> String, now: Date) async throws -> OutboundMessage {
        let base = String(digest(Data("mail-alert|\(mail.accountID)|\(mail.messageID)".utf8)).prefix(12))
        let summary = text(for: mail)
        let sender = MailAddress.normalize(address(of: mail.from))
        let payloads: [(ApprovalCard.Choice, String, Data)] = [
            (.draftReply, DraftReplyOfferArguments.toolName,
             try DraftReplyOfferArguments(account: mail.accountID, messageID: mail.messageID).encoded()),
            (.archive, ArchiveMailArguments.toolName,
             try ArchiveMailArguments(account: mail.accountID, messageID: mail.messageID).encoded()),
            (.mute, MuteSenderArguments.toolName, try MuteSenderArguments(sender: sender).encoded()),
            (.notUrgent, NotUrgentSenderArguments.toolName, try NotUrgentSenderArguments(sender: sender).encoded()),
        ]
        let requests = payloads.map { choice, tool, payload in
            ApprovalRequest(
                id: ApprovalCard.choiceID(card: base, choice: choice, digest: digest), userID: user, toolName: tool,
                payload: payload, payloadHash: digest(payload), summary: summary, createdAt: now,
                expiresAt: now.addingTimeInterval(lifetime), cardChat: chat, cardID: base, choice: choice)
        }
        let card = ApprovalCard(id: base, userID: user, chat: chat, requests: requests, createdAt: now)
        let stored = try await approvals.insert(card: card, requests: requests)
        return OutboundMessage(title: "Urgent mail", text: summary, buttons: ApprovalCard(
            id: base, userID: user, chat: chat, requests: stored, createdAt: now).buttons())
    }

    /// True for an alert's button requests: they are decided on the alert only, never by a typed
    /// "approve" or in `/approvals`.
    static func isAlertAction(_ request: ApprovalRequest) -> Bool { request.choice.map(choices.contains) ?? false }

    /// The address inside "Name <a@b>", or the text itself.
    static func address(of from: String) -> String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }
}

/// "Archive" on an alert: take the mail out of the inbox (for a labelled mailbox: remove its inbox label).
public struct ArchiveMailArguments: CalendarToolArguments {
    public static let toolName = "mail_archive"
    public var account: Int64
    public var messageID: String
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case account, messageID }
}

/// "Mute sender" on an alert: `/settings mute add <sender>`, so their mail is never urgent again.
public struct MuteSenderArguments: CalendarToolArguments {
    public static let toolName = "mail_mute_sender"
    public var sender: String
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case sender }
}

/// "Not urgent" on an alert: `/settings noturgent add <sender>`, so their mail is listed but never alerted.
public struct NotUrgentSenderArguments: CalendarToolArguments {
    public static let toolName = "mail_not_urgent_sender"
    public var sender: String
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case sender }
}

/// "Draft reply" on an alert: a reply card with a short template, which waits for its own Approve.
public struct DraftReplyOfferArguments: CalendarToolArguments {
    public static let toolName = "mail_draft_offer"
    public var account: Int64
    public var messageID: String
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case account, messageID }

    public static let template = "Thanks for your message. I've seen it and will get back to you soon."
}
