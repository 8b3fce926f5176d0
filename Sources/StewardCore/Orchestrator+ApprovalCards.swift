import Foundation

/// Cards as records: every card is stored with its choices before it is sent, and is shown from that
/// record, so its buttons, its siblings and its message id never depend on the shape of an id.
extension Orchestrator {
    /// A request for one choice on card `cardID`, for exactly `arguments` (hashed).
    func cardRequest<Arguments: CalendarToolArguments>(_ arguments: Arguments, id: String, on cardID: String,
                                                       choice: ApprovalCard.Choice, summary: String, user: User.ID,
                                                       chat: ChatRef, expiresAt: Date) throws -> ApprovalRequest {
        try cardRequest(toolName: Arguments.toolName, payload: arguments.encoded(), id: id, on: cardID, choice: choice,
                        summary: summary, user: user, chat: chat, expiresAt: expiresAt)
    }

    func cardRequest(toolName: String, payload: Data, id: String, on cardID: String, choice: ApprovalCard.Choice,
                     summary: String, user: User.ID, chat: ChatRef, expiresAt: Date) -> ApprovalRequest {
        ApprovalRequest(id: id, userID: user, toolName: toolName, payload: payload, payloadHash: digest(payload),
                        summary: summary, createdAt: now(), expiresAt: expiresAt, cardChat: chat,
                        cardID: cardID, choice: choice)
    }

    /// A reply card's Edit choice: its own request, which asks for the corrected text when tapped.
    func editRequest(forReply replyID: String, user: User.ID, chat: ChatRef, expiresAt: Date) throws -> ApprovalRequest {
        try cardRequest(EditReplyArguments(replyApprovalID: replyID),
                        id: ApprovalCard.choiceID(card: replyID, choice: .edit, digest: digest), on: replyID,
                        choice: .edit, summary: "Edit reply \(replyID)", user: user, chat: chat, expiresAt: expiresAt)
    }

    /// Stores card `id` with `requests` (its lead first) in one write. The same card stored again (the
    /// same event handled twice) keeps what was stored first and returns it.
    func storeCard(id: String, user: User.ID, chat: ChatRef,
                   requests: [ApprovalRequest]) async throws -> (card: ApprovalCard, requests: [ApprovalRequest]) {
        let card = ApprovalCard(id: id, userID: user, chat: chat, requests: requests, createdAt: now())
        let stored = try await approvals.insert(card: card, requests: requests)
        return (ApprovalCard(id: id, userID: user, chat: chat, requests: stored, createdAt: card.createdAt), stored)
    }

    /// Puts `card` in the reply under its own key; once sent, the outbox records its message id on the card.
    func show(_ card: ApprovalCard, lead: ApprovalRequest, reply: inout Reply) {
        let key = "approval-card:\(card.id)"
        reply.sayPrivately(Self.card(for: lead, on: card), key: key)
        reply.note(.recordCardMessage(cardID: card.id), onKey: key)
    }

    /// The stored card `request` leads, shown again (an event handled twice): the outbox key makes it one card.
    func showAgain(_ request: ApprovalRequest, reply: inout Reply) async throws {
        let card = try await storedCard(of: request)
        guard let card else {
            return reply.sayPrivately(Self.card(for: request, on: nil), key: "approval-card:\(request.id)")
        }
        show(card, lead: request, reply: &reply)
    }

    /// The card `request` is a choice on; nil for a request stored alone.
    func storedCard(of request: ApprovalRequest) async throws -> ApprovalCard? {
        guard let cardID = request.cardID else { return nil }
        return try await approvals.card(id: cardID)
    }

    /// The message showing `request`, the card's lead, with the card's buttons (Approve and Reject alone
    /// when the request has no card).
    static func card(for request: ApprovalRequest, on card: ApprovalCard?) -> OutboundMessage {
        // Deleting can't be undone from chat: where the platform can ask first, it does.
        let confirmation = request.toolName == CancelEventArguments.toolName
            ? "Delete this event from your calendar? This can't be undone from here." : nil
        let card = card ?? ApprovalCard(id: request.id, userID: request.userID, chat: request.cardChat, options: [
            .init(choice: .approve, approvalID: request.id), .init(choice: .reject, approvalID: request.id),
        ], createdAt: request.createdAt)
        return OutboundMessage(title: cardTitle(for: request), text: request.summary,
                               buttons: card.buttons(confirmation: confirmation))
    }
}
