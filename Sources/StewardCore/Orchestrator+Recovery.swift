import Foundation

extension Orchestrator {
    /// How long an approval holds across a restart. Past it, the world the user approved in may have
    /// moved on (the slot taken, the mail answered), so Steward asks again rather than act on an old "yes".
    public static let resumeWindow: TimeInterval = 10 * 60

    /// After a crash between "approved" and "executed": a request approved in the last `resumeWindow` is
    /// finished (idempotently) and the user told; an older one is not run, it gets a new card asking again.
    public func resumeApproved() async throws -> [KeyedDelivery] {
        var deliveries: [KeyedDelivery] = []
        for request in try await approvals.approvedUnfinished() {
            let approvedAt = request.decidedAt ?? request.createdAt
            guard now().timeIntervalSince(approvedAt) <= Self.resumeWindow else {
                deliveries.append(try await askAgain(request, approvedAt: approvedAt))
                continue
            }
            let outcome = await execute(request, actor: "recovery")
            // A plan's card is edited with its per-step outcome, as after a tap.
            if let edit = try await resumedPlanCard(request) {
                deliveries.append(edit)
                continue
            }
            deliveries.append(KeyedDelivery(key: "approval-resumed:\(request.id)", delivery: .send(
                chat: request.cardChat, message: OutboundMessage(text: request.summary + "\n\n" + outcome))))
        }
        return deliveries
    }

    /// A new card for exactly the approved payload, saying when it was approved; the old request ends as
    /// failed. Its id derives from the old one, so a crash while asking stores and sends one card, not two.
    private func askAgain(_ stale: ApprovalRequest, approvedAt: Date) async throws -> KeyedDelivery {
        let settings = try await users.settings(of: stale.userID)
        let formatter = ScheduleFormatter(settings: settings, now: now())
        let day = LocalDate(approvedAt, in: settings.zone)
        let when = (day == LocalDate(now(), in: settings.zone) ? "" : formatter.dayHeader(day) + " ")
            + formatter.time(approvedAt)
        let note = "You approved this at \(when), but it was not carried out before a restart, so nothing was done. "
            + "Approve again to do it now."
        let id = String(digest(Data("asked-again|\(stale.id)".utf8)).prefix(12))
        let expiresAt = now().addingTimeInterval(approvalLifetime)
        let gate = self.gate
        var requests = [gate.request(toolName: stale.toolName, payload: stale.payload, id: id, on: id,
                                     choice: .approve, summary: stale.summary + "\n\n" + note, user: stale.userID,
                                     chat: stale.cardChat, expiresAt: expiresAt)]
        // The hash approved before, not one of the stored bytes: a payload changed since still fails its check.
        requests[0].payloadHash = stale.payloadHash
        // A reply card carries Edit, as the first card did.
        if stale.toolName == MailReplyArguments.toolName {
            requests.append(try gate.editRequest(forReply: id, user: stale.userID, chat: stale.cardChat,
                                                 expiresAt: expiresAt))
        }
        let (card, stored) = try await gate.store(card: id, user: stale.userID, chat: stale.cardChat, requests: requests)
        if try await approvals.transition(id: stale.id, from: .approved, to: .failed, at: now(),
                                          outcome: "Not carried out before a restart; asked again") {
            try await audit.record(AuditEntry(at: now(), actor: "recovery", action: stale.toolName,
                                              payloadHash: stale.payloadHash, outcome: "asked again",
                                              detail: "approval \(stale.id) approved at \(approvedAt), now \(id)"))
        }
        // Sent outside any chat's reply: the delivery itself carries the note that records its message id.
        return KeyedDelivery(key: "approval-card:\(card.id)",
                             delivery: .send(chat: card.chat, message: Self.card(for: stored[0], on: card)),
                             afterSend: .recordCardMessage(cardID: card.id))
    }
}
