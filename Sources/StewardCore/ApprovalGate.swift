import Foundation

/// The approval gate: stores each card with its choices before it is shown, decides a tap or a typed
/// answer at most once (retiring the card's other choices in the same step), and expires what waited too
/// long. It runs nothing itself: what an approved request does is the caller's `execute`, and what a
/// retired mail reply leaves behind is the caller's `discardDraft`. Takes only approvals, the audit log,
/// the digest and a clock.
struct ApprovalGate: Sendable {
    let approvals: any ApprovalRepository
    let audit: any AuditLog
    let digest: @Sendable (Data) -> String
    let now: @Sendable () -> Date
    /// How long a card's choices can be taken.
    let lifetime: TimeInterval

    // MARK: Cards

    /// Stores the approval for exactly `arguments` (hashed) on card `id` with its other choices, records
    /// the request, and shows the card. Nothing runs until the user approves.
    func offer<Arguments: CalendarToolArguments>(_ arguments: Arguments, id: String, summary: String, actor: String,
                                                 user: User.ID, reply: inout Reply) async throws {
        let chat = reply.privateChat
        let expiresAt = now().addingTimeInterval(lifetime)
        var requests = [try request(arguments, id: id, on: id, choice: .approve, summary: summary, user: user,
                                    chat: chat, expiresAt: expiresAt)]
        // When invited people would be told, the card also offers the same change without telling them:
        // a second stored request (its own exact payload and hash) behind its own Approve button.
        if arguments.notify {
            var silent = arguments
            silent.notify = false
            requests.append(try request(
                silent, id: ApprovalCard.choiceID(card: id, choice: .approveQuietly, digest: digest), on: id,
                choice: .approveQuietly,
                summary: summary.replacingOccurrences(of: "Attendees will be notified", with: "Attendees won't be notified"),
                user: user, chat: chat, expiresAt: expiresAt))
        }
        // A reply card carries Edit, which asks for the corrected text.
        if Arguments.toolName == MailReplyArguments.toolName {
            requests.append(try editRequest(forReply: id, user: user, chat: chat, expiresAt: expiresAt))
        }
        let (card, stored) = try await store(card: id, user: user, chat: chat, requests: requests)
        let lead = stored[0]
        try await audit.record(AuditEntry(at: now(), actor: actor, action: lead.toolName,
                                          payloadHash: lead.payloadHash, outcome: "requested",
                                          detail: "approval \(lead.id)"))
        show(card, lead: lead, reply: &reply)
    }

    /// A request for one choice on card `cardID`, for exactly `arguments` (hashed).
    func request<Arguments: CalendarToolArguments>(_ arguments: Arguments, id: String, on cardID: String,
                                                   choice: ApprovalCard.Choice, summary: String, user: User.ID,
                                                   chat: ChatRef, expiresAt: Date) throws -> ApprovalRequest {
        request(toolName: Arguments.toolName, payload: try arguments.encoded(), id: id, on: cardID, choice: choice,
                summary: summary, user: user, chat: chat, expiresAt: expiresAt)
    }

    func request(toolName: String, payload: Data, id: String, on cardID: String, choice: ApprovalCard.Choice,
                 summary: String, user: User.ID, chat: ChatRef, expiresAt: Date) -> ApprovalRequest {
        ApprovalRequest(id: id, userID: user, toolName: toolName, payload: payload, payloadHash: digest(payload),
                        summary: summary, createdAt: now(), expiresAt: expiresAt, cardChat: chat,
                        cardID: cardID, choice: choice)
    }

    /// A reply card's Edit choice: its own request, which asks for the corrected text when tapped.
    func editRequest(forReply replyID: String, user: User.ID, chat: ChatRef, expiresAt: Date) throws -> ApprovalRequest {
        try request(EditReplyArguments(replyApprovalID: replyID),
                    id: ApprovalCard.choiceID(card: replyID, choice: .edit, digest: digest), on: replyID,
                    choice: .edit, summary: "Edit reply \(replyID)", user: user, chat: chat, expiresAt: expiresAt)
    }

