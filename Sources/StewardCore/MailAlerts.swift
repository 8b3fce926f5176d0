import Foundation

/// An urgent mail's alert: the mail's sender, subject and why it is urgent, with four buttons — Draft
/// reply, Archive, Mute sender, Not urgent. Each button is its own stored approval request (`s1:<id>:a`,
/// as DESIGN's tokens require), created with the alert and tied to the owner; tapping one retires the
/// others, so an alert leads to at most one action, and only the owner's tap counts.
public enum MailAlerts {
    /// Button ids: the alert's 12-hex base plus one of these letters (never hex, never `q`).
    static let reply: Character = "r", archive: Character = "x", mute: Character = "m", notUrgent: Character = "n"
    static let suffixes: [Character] = [reply, archive, mute, notUrgent]

    /// How long an alert's buttons work.
    public static let lifetime: TimeInterval = 7 * 86_400

    public static func text(for mail: TriagedMail) -> String {
        "From: \(mail.from)\nSubject: \(mail.subject)\nWhy: \(mail.reason)"
    }

    /// Stores the three requests (again for the same mail: the same ids, nothing new) and returns the card.
    public static func card(for mail: TriagedMail, user: User.ID, chat: ChatRef, approvals: any ApprovalRepository,
                            digest: @Sendable (Data) -> String, now: Date) async throws -> OutboundMessage {
        let base = String(digest(Data("mail-alert|\(mail.accountID)|\(mail.messageID)".utf8)).prefix(12))
        let summary = text(for: mail)
        let sender = MailAddress.normalize(address(of: mail.from))
        let payloads: [(Character, String, Data)] = [
            (reply, DraftReplyOfferArguments.toolName,
             try DraftReplyOfferArguments(account: mail.accountID, messageID: mail.messageID).encoded()),
            (archive, ArchiveMailArguments.toolName,
             try ArchiveMailArguments(account: mail.accountID, messageID: mail.messageID).encoded()),
            (mute, MuteSenderArguments.toolName, try MuteSenderArguments(sender: sender).encoded()),
            (notUrgent, NotUrgentSenderArguments.toolName, try NotUrgentSenderArguments(sender: sender).encoded()),
        ]
        for (suffix, tool, payload) in payloads {
            _ = try await approvals.insert(ApprovalRequest(
                id: base + String(suffix), userID: user, toolName: tool, payload: payload, payloadHash: digest(payload),
                summary: summary, createdAt: now, expiresAt: now.addingTimeInterval(lifetime), cardChat: chat))
        }
        return OutboundMessage(title: "Urgent mail", text: summary, buttons: [
            Button(title: "Draft reply", token: ButtonToken(approvalID: base + String(reply), approve: true).text, style: .primary),
            Button(title: "Archive", token: ButtonToken(approvalID: base + String(archive), approve: true).text),
            Button(title: "Mute sender", token: ButtonToken(approvalID: base + String(mute), approve: true).text),
            Button(title: "Not urgent", token: ButtonToken(approvalID: base + String(notUrgent), approve: true).text),
        ])
    }

    /// True for an alert's button requests: they are decided on the alert only, never by a typed
    /// "approve" or in `/approvals`.
    static func isAlertAction(_ request: ApprovalRequest) -> Bool { !siblingIDs(of: request.id).isEmpty }

    /// The other buttons of the alert `id` belongs to; empty for any other request.
    static func siblingIDs(of id: String) -> [String] {
        guard id.count == 13, let last = id.last, suffixes.contains(last) else { return [] }
        return suffixes.filter { $0 != last }.map { String(id.dropLast()) + String($0) }
    }

    /// The address inside "Name <a@b>", or the text itself.
    static func address(of from: String) -> String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }
}

/// "Archive" on an alert: take the mail out of the inbox (Gmail: remove the INBOX label).
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
