import Foundation

extension Orchestrator {
    /// The user's triaged mail since `date`, or nil when no account reads mail.
    func recentMail(of userID: User.ID, since date: Date) async throws -> [TriagedMail]? {
        guard let mail else { return nil }
        let accounts = try await calendars.calendars(of: userID).map(\.account)
            .filter { $0.kind == "google" && $0.options["mail"] == "on" }
        guard !accounts.isEmpty else { return nil }
        return try await mail.triagedMail(accountIDs: accounts.map(\.id), since: date)
    }

    /// Grouped by category, most important first, with counts; spam only counted. Sender and subject
    /// are data from strangers: shown as text, never followed.
    static func inboxText(_ mails: [TriagedMail]) -> String {
        guard !mails.isEmpty else { return "No new mail." }
        var blocks: [String] = []
        for category in MailCategory.allCases.sorted() {
            let group = mails.filter { $0.category == category }
            guard !group.isEmpty else { continue }
            let name = Self.categoryName(category)
            if category == .spam {
                blocks.append("\(name): \(group.count)")
                continue
            }
            let lines = group.prefix(8).map { "• \($0.from) — \($0.subject)" }
            let more = group.count > 8 ? ["… and \(group.count - 8) more"] : []
            blocks.append("\(name) (\(group.count))\n" + (lines + more).joined(separator: "\n"))
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
