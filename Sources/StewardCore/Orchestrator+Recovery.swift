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
        let request = try await approvals.insert(ApprovalRequest(
            id: id, userID: stale.userID, toolName: stale.toolName, payload: stale.payload,
            payloadHash: stale.payloadHash, summary: stale.summary + "\n\n" + note, createdAt: now(),
            expiresAt: now().addingTimeInterval(approvalLifetime), cardChat: stale.cardChat))
        if request.toolName == MailReplyArguments.toolName {
            // A reply card carries Edit; its button needs its own request, as on the first card.
            let payload = try EditReplyArguments(replyApprovalID: id).encoded()
            _ = try await approvals.insert(ApprovalRequest(
                id: Self.editID(of: id), userID: stale.userID, toolName: EditReplyArguments.toolName, payload: payload,
                payloadHash: digest(payload), summary: "Edit reply \(id)", createdAt: now(),
                expiresAt: request.expiresAt, cardChat: stale.cardChat))
        }
        if try await approvals.transition(id: stale.id, from: .approved, to: .failed, at: now(),
                                          outcome: "Not carried out before a restart; asked again") {
            try await audit.record(AuditEntry(at: now(), actor: "recovery", action: stale.toolName,
                                              payloadHash: stale.payloadHash, outcome: "asked again",
                                              detail: "approval \(stale.id) approved at \(approvedAt), now \(id)"))
        }
        return KeyedDelivery(key: "approval-card:\(request.id)",
                             delivery: .send(chat: request.cardChat, message: Self.card(for: request)))
    }
}
