import Foundation
import GoogleWorkspace
import MailProvider
import StewardCore

/// Gmail for one of the owners' connected accounts. Bodies are never stored, so anything that needs a
/// mail's text (the planner's `mail_read`, a model-written reply, a reply's threading headers) fetches it.
struct GmailAccess: Sendable {
    let google: GoogleCalendars
    /// The connected accounts, and their owners' settings (a reply is written in the owner's zone).
    let store: any AccountRepository & UserRepository

    func client(for accountID: Int64) async throws -> (account: Account, client: GmailClient) {
        guard let account = try await store.allAccounts().first(where: { $0.id == accountID }), account.hasGmail else {
            throw CalendarError("the Gmail account of this mail is no longer connected")
        }
        return (account, GmailClient(api: try await google.connection(for: account).remote.client))
    }

    /// The mail as Gmail has it now, parsed (MIME decoded, HTML turned to text), with its thread id. A mail
    /// larger than `GmailTriage.rawSizeLimit` is read from its headers and Gmail's snippet, as triage does.
    func message(account accountID: Int64, id: String) async throws -> (message: MailMessage, threadID: String) {
        let gmail = try await client(for: accountID).client
        let metadata = try await gmail.metadata(id: id)
        if let size = metadata.sizeEstimate, size > GmailTriage.rawSizeLimit {
            return (GmailTriage.tooLarge(metadata), metadata.threadID)
        }
        let raw = try await gmail.rawMessage(id: id)
        return (MailParser.parse(raw.raw, id: raw.id, threadID: raw.threadID, labels: raw.labelIDs), raw.threadID)
    }
}
