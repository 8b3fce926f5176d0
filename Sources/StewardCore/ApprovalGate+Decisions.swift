import Foundation

/// Deciding: a tap or a typed answer moves a request once, and only while it is pending and unexpired.
extension ApprovalGate {
    struct Decision {
        /// False when the request was already decided (a second tap): nothing happened.
        var changed: Bool
        var notice: String
        /// The card as it should now look: summary plus outcome, no buttons.
        var card: OutboundMessage
    }

    /// Approves (and runs, through `execute`) or rejects `request`, retiring its card's other choices first.
    func decide(_ request: ApprovalRequest, approve: Bool, actor: String,
                execute: (ApprovalRequest) async -> String,
                discardDraft: (ApprovalRequest) async -> String) async throws -> Decision {
        func finished(_ outcome: String, changed: Bool = true) -> Decision {
            Decision(changed: changed, notice: outcome,
                     card: OutboundMessage(title: Self.title(for: request), text: request.summary + "\n\n" + outcome))
        }
        guard request.state == .pending else {
            return finished("Already done — this request is \(request.state.rawValue).", changed: false)
        }
        if now() >= request.expiresAt {
            if try await approvals.transition(id: request.id, from: .pending, to: .expired, at: now(), outcome: nil) {
                try await audit.record(AuditEntry(at: now(), actor: "scheduler", action: request.toolName,
                                                  payloadHash: request.payloadHash, outcome: "expired"))
            }
            return finished("This request expired — nothing was done.")
        }
        // A card's choices (two Approves, Edit, an alert's four buttons): deciding one retires the others
        // first, in one write, so only one of them can ever run.
        if try await approvals.retireSiblings(of: request, at: now(), outcome: "Superseded") == .otherTaken {
            return finished("Already done — the other choice on this card was taken.", changed: false)
        }
        guard approve else {
            guard try await approvals.transition(id: request.id, from: .pending, to: .rejected, at: now(),
                                                 outcome: "Rejected") else {
                return finished("Already done.", changed: false)
            }
            try await audit.record(AuditEntry(at: now(), actor: actor, action: request.toolName,
                                              payloadHash: request.payloadHash, outcome: "rejected"))
            return finished("✗ Rejected — nothing was done." + (await discardDraft(request)))
        }
        guard try await approvals.transition(id: request.id, from: .pending, to: .approved, at: now(), outcome: nil)
        else { return finished("Already done.", changed: false) }
        return finished(await execute(request))
    }

    /// Runs an approved request through `run` and records the result: executed or failed, and audited.
    /// The payload is checked against the hash the user approved right before it runs.
    func execute(_ request: ApprovalRequest, actor: String, run: (ApprovalRequest) async throws -> String,
                 nothingDone: String) async -> String {
        var outcome: String
        var succeeded = false
        do {
            guard digest(request.payload) == request.payloadHash else {
                throw CalendarError("the approved action changed after it was requested")
            }
            outcome = try await run(request)
            succeeded = true
        } catch let refusal as Orchestrator.StaleEvent {
            outcome = refusal.message
        } catch {
            outcome = "Failed: \(error). " + nothingDone
        }
        _ = try? await approvals.transition(id: request.id, from: .approved, to: succeeded ? .executed : .failed,
                                            at: now(), outcome: outcome)
        try? await audit.record(AuditEntry(at: now(), actor: actor, action: request.toolName,
                                           payloadHash: request.payloadHash, outcome: succeeded ? "ok" : "failed",
                                           detail: "approval \(request.id): \(outcome)"))
        return outcome
    }

    /// Expires overdue requests; returns the card edits to send (for cards whose message id was recorded).
    func expireOverdue(discardDraft: (ApprovalRequest) async -> String) async throws -> [KeyedDelivery] {
        var deliveries: [KeyedDelivery] = []
        for request in try await approvals.pendingExpired(at: now()) {
            guard try await approvals.transition(id: request.id, from: .pending, to: .expired, at: now(),
                                                 outcome: "Expired") else { continue }
            try await audit.record(AuditEntry(at: now(), actor: "scheduler", action: request.toolName,
                                              payloadHash: request.payloadHash, outcome: "expired",
                                              detail: "approval \(request.id)"))
            let card = OutboundMessage(title: Self.title(for: request), text: request.summary
                                       + "\n\nThis request expired — nothing was done." + (await discardDraft(request)))
            // The card is edited once, for its lead request; its other choices expire with it.
            if request.cardID == request.id, let messageID = request.cardMessageID {
                deliveries.append(KeyedDelivery(key: "approval-outcome:\(request.id)",
                                                delivery: .edit(chat: request.cardChat, messageID: messageID, message: card)))
            }
        }
        return deliveries
    }
}
