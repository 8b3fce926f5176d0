import Foundation

extension IntentParser {
    /// "reply to 2 saying Sure", "reply to #2: Sure", "reply to 2 with Sure", "reply all to 2 …"; the
    /// text keeps its case.
    static func mailReply(_ text: String) -> Intent? {
        let pattern = #"^\s*reply\s+(all\s+)?to\s+#?(\d{1,3})\s*(?:saying|with|that|:|-|,)?\s*(.*)$"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let numberRange = Range(match.range(at: 2), in: text), let number = Int(text[numberRange]),
              let bodyRange = Range(match.range(at: 3), in: text) else { return nil }
        let all = match.range(at: 1).location != NSNotFound
        let body = text[bodyRange].trimmingCharacters(in: .whitespacesAndNewlines)
        guard number >= 1 else { return .usage(message: "Mail numbers start at 1: see /inbox.") }
        // No text: the model writes one when configured; otherwise the orchestrator asks for it.
        return .replyMail(number: number, text: body, all: all)
    }
}

extension Orchestrator {
    /// The mail `/inbox` numbers `number`, in the order it lists them.
    func inboxMail(numbered number: Int, of user: User.ID) async throws -> TriagedMail? {
        guard let mails = try await recentMail(of: user, since: now().addingTimeInterval(-86_400)) else { return nil }
        let ordered = Self.inboxOrder(mails)
        return ordered.indices.contains(number - 1) ? ordered[number - 1] : nil
    }

    /// Said when a reply needs mail and none is connected: how to add it, when some registered kind adds mail
    /// from chat.
    var mailNotConnected: String {
        "Mail isn't connected yet" + (accountKinds.fromChat(for: .mail).map { ": send /connect \($0.name) first" } ?? "") + "."
    }

    /// `/inbox`'s order: by category, most important first, then newest first; spam is not numbered.
    static func inboxOrder(_ mails: [TriagedMail]) -> [TriagedMail] {
        MailCategory.allCases.sorted().filter { $0 != .spam }.flatMap { category in
            mails.filter { $0.category == category }.sorted { $0.receivedAt > $1.receivedAt }
        }
    }

    /// "reply to 2 saying …": a draft, then a card with To, Cc, Subject and Body; nothing is sent before Approve.
    /// "reply to 2" alone: the reply writer (the model) drafts the text, if there is one.
    func requestReply(number: Int, text: String, all: Bool, event: InboundEvent, user: User,
                      reply: inout Reply) async throws {
        guard mailSender != nil, let mail = try await inboxMail(numbered: number, of: user.id) else {
            reply.say(mailSender == nil ? mailNotConnected
                      : "There is no mail number \(number) in /inbox (the last 24 hours). Send /inbox to see the numbers.")
            return
        }
        var body = text
        if body.isEmpty, let replyWriter { body = await replyWriter.replyText(to: mail, owner: user) ?? "" }
        guard !body.isEmpty else {
            return reply.say("What should the reply say? e.g. reply to \(number) saying Thanks, I'll send it tonight")
        }
        try await requestReply(Self.reply(to: mail, text: body), replyAll: all, event: event, user: user, reply: &reply)
    }

    /// A reply to the owner's mail `messageID` — drafted by the planner (from a `mail_search` it ran), or
    /// offered by an alert's Draft reply (`text` nil: the reply writer's text, or the template). The reply
    /// goes to that mail's sender whatever the model named, and waits for Approve like a typed one.
    func requestReply(toMessageID messageID: String, text: String?, event: InboundEvent, user: User,
                      reply: inout Reply) async throws {
        guard let mail = try await plannedMail(messageID, of: user, reply: &reply, notFound:
            "I couldn't find the mail the assistant wanted to answer in the last 14 days, so nothing was drafted. "
            + "/inbox lists recent mail; \"reply to <n> saying …\" answers one.") else { return }
        var body = text
        if body == nil, let replyWriter { body = await replyWriter.replyText(to: mail, owner: user) }
        try await requestReply(Self.reply(to: mail, text: body ?? DraftReplyOfferArguments.template), replyAll: false,
                               event: event, user: user, reply: &reply)
    }