    /// Stores card `id` with `requests` (its lead first) in one write. The same card stored again (the
    /// same event handled twice) keeps what was stored first and returns it.
    func store(card id: String, user: User.ID, chat: ChatRef,
               requests: [ApprovalRequest]) async throws -> (card: ApprovalCard, requests: [ApprovalRequest]) {
        let card = ApprovalCard(id: id, userID: user, chat: chat, requests: requests, createdAt: now())
        let stored = try await approvals.insert(card: card, requests: requests)
        return (ApprovalCard(id: id, userID: user, chat: chat, requests: stored, createdAt: card.createdAt), stored)
    }

    /// Puts `card` in the reply under its own key; once sent, the outbox records its message id on the card.
    func show(_ card: ApprovalCard, lead: ApprovalRequest, reply: inout Reply) {
        let key = "approval-card:\(card.id)"
        reply.sayPrivately(Self.message(for: lead, on: card), key: key)
        reply.note(.recordCardMessage(cardID: card.id), onKey: key)
    }

    /// The stored card `request` leads, shown again (an event handled twice): the outbox key makes it one card.
    func showAgain(_ request: ApprovalRequest, reply: inout Reply) async throws {
        guard let card = try await storedCard(of: request) else {
            return reply.sayPrivately(Self.message(for: request, on: nil), key: "approval-card:\(request.id)")
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
    static func message(for request: ApprovalRequest, on card: ApprovalCard?) -> OutboundMessage {
        // Deleting can't be undone from chat: where the platform can ask first, it does.
        let confirmation = request.toolName == CancelEventArguments.toolName
            ? "Delete this event from your calendar? This can't be undone from here." : nil
        let card = card ?? ApprovalCard(id: request.id, userID: request.userID, chat: request.cardChat, options: [
            .init(choice: .approve, approvalID: request.id), .init(choice: .reject, approvalID: request.id),
        ], createdAt: request.createdAt)
        return OutboundMessage(title: title(for: request), text: request.summary,
                               buttons: card.buttons(confirmation: confirmation))
    }

    static func title(for request: ApprovalRequest) -> String {
        if MailAlerts.isAlertAction(request) { return "Urgent mail" }
        switch request.toolName {
        case MoveEventArguments.toolName: return "Move this event?"
        case CancelEventArguments.toolName: return "Cancel this event?"
        case MailReplyArguments.toolName:
            let mail = try? JSONDecoder().decode(MailReplyArguments.self, from: request.payload)
            return mail?.isNewMail == true ? "Send this email?" : "Send this reply?"
        case ArchiveMailArguments.toolName: return "Archive this mail?"
        case ChangeSettingArguments.toolName: return "Change this setting?"
        case SaveFactArguments.toolName: return "Save this to memory?"
        case PlanChoiceArguments.toolName: return "Approve this plan?"
        case AllowAccessArguments.toolName:
            let allow = try? JSONDecoder().decode(AllowAccessArguments.self, from: request.payload)
            return "Let \(allow?.name ?? "someone") (\(allow?.identity.description ?? "?")) use Steward?"
        case MuteSenderArguments.toolName, NotUrgentSenderArguments.toolName, DraftReplyOfferArguments.toolName:
            return "Urgent mail"
        default: return "Add this event?"
        }
    }

    /// A "don't notify" choice is decided through its card, never listed on its own.
    static func isQuietTwin(_ request: ApprovalRequest) -> Bool { request.choice == .approveQuietly }

    /// A request with a card of its own: not a card's second choice, an alert's button or a reply's Edit.
    /// Only these are listed in /approvals and the digest, or taken by a typed "approve".
    static func isOwnCard(_ request: ApprovalRequest) -> Bool {
        (request.choice ?? .approve) == .approve && request.toolName != EditReplyArguments.toolName
    }
}
