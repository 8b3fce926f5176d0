import Foundation

/// Edit on a reply card: the tap asks for the corrected text; the owner's next message becomes a new draft
/// on a new card, and the old card and its draft are retired. The state lives in the stored requests (the
/// Edit request is marked as waiting), so a restart between the tap and the text loses nothing.
extension Orchestrator {
    /// How long after an Edit tap the next message is taken as the corrected text.
    static let editWindow: TimeInterval = 30 * 60

    /// An Edit tap: marks the reply as waiting for its corrected text; returns the tap's short answer.
    func startEditing(_ edit: ApprovalRequest, reply: inout Reply) async throws -> String {
        let replyID = try await storedCard(of: edit)?.approvalID(for: .approve)
        guard let replyID, let original = try await approvals.approval(id: replyID), original.state == .pending,
              now() < original.expiresAt else {
            return "This reply was already decided, so it can't be edited."
        }
        let moved = try await approvals.transition(id: edit.id, from: .pending, to: .rejected, at: now(),
                                                   outcome: EditReplyArguments.waitingForText)
        // A second tap while waiting asks again; a retired Edit (the reply was decided) is caught above.
        guard moved || edit.outcome == EditReplyArguments.waitingForText else {
            return "This reply was already decided, so it can't be edited."
        }
        reply.sayPrivately(OutboundMessage(text: "Send me the corrected reply as your next message, and I'll show it on "
                                           + "a new card. Until then nothing is sent."), key: "reply-edit:\(edit.id)")
        return "Send the corrected text."
    }

    /// The owner's message after an Edit tap: a new draft and card with `text`; true when it was taken.
    func takeCorrectedReply(_ text: String, event: InboundEvent, user: User, reply: inout Reply) async throws -> Bool {
        // One read per message; an owner with no reply waiting (most messages) goes on to the parser.
        let waiting = try await approvals.pending(of: user.id)
            .filter { $0.toolName == MailReplyArguments.toolName && now() < $0.expiresAt }
            .sorted { $0.createdAt > $1.createdAt }
        guard !waiting.isEmpty else { return false }
        // Handled before (a restart replays the message): the card it made is waiting; show it again.
        let id = approvalID(for: event)
        if let made = waiting.first(where: { $0.id == id }) {
            try await gate.showAgain(made, reply: &reply)
            return true
        }
        for original in waiting {
            guard let editID = try await storedCard(of: original)?.approvalID(for: .edit),
                  let edit = try await approvals.approval(id: editID), edit.state == .rejected,
                  edit.outcome == EditReplyArguments.waitingForText,
                  let tapped = edit.decidedAt, now().timeIntervalSince(tapped) < Self.editWindow else { continue }
            // Retiring the old request first means one corrected text makes one new card, even if sent twice.
            guard try await approvals.transition(id: original.id, from: .pending, to: .rejected, at: now(),
                                                 outcome: "Replaced by your corrected reply") else { return false }
            let previous = try JSONDecoder().decode(MailReplyArguments.self, from: original.payload)
            let outcome = "Replaced by your corrected reply below." + (await discardDraft(of: original))
            try await audit.record(AuditEntry(at: now(), actor: event.sender.description, action: original.toolName,
                                              payloadHash: original.payloadHash, outcome: "edited",
                                              detail: "approval \(original.id)"))
            if let messageID = original.cardMessageID {
                reply.append(.edit(chat: original.cardChat, messageID: messageID, message: OutboundMessage(
                    title: Self.cardTitle(for: original), text: original.summary + "\n\n" + outcome)),
                             key: "approval-outcome:\(original.id)")
            }
            var corrected = previous
            corrected.body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // The recipients stay as the card showed them (with any copies); only the text changes.
            try await requestReply(corrected, replyAll: false, event: event, user: user, reply: &reply)
            return true
        }
        return false
    }

    /// The model asked to send a draft: only the owner's Approve sends one, so the reply card waiting for it
    /// is shown again (the one whose draft or request the model named, else the newest); nothing is sent.
    func showWaitingReply(draftID: String, user: User, reply: inout Reply) async throws {
        let waiting = try await approvals.pending(of: user.id)
            .filter { $0.toolName == MailReplyArguments.toolName && now() < $0.expiresAt }
            .sorted { $0.createdAt > $1.createdAt }
        let named = waiting.first { request in
            request.id == draftID
                || (try? JSONDecoder().decode(MailReplyArguments.self, from: request.payload))?.draftID == draftID
        }
        guard let card = named ?? waiting.first else {
            return reply.say("No reply is waiting to be sent, so nothing was sent. Ask for a reply first "
                             + "(\"reply to <n> saying …\"); it is sent from its card's Approve button.")
        }
        reply.say("Replies are sent only from their card: here is the one waiting for your Approve.")
        // A copy under this message's own key (the first card's key is taken): either copy's buttons work.
        reply.sayPrivately(Self.card(for: card, on: try await storedCard(of: card)))
    }

    /// Deletes a rejected, expired or replaced reply's draft; returns what the card should add about it.
    func discardDraft(of request: ApprovalRequest) async -> String {
        // A fact waiting on its card is forgotten with it (rejected or expired).
        if request.toolName == SaveFactArguments.toolName { return await forgetPendingFact(request) }
        guard request.toolName == MailReplyArguments.toolName, let mailSender,
              let draft = try? JSONDecoder().decode(MailReplyArguments.self, from: request.payload),
              draft.draftID != nil else { return "" }
        do {
            try await mailSender.discardReply(draft)
            return " The draft was deleted."
        } catch {
            return " The draft couldn't be deleted (\(error)); it is still in your Drafts, unsent."
        }
    }
}