    /// A new mail the planner drafted, from the owner's first account with mail, to the addresses it named (the
    /// card shows them): a draft, then the card; nothing is sent before Approve.
    func requestNewMail(_ mail: ProposedMail, event: InboundEvent, user: User, reply: inout Reply) async throws {
        let account = try await calendars.calendars(of: user.id).map(\.account).first(where: \.readsMail)
        guard mailSender != nil, let account else { return reply.say(mailNotConnected) }
        let draft = MailReplyArguments(account: account.id, messageID: "", to: mail.to.joined(separator: ", "),
                                       subject: mail.subject, body: mail.body, replyMessageID: "")
        try await requestReply(draft, replyAll: false, event: event, user: user, reply: &reply)
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
            reply.say(mailNotConnected)
            return nil
        }
        guard let mail = recent.first(where: { $0.messageID == messageID }) else {
            reply.say(notFound)
            return nil
        }
        return mail
    }

    /// The reply to `mail` saying `text`, before it has a draft or its own Message-ID.
    static func reply(to mail: TriagedMail, text: String) -> MailReplyArguments {
        let subject = mail.subject.lowercased().hasPrefix("re:") ? mail.subject : "Re: " + mail.subject
        return MailReplyArguments(account: mail.accountID, messageID: mail.messageID, to: mail.from, subject: subject,
                                  body: text, replyMessageID: "")
    }

    /// Writes the draft, then shows the card for exactly that draft (with Approve, Edit and Reject).
    func requestReply(_ draft: MailReplyArguments, replyAll: Bool, event: InboundEvent, user: User,
                      reply: inout Reply) async throws {
        let id = approvalID(for: event)
        // The same message handled again (a restart before it was marked done) shows the card it made,
        // rather than writing a second draft.
        if let stored = try await approvals.approval(id: id), stored.toolName == MailReplyArguments.toolName {
            return try await gate.showAgain(stored, reply: &reply)
        }
        guard let mailSender else { return reply.say(mailNotConnected) }
        var arguments = draft
        arguments.replyMessageID = "<steward-\(id)@steward.local>"
        arguments.draftID = nil
        do {
            arguments = try await mailSender.draftReply(arguments, replyAll: replyAll)
        } catch {
            return reply.say("I couldn't write the draft in your mailbox (\(error)), so nothing was sent and there is "
                             + "nothing to approve. Please try again in a minute.")
        }
        // A reply's copies come from the mail answered, so only its own recipients can be new to the owner.
        let seen = arguments.isNewMail ? [] : Set(arguments.cc.map(MailReplyArguments.address(of:)))
        let text = arguments.cardText(newAddresses: await newAddresses(in: arguments, besides: seen))
        try await showReplyCard(arguments, id: id, summary: text, event: event, user: user, reply: &reply)
    }

    /// The reply card (Approve, Edit, Reject) for a draft already written.
    private func showReplyCard(_ arguments: MailReplyArguments, id: String, summary: String, event: InboundEvent,
                               user: User, reply: inout Reply) async throws {
        try await requestApproval(arguments, id: id, summary: summary, event: event, user: user, reply: &reply)
    }

    /// The recipients of `arguments` (normalized addresses) that never wrote to the owner: not a sender of
    /// any mail triaged for the account, nor in `known`. Recipients aren't stored, so a sender is what
    /// "appears in the owner's mail" can mean here.
    func newAddresses(in arguments: MailReplyArguments, besides known: Set<String> = []) async -> Set<String> {
        let recipients = Set((arguments.toRecipients + arguments.cc).map(MailReplyArguments.address(of:)))
            .subtracting(known)
        guard !recipients.isEmpty, let mail else { return [] }
        let senders = Set(((try? await mail.triagedMail(accountIDs: [arguments.account], since: .distantPast)) ?? [])
            .map { MailReplyArguments.address(of: $0.from) })
        return recipients.subtracting(senders)
    }

    /// After Approve of a reply failed because its draft had been changed in the mailbox: a new card with
    /// what the draft says now (new addresses marked), so what is sent is always what was last approved.
    func offerChangedDraft(after request: ApprovalRequest, event: InboundEvent, user: User,
                           reply: inout Reply) async throws {
        guard request.toolName == MailReplyArguments.toolName, let mailSender,
              let stored = try await approvals.approval(id: request.id), stored.state == .failed,
              let approved = try? JSONDecoder().decode(MailReplyArguments.self, from: stored.payload),
              let now = try? await mailSender.changedDraft(of: approved) else { return }
        let seen = Set((approved.toRecipients + approved.cc).map(MailReplyArguments.address(of:)))
        let summary = "The draft in \(mailSender.mailbox) was changed after you saw it, so nothing was sent. It now says:\n\n"
            + now.cardText(newAddresses: await newAddresses(in: now, besides: seen))
        try await showReplyCard(now, id: approvalID(for: event), summary: summary, event: event, user: user, reply: &reply)
    }
}
