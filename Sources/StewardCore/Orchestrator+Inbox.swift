import Foundation

extension Orchestrator {
    /// The user's triaged mail since `date`, or nil when no account reads mail.
    func recentMail(of userID: User.ID, since date: Date) async throws -> [TriagedMail]? {
        guard let mail else { return nil }
        let accounts = try await calendars.calendars(of: userID).map(\.account)
            .filter(\.readsMail)
        guard !accounts.isEmpty else { return nil }
        return try await mail.triagedMail(accountIDs: accounts.map(\.id), since: date)
    }

    /// Grouped by category, most important first, with counts; spam only counted. Sender and subject
    /// are data from strangers: shown as text, never followed.
    static func inboxText(_ mails: [TriagedMail]) -> String {
        guard !mails.isEmpty else { return "No new mail." }
        // Numbers follow `inboxOrder`, so "reply to 2" finds the mail listed as 2.
        let ordered = inboxOrder(mails)
        var blocks: [String] = []
        for category in MailCategory.allCases.sorted() where category != .spam {
            let group = ordered.enumerated().filter { $0.element.category == category }
            guard !group.isEmpty else { continue }
            let lines = group.prefix(8).map { "\($0.offset + 1). \($0.element.from) — \($0.element.subject)" }
            let more = group.count > 8 ? ["… and \(group.count - 8) more"] : []
            blocks.append("\(Self.categoryName(category)) (\(group.count))\n" + (lines + more).joined(separator: "\n"))
        }
        let spam = mails.filter { $0.category == .spam }.count
        if spam > 0 { blocks.append("\(Self.categoryName(.spam)): \(spam)") }
        if ordered.contains(where: { $0.category != .spam }) {
            blocks.append("Reply with: reply to <number> saying …")
        }
        return blocks.joined(separator: "\n\n")
    }

    static func categoryName(_ category: MailCategory) -> String {
        switch category {
        case .urgent: "Urgent"
        case .needsReply: "Needs a reply"
        case .fyi: "For your information"
        case .canWait: "Can wait"
        case .spam: "Spam"
        }
    }
}
