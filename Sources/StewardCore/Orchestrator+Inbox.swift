import Foundation

extension Orchestrator {
    /// Mail actions, with only their own dependencies.
    var inbox: InboxHandler { InboxHandler(calendars: calendars, mail: mail, kinds: accountKinds, now: now) }

    /// The user's triaged mail since `date`, or nil when no account reads mail.
    func recentMail(of userID: User.ID, since date: Date) async throws -> [TriagedMail]? {
        try await inbox.recentMail(of: userID, since: date)
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

/// Mail actions: `/inbox`, and the triaged mail the digest and replies are built from. Reads the triage log
/// of the user's accounts that have mail on; sends nothing (replies go through the approval gate).
struct InboxHandler: Sendable {
    let calendars: any CalendarDirectory
    /// Nil when mail isn't set up on this server.
    let mail: (any TriageLog)?
    let kinds: AccountKinds
    let now: @Sendable () -> Date

    /// The user's triaged mail since `date`, or nil when no account reads mail.
    func recentMail(of userID: User.ID, since date: Date) async throws -> [TriagedMail]? {
        guard let mail else { return nil }
        let accounts = try await calendars.calendars(of: userID).map(\.account)
            .filter(\.readsMail)
        guard !accounts.isEmpty else { return nil }
        return try await mail.triagedMail(accountIDs: accounts.map(\.id), since: date)
    }

    /// `/inbox`: the last day's mail by category, or how to connect mail.
    func answer(user: User, reply: inout Reply) async throws {
        if let mails = try await recentMail(of: user.id, since: now().addingTimeInterval(-86_400)) {
            reply.sayPrivately(OutboundMessage(title: "Mail, last 24 hours", text: Orchestrator.inboxText(mails)))
        } else {
            reply.say(notConnected)
        }
    }

    /// What `/inbox` says without a mail account: how to add one, when some kind adds mail from chat.
    private var notConnected: String {
        guard let kind = kinds.fromChat(for: .mail) else { return "Mail isn't connected yet." }
        return "Mail isn't connected yet: send /connect \(kind.name)"
            + (kind.addsTo.map { " to add it to your \($0) account" } ?? "") + "."
    }
}
