import Foundation
import GoogleWorkspace
import MailProvider
import StewardCore

/// The threads a no-reply follow-up watches, in the owner's connected Gmail accounts. Only headers are
/// read (`format=metadata`), a few messages at a time: search for mail from and to the person, take the
/// newest message's thread.
struct FollowUpGmail: FollowUpMail {
    let gmail: GmailAccess

    /// Messages looked at per search: the newest few are enough to find the latest thread.
    static let searchLimit = 10

    private func mailboxes(of user: User.ID) async throws -> [Account] {
        try await gmail.store.accounts(of: user).filter { $0.hasGmail && $0.status == "ok" }
    }

    func hasMailbox(_ user: User.ID) async throws -> Bool { try await !mailboxes(of: user).isEmpty }

    func lastThread(with person: String, of user: User.ID, at now: Date) async throws -> FollowUpThread? {
        guard let term = Self.searchTerm(person) else { return nil }
        var newest: (account: Account, message: GmailMessageMetadata, seen: [GmailMessageMetadata])?
        for account in try await mailboxes(of: user) {
            let client = try await gmail.client(for: account.id).client
            var refs: [GmailMessageRef] = []
            for query in ["from:\(term)", "to:\(term)"] {
                refs += try await client.listMessages(query: query, maxResults: Self.searchLimit).messages
            }
            var seen: [String: GmailMessageMetadata] = [:]
            for ref in refs where seen[ref.id] == nil {
                seen[ref.id] = try await client.metadata(id: ref.id, headers: ["From", "To", "Subject"])
            }
            let messages = Array(seen.values)
            guard let latest = messages.max(by: { ($0.internalDate ?? .distantPast) < ($1.internalDate ?? .distantPast) })
            else { continue }
            if newest.map({ ($0.message.internalDate ?? .distantPast) < (latest.internalDate ?? .distantPast) }) ?? true {
                newest = (account, latest, messages)
            }
        }
        guard let (account, latest, seen) = newest else { return nil }
        let thread = seen.filter { $0.threadID == latest.threadID }
            .sorted { ($0.internalDate ?? .distantPast) < ($1.internalDate ?? .distantPast) }
        let owner = MailAddress.normalize(GmailReplySender.ownAddress(account))
        let isOwners = { (message: GmailMessageMetadata) in
            message.labelIDs.contains("SENT") || GmailTriage.message(from: message).from.normalized == owner
        }
        let lastOwn = thread.last(where: isOwners)
        // The person: the sender of their own mail in the thread, or whom the owner wrote to.
        let needle = term.lowercased()
        let theirs = thread.last { !isOwners($0) }.map { GmailTriage.message(from: $0).from }
        let addressed = thread.compactMap { message -> MailAddress? in
            GmailTriage.message(from: message).to.first {
                $0.address.lowercased().contains(needle) || $0.name.lowercased().contains(needle)
            }
        }.last
        guard let address = theirs ?? addressed ?? GmailTriage.message(from: latest).to.first else { return nil }
        let subject = latest.header("Subject") ?? ""
        return FollowUpThread(accountID: account.id, threadID: latest.threadID, personAddress: address.address,
                              personName: address.name, subject: subject,
                              lastMessageID: (lastOwn ?? latest).id, since: lastOwn?.internalDate ?? now)
    }

    func replied(in thread: FollowUpThread, of user: User.ID) async throws -> Bool {
        guard let term = Self.searchTerm(thread.personAddress) else { return false }
        let client = try await gmail.client(for: thread.accountID).client
        let refs = try await client.listMessages(query: "from:\(term)", maxResults: 20).messages
        for ref in refs where ref.threadId == nil || ref.threadId == thread.threadID {
            let message = try await client.metadata(id: ref.id, headers: ["From"])
            if message.threadID == thread.threadID, !message.labelIDs.contains("SENT"),
               (message.internalDate ?? .distantPast) > thread.since {
                return true
            }
        }
        return false
    }

    /// A name or address as one Gmail search value: letters, digits and `@ . _ + -` only (a person's
    /// words are never passed on as search operators); a name of several words is quoted.
    static func searchTerm(_ person: String) -> String? {
        let words = person.split(whereSeparator: \.isWhitespace).map { word in
            String(word.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0)
                || "@._+-".unicodeScalars.contains($0) })
        }.filter { !$0.isEmpty }.prefix(4)
        guard !words.isEmpty else { return nil }
        return words.count == 1 ? words.first! : "\"\(words.joined(separator: " "))\""
    }
}
