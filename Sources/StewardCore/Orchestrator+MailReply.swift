import Foundation

/// The `mail_send_draft` tool's stored arguments: exactly the reply the card showed.
public struct MailReplyArguments: CalendarToolArguments {
    public static let toolName = "mail_send_draft"
    public var account: Int64
    /// The provider's id of the mail answered (Gmail message id).
    public var messageID: String
    public var to: String
    public var subject: String
    public var body: String
    /// The reply's own Message-ID, fixed when the card is made: a retry after a crash finds the reply
    /// already sent under it instead of sending another.
    public var replyMessageID: String

    /// A reply has nobody else to notify; the card offers no quiet variant.
    public var notify: Bool {
        get { false }
        set {}
    }

    private enum CodingKeys: String, CodingKey {
        case account, messageID, to, subject, body, replyMessageID
    }

    public init(account: Int64, messageID: String, to: String, subject: String, body: String, replyMessageID: String) {
        self.account = account
        self.messageID = messageID
        self.to = to
        self.subject = subject
        self.body = body
        self.replyMessageID = replyMessageID
    }
}

/// Sends approved replies (the app implements it with Gmail drafts).
public protocol MailSender: Sendable {
    /// Sends the reply once: when one was already sent under `replyMessageID`, nothing more goes out.
    /// Returns the outcome for the card.
    func sendReply(_ reply: MailReplyArguments) async throws -> String
    /// Takes the mail out of the inbox.
    func archive(account: Int64, messageID: String) async throws
}

extension IntentParser {
    /// "reply to 2 saying Sure", "reply to #2: Sure", "reply to 2 with Sure"; the text keeps its case.
    static func mailReply(_ text: String) -> Intent? {
        let pattern = #"^\s*reply\s+to\s+#?(\d{1,3})\s*(?:saying|with|that|:|-|,)?\s*(.*)$"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let numberRange = Range(match.range(at: 1), in: text), let number = Int(text[numberRange]),
              let bodyRange = Range(match.range(at: 2), in: text) else { return nil }
        let body = text[bodyRange].trimmingCharacters(in: .whitespacesAndNewlines)
        guard number >= 1 else { return .usage(message: "Mail numbers start at 1: see /inbox.") }
        guard !body.isEmpty else {
            return .usage(message: "What should the reply say? e.g. reply to \(number) saying Thanks, I'll send it tonight")
        }
        return .replyMail(number: number, text: body)
    }
}

extension Orchestrator {
    /// The mail `/inbox` numbers `number`, in the order it lists them.
    func inboxMail(numbered number: Int, of user: User.ID) async throws -> TriagedMail? {
        guard let mails = try await recentMail(of: user, since: now().addingTimeInterval(-86_400)) else { return nil }
        let ordered = Self.inboxOrder(mails)
        return ordered.indices.contains(number - 1) ? ordered[number - 1] : nil
    }

    /// `/inbox`'s order: by category, most important first, then newest first; spam is not numbered.
    static func inboxOrder(_ mails: [TriagedMail]) -> [TriagedMail] {
        MailCategory.allCases.sorted().filter { $0 != .spam }.flatMap { category in
            mails.filter { $0.category == category }.sorted { $0.receivedAt > $1.receivedAt }
        }
    }

    /// "reply to 2 saying …": a card with To, Subject and Body; nothing is sent before Approve.
    func requestReply(number: Int, text: String, event: InboundEvent, user: User, reply: inout Reply) async throws {
        guard mailSender != nil, let mail = try await inboxMail(numbered: number, of: user.id) else {
            reply.say(mailSender == nil ? "Mail isn't connected yet: send /connect gmail first."
                      : "There is no mail number \(number) in /inbox (the last 24 hours). Send /inbox to see the numbers.")
            return
        }
        try await requestReply(to: mail, text: text, event: event, user: user, reply: &reply)
    }

    /// A reply the planner drafted to the owner's mail `messageID` (from a `mail_search` it ran). The reply
    /// goes to that mail's sender whatever the model named, and waits for Approve like a typed one.
    func requestReply(toMessageID messageID: String, text: String, event: InboundEvent, user: User,
                      reply: inout Reply) async throws {
        guard let mail = try await plannedMail(messageID, of: user, reply: &reply, notFound:
            "I couldn't find the mail the assistant wanted to answer in the last 14 days, so nothing was drafted. "
            + "/inbox lists recent mail; \"reply to <n> saying …\" answers one.") else { return }
        try await requestReply(to: mail, text: text, event: event, user: user, reply: &reply)
    }

    /// Archiving one of the owner's mails the planner picked (from a `mail_search` it ran): a card naming the
    /// mail, and nothing moves before Approve.
    func requestArchive(messageID: String, event: InboundEvent, user: User, reply: inout Reply) async throws {
        guard let mail = try await plannedMail(messageID, of: user, reply: &reply, notFound:
            "I couldn't find the mail the assistant wanted to archive in the last 14 days, so nothing was archived. "
            + "/inbox lists recent mail.") else { return }
        let arguments = ArchiveMailArguments(account: mail.accountID, messageID: mail.messageID)
        let summary = "From: \(mail.from)\nSubject: \(mail.subject)\nIt leaves the inbox; nothing is deleted."
        try await requestApproval(arguments, id: approvalID(for: event), summary: summary, event: event, user: user,
                                  reply: &reply)
    }

    /// The owner's mail of the last 14 days that the planner named by id; nil, with `notFound` (or "connect
    /// mail first") said, when there is none: a model's id is never trusted further than that.
    private func plannedMail(_ messageID: String, of user: User, reply: inout Reply,
                             notFound: String) async throws -> TriagedMail? {
        let recent = try await recentMail(of: user.id, since: now().addingTimeInterval(-14 * 86_400))
        guard mailSender != nil, let recent else {
            reply.say("Mail isn't connected yet: send /connect gmail first.")
            return nil
        }
        guard let mail = recent.first(where: { $0.messageID == messageID }) else {
            reply.say(notFound)
            return nil
        }
        return mail
    }

    private func requestReply(to mail: TriagedMail, text: String, event: InboundEvent, user: User,
                              reply: inout Reply) async throws {
        let id = approvalID(for: event)
        let subject = mail.subject.lowercased().hasPrefix("re:") ? mail.subject : "Re: " + mail.subject
        let arguments = MailReplyArguments(account: mail.accountID, messageID: mail.messageID, to: mail.from,
                                           subject: subject, body: text, replyMessageID: "<steward-\(id)@steward.local>")
        let summary = "To: \(mail.from)\nSubject: \(subject)\n\n\(text)"
        try await requestApproval(arguments, id: id, summary: summary, event: event, user: user, reply: &reply)
    }
}
