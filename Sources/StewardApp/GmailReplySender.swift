import Foundation
import GoogleWorkspace
import MailProvider
import StewardCore
import StewardStorage

/// Sends an approved reply through Gmail: a draft in the original thread, then `drafts.send`.
///
/// Exactly once: the reply's Message-ID was fixed when the card was made, so before writing anything
/// the Sent folder is searched for it (a crash after sending, or a lost answer, leaves it there), and
/// `sendDraftOnce` recognises a draft that was sent although its answer never arrived.
struct GmailReplySender: MailSender {
    let google: GoogleCalendars
    let store: SQLiteStore

    private func gmail(for accountID: Int64) async throws -> (account: Account, client: GmailClient) {
        guard let account = try await store.allAccounts().first(where: { $0.id == accountID }),
              account.hasGmail else {
            throw CalendarError("the Gmail account of this mail is no longer connected")
        }
        return (account, GmailClient(api: try await google.connection(for: account).remote.client))
    }

    /// Archiving twice is harmless: the INBOX label is simply gone already.
    func archive(account: Int64, messageID: String) async throws {
        _ = try await gmail(for: account).client.archive(id: messageID)
    }

    func sendReply(_ reply: MailReplyArguments) async throws -> String {
        let (account, gmail) = try await gmail(for: reply.account)
        if try await gmail.sentMessage(withMessageID: reply.replyMessageID) != nil {
            return "✓ Sent to \(reply.to)."
        }
        let original = try await gmail.rawMessage(id: reply.messageID)
        // The provider id is passed as nil so the parser keeps the Message-ID header as the id.
        let headers = MailParser.parse(original.raw)
        let originalID = headers.id.isEmpty || headers.id.hasPrefix("<") ? headers.id : "<\(headers.id)>"
        let recipient = MailAddressParser.parseOne(Substring(reply.to))
        let builder = GmailMessageBuilder.reply(
            from: GmailAddress(email: account.options["email"] ?? account.label),
            to: [GmailAddress(name: recipient?.name.isEmpty == false ? recipient?.name : nil,
                              email: recipient?.address ?? reply.to)],
            originalSubject: headers.subject, originalMessageID: originalID.isEmpty ? nil : originalID,
            originalReferences: nil, body: reply.body)
        let message = builder.build(messageID: reply.replyMessageID)
        let draft = try await gmail.createDraft(raw: message.raw, threadID: original.threadID)
        _ = try await gmail.sendDraftOnce(id: draft.id, messageID: reply.replyMessageID)
        return "✓ Sent to \(reply.to)."
    }
}
