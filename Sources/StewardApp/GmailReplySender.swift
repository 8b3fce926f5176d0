import Foundation
import GoogleWorkspace
import MailProvider
import StewardCore
import StewardStorage

/// Replies through Gmail drafts: the draft is written in the original's thread before the card is shown,
/// `drafts.send` sends it on Approve, `drafts.delete` removes it on Reject, expiry or a corrected text.
///
/// Exactly once: the reply's Message-ID was fixed when the card was made, so before sending the Sent
/// folder is searched for it (a crash after sending, or a lost answer, leaves it there), and
/// `sendDraftOnce` recognises a draft that was sent although its answer never arrived.
struct GmailReplySender: MailSender {
    let gmail: GmailAccess
    /// Core says "the draft in Gmail was changed" with this.
    var mailbox: String { "Gmail" }

    /// Archiving twice is harmless: the INBOX label is simply gone already.
    func archive(account: Int64, messageID: String) async throws {
        _ = try await gmail.client(for: account).client.archive(id: messageID)
    }

    func draftReply(_ reply: MailReplyArguments, replyAll: Bool) async throws -> MailReplyArguments {
        let (account, gmail) = try await self.gmail.client(for: reply.account)
        var reply = reply
        if reply.isNewMail {
            reply.draftID = try await gmail.createDraft(raw: Self.newMessage(reply, account: account).raw).id
            return reply
        }
        // Threading and "reply all" need only headers: no need to download a mail (maybe 40 MB) whole.
        let original = try await gmail.metadata(id: reply.messageID, headers: ["From", "To", "Cc", "Subject", "Message-ID"])
        var parsed = GmailTriage.message(from: original)
        parsed.id = original.header("Message-ID")?.trimmingCharacters(in: .whitespaces) ?? ""
        if replyAll {
            reply.cc = Self.copies(of: parsed, answering: reply.to, owner: Self.ownAddress(account))
        }
        let draft = try await gmail.createDraft(raw: Self.message(reply, answering: parsed, account: account).raw,
                                                threadID: original.threadID)
        reply.draftID = draft.id
        return reply
    }

    func sendReply(_ reply: MailReplyArguments) async throws -> String {
        let (_, gmail) = try await self.gmail.client(for: reply.account)
        let done = "✓ Sent to \(([reply.to] + reply.cc).joined(separator: ", "))."
        if try await gmail.sentMessage(withMessageID: reply.replyMessageID) != nil { return done }
        // A request stored before replies were drafted first has no draft yet: write it now.
        var draftID = reply.draftID
        if draftID == nil { draftID = try await draftReply(reply, replyAll: false).draftID }
        // What's approved is what's sent: a draft changed in Gmail since the card is not sent.
        else if let changed = try await changedDraft(of: reply) { throw MailDraftChanged(now: changed, mailbox: mailbox) }
        do {
            _ = try await gmail.sendDraftOnce(id: draftID ?? "", messageID: reply.replyMessageID)
        } catch GmailError.draftNotFound {
            throw CalendarError("the draft was deleted in Gmail, so nothing was sent; ask for the reply again")
        }
        return done
    }

    func changedDraft(of reply: MailReplyArguments) async throws -> MailReplyArguments? {
        guard let draftID = reply.draftID else { return nil }
        let held: GmailRawMessage
        do {
            held = try await gmail.client(for: reply.account).client.draftMessage(id: draftID)
        } catch let error as GoogleError where error == .notFound {
            return nil  // gone: sending finds out whether it went out already or was deleted
        }
        // Parsed without a provider id, so the message's id is its Message-ID header.
        let parsed = MailParser.parse(held.raw)
        var now = reply
        now.to = parsed.to.map(\.description).joined(separator: ", ")
        now.cc = parsed.cc.map(\.description)
        now.subject = parsed.subject
        now.body = parsed.body
        if !parsed.id.isEmpty { now.replyMessageID = parsed.id.hasPrefix("<") ? parsed.id : "<\(parsed.id)>" }
        return Self.sameContent(now, reply) ? nil : now
    }

    /// Same recipients (by address, in any order), subject and text (line ends and trailing blanks aside).
    static func sameContent(_ one: MailReplyArguments, _ other: MailReplyArguments) -> Bool {
        func addresses(_ mail: MailReplyArguments) -> (to: Set<String>, cc: Set<String>) {
            (Set(MailAddressParser.parseList(mail.to).map(\.normalized)),
             Set(mail.cc.flatMap { MailAddressParser.parseList($0) }.map(\.normalized)))
        }
        func text(_ body: String) -> String {
            body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.replacing(/[ \t]+$/, with: "") }.joined(separator: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let (a, b) = (addresses(one), addresses(other))
        return a.to == b.to && a.cc == b.cc && one.subject.trimmingCharacters(in: .whitespaces)
            == other.subject.trimmingCharacters(in: .whitespaces) && text(one.body) == text(other.body)
    }

    func discardReply(_ reply: MailReplyArguments) async throws {
        guard let draftID = reply.draftID else { return }
        do {
            try await gmail.client(for: reply.account).client.deleteDraft(id: draftID)
        } catch let error as GoogleError where error == .notFound {
            // Already gone (deleted in Gmail, or by an earlier try): that is what was wanted.
        }
    }

    /// The RFC 822 reply: threaded under the original (In-Reply-To, References, "Re:" subject).
    static func message(_ reply: MailReplyArguments, answering original: MailMessage,
                        account: Account) -> GmailOutgoingMessage {
        let originalID = original.id.isEmpty || original.id.hasPrefix("<") ? original.id : "<\(original.id)>"
        func address(_ text: String) -> GmailAddress {
            let parsed = MailAddressParser.parseOne(Substring(text))
            return GmailAddress(name: parsed?.name.isEmpty == false ? parsed?.name : nil, email: parsed?.address ?? text)
        }
        let builder = GmailMessageBuilder.reply(
            from: GmailAddress(email: ownAddress(account)), to: [address(reply.to)], cc: reply.cc.map(address),
            originalSubject: original.subject, originalMessageID: originalID.isEmpty ? nil : originalID,
            originalReferences: nil, body: reply.body)
        return builder.build(messageID: reply.replyMessageID)
    }

    /// A mail of its own to everyone in `to` (a comma-separated list of addresses).
    static func newMessage(_ mail: MailReplyArguments, account: Account) -> GmailOutgoingMessage {
        let recipients = mail.to.split(separator: ",").map { GmailAddress(email: $0.trimmingCharacters(in: .whitespaces)) }
        return GmailMessageBuilder(from: GmailAddress(email: ownAddress(account)), to: recipients,
                                   cc: mail.cc.map { GmailAddress(email: $0) }, subject: mail.subject, body: mail.body)
            .build(messageID: mail.replyMessageID)
    }

    static func ownAddress(_ account: Account) -> String { account.options["email"] ?? account.label }

    /// "Reply all": everyone else the mail went to, once each, without the owner and the person answered.
    static func copies(of original: MailMessage, answering to: String, owner: String) -> [String] {
        let answered = MailAddress.normalize(MailAddressParser.parseOne(Substring(to))?.address ?? to)
        var seen: Set<String> = [MailAddress.normalize(owner), answered]
        return (original.to + original.cc).filter { seen.insert($0.normalized).inserted }.map(\.description)
    }
}
