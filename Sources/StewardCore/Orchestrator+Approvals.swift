import Foundation

extension Orchestrator {
    /// `/book`: store an approval for the exact event to create, then send its card. Nothing is written yet.
    func requestBooking(title: String, start: Date, minutes: Int, attendees: [String], notify: Bool,
                        event: InboundEvent, user: User, settings: UserSettings, formatter: ScheduleFormatter,
                        reply: inout Reply) async throws {
        let entries = try await calendars.calendars(of: user.id)
        let writable = entries.filter { $0.provider.canCreateEvents }
        let target = writable.first { $0.account.reference == settings.defaultCalendarAccount } ?? writable.first
        guard let target else {
            reply.say("You have no calendar I can write to. Add one on the server: "
                      + "steward accounts add ics --user \(event.sender) --file PATH")
            return
        }
        let end = start.addingTimeInterval(TimeInterval(minutes * 60))
        let id = approvalID(for: event)
        let arguments = CreateEventArguments(
            account: target.account.reference, calendar: nil, uid: "steward-\(id)@steward.local", title: title,
            start: start, end: end, timeZone: settings.zone, attendees: attendees,
            notify: notify && !attendees.isEmpty && target.provider.canNotifyAttendees)
        let interval = DateInterval(start: start, end: end)
        let clashes = try await events(of: user.id, in: interval).list
            .filter { $0.blocksTime && !$0.isAllDay && ($0.interval(in: settings.zone).intersection(with: interval)?.duration ?? 0) > 0 }
        var lines = [
            title,
            "\(formatter.span(interval)) (\(settings.timeZone))",
            "Calendar: \(target.account.label)",
        ]
        lines += Self.attendeeLines(attendees, notify: arguments.notify, canNotify: target.provider.canNotifyAttendees)
        if !clashes.isEmpty { lines.append("Overlaps: " + clashes.map(\.title).joined(separator: ", ")) }
        try await requestApproval(arguments, id: id, summary: lines.joined(separator: "\n"), event: event, user: user,
                                  reply: &reply)
    }

    /// Ids derive from the inbound event, so handling the same event again finds the same request.
    func approvalID(for event: InboundEvent) -> String {
        String(digest(Data("approval|\(event.id)".utf8)).prefix(12))
    }

    /// Stores the approval for exactly `arguments` (hashed) on a card with its other choices, records the
    /// request, and sends its card. Nothing runs until the user approves.
    func requestApproval<Arguments: CalendarToolArguments>(_ arguments: Arguments, id: String, summary: String,
                                                           event: InboundEvent, user: User,
                                                           reply: inout Reply) async throws {
        let chat = reply.privateChat
        let expiresAt = now().addingTimeInterval(approvalLifetime)
        var requests = [try cardRequest(arguments, id: id, on: id, choice: .approve, summary: summary, user: user.id,
                                        chat: chat, expiresAt: expiresAt)]
        // When invited people would be told, the card also offers the same change without telling them:
        // a second stored request (its own exact payload and hash) behind its own Approve button.
        if arguments.notify {
            var silent = arguments
            silent.notify = false
            requests.append(try cardRequest(
                silent, id: ApprovalCard.choiceID(card: id, choice: .approveQuietly, digest: digest), on: id,
                choice: .approveQuietly,
                summary: summary.replacingOccurrences(of: "Attendees will be notified", with: "Attendees won't be notified"),
                user: user.id, chat: chat, expiresAt: expiresAt))
        }
        // A reply card carries Edit, which asks for the corrected text.
        if Arguments.toolName == MailReplyArguments.toolName {
            requests.append(try editRequest(forReply: id, user: user.id, chat: chat, expiresAt: expiresAt))
        }
        let (card, stored) = try await storeCard(id: id, user: user.id, chat: chat, requests: requests)
        let request = stored[0]
        try await audit.record(AuditEntry(at: now(), actor: event.sender.description, action: request.toolName,
                                          payloadHash: request.payloadHash, outcome: "requested",
                                          detail: "approval \(request.id)"))
        show(card, lead: request, reply: &reply)
    }

    /// A "don't notify" choice is decided through its card, never listed on its own.
    static func isQuietTwin(_ request: ApprovalRequest) -> Bool { request.choice == .approveQuietly }

    /// A request with a card of its own: not a card's second choice, an alert's button or a reply's Edit.
    /// Only these are listed in /approvals and the digest, or taken by a typed "approve".
    static func isOwnCard(_ request: ApprovalRequest) -> Bool {
        (request.choice ?? .approve) == .approve && request.toolName != EditReplyArguments.toolName
    }

    /// Who is invited and whether they hear of it; nothing when nobody else is invited.
    static func attendeeLines(_ attendees: [String], notify: Bool) -> [String] {
        guard !attendees.isEmpty else { return [] }
        return ["Attendees: " + attendees.joined(separator: ", "),
                notify ? "Attendees will be notified" : "Attendees won't be notified"]
    }

    static func cardTitle(for request: ApprovalRequest) -> String {
        if MailAlerts.isAlertAction(request) { return "Urgent mail" }
        switch request.toolName {
        case MoveEventArguments.toolName: return "Move this event?"
        case CancelEventArguments.toolName: return "Cancel this event?"
        case MailReplyArguments.toolName:
            let mail = try? JSONDecoder().decode(MailReplyArguments.self, from: request.payload)
            return mail?.isNewMail == true ? "Send this email?" : "Send this reply?"
        case ArchiveMailArguments.toolName: return "Archive this mail?"
        case ChangeSettingArguments.toolName: return "Change this setting?"
        case MuteSenderArguments.toolName, NotUrgentSenderArguments.toolName, DraftReplyOfferArguments.toolName:
            return "Urgent mail"
        default: return "Add this event?"
        }
    }

    /// A button tap. Honoured only from the requesting user, only while pending and unexpired, only once.
    func handleButton(token text: String, event: InboundEvent, user: User, reply: inout Reply) async throws {
        func answer(_ notice: String) {
            if let receipt = event.actionReceipt {
                reply.append(.answerAction(platform: event.chat.platform, receipt: receipt, text: notice),
                             key: "\(event.id)#answer")
            } else {
                reply.say(notice)
            }
        }
        guard let token = ButtonToken(parsing: text), let request = try await approvals.approval(id: token.approvalID)
        else { return answer("This button is no longer valid.") }
        guard request.userID == user.id else {
            try await audit.record(AuditEntry(at: now(), actor: event.sender.description, action: "approval_decision",
                                              outcome: "refused: not the requester", detail: request.id))
            return answer("Only the person who asked can decide this.")
        }
        if request.toolName == EditReplyArguments.toolName {
            return answer(try await startEditing(request, reply: &reply))
        }
        let result = try await decide(request, approve: token.approve, actor: event.sender.description)
        if let messageID = event.sourceMessageID, result.changed {
            reply.append(.edit(chat: event.chat, messageID: messageID, message: result.card),
                         key: "approval-outcome:\(request.id)")
        }
        answer(result.notice)
        if result.changed, token.approve { try await offerChangedDraft(after: request, event: event, user: user, reply: &reply) }
        if result.changed, request.toolName == DraftReplyOfferArguments.toolName,
           let offer = try? JSONDecoder().decode(DraftReplyOfferArguments.self, from: request.payload) {
            try await requestReply(toMessageID: offer.messageID, text: nil, event: event,
                                   user: user, reply: &reply)
        }
    }

    /// "approve" / "reject" typed as text, with an id or for the most recent pending request.
    func decideByText(approvalID: String?, approve: Bool, user: User, reply: inout Reply) async throws {
        let request: ApprovalRequest?
        var waiting: [ApprovalRequest] = []
        if let approvalID {
            // An Edit button's request is a button only: "approve <id>w" is not a way to edit.
            request = try await approvals.approval(id: approvalID).flatMap {
                $0.userID == user.id && $0.toolName != EditReplyArguments.toolName ? $0 : nil
            }
        } else {
            // Typed "approve" takes the card's first choice (its twin is a button-only alternative).
            waiting = try await waitingCards(of: user.id)
            request = waiting.filter(Self.isOwnCard).last
        }
        guard let request else {
            // An alert is answered only by its buttons: with one waiting, "nothing is waiting" would be untrue.
            return reply.say(approvalID.map { "No request \($0) is waiting for you. /approvals lists them." }
                             ?? (waiting.isEmpty ? Self.nothingWaiting : "Nothing is waiting for your approval."))
        }
        let result = try await decide(request, approve: approve, actor: reply.event.sender.description)
        // The outcome repeats the card (what, when, who): it goes where the card went.
        reply.sayPrivately(result.changed ? result.card.plainText : result.notice)
        if result.changed, approve {
            try await offerChangedDraft(after: request, event: reply.event, user: user, reply: &reply)
        }
    }

    struct Decision {
        /// False when the request was already decided (a second tap): nothing happened.
        var changed: Bool
        var notice: String
        /// The card as it should now look: summary plus outcome, no buttons.
        var card: OutboundMessage
    }

    func decide(_ request: ApprovalRequest, approve: Bool, actor: String) async throws -> Decision {
        func finished(_ outcome: String, changed: Bool = true) -> Decision {
            Decision(changed: changed, notice: outcome,
                     card: OutboundMessage(title: Self.cardTitle(for: request),
                                           text: request.summary + "\n\n" + outcome))
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
            return finished("✗ Rejected — nothing was done." + (await discardDraft(of: request)))
        }
        guard try await approvals.transition(id: request.id, from: .pending, to: .approved, at: now(), outcome: nil)
        else { return finished("Already done.", changed: false) }
        let outcome = await execute(request, actor: actor)
        return finished(outcome)
    }

    /// Runs an approved request and records the result. Safe to call again after a crash: a booking's
    /// event uid makes the provider skip an event it already wrote, and a move or cancel first checks the
    /// event is still where the card said.
    public func execute(_ request: ApprovalRequest, actor: String) async -> String {
        var outcome: String
        var succeeded = false
        do {
            guard digest(request.payload) == request.payloadHash else {
                throw CalendarError("the approved action changed after it was requested")
            }
            outcome = try await run(request)
            succeeded = true
        } catch let refusal as StaleEvent {
            outcome = refusal.message
        } catch {
            outcome = "Failed: \(error). " + Self.nothingDone(request.toolName)
        }
        _ = try? await approvals.transition(id: request.id, from: .approved, to: succeeded ? .executed : .failed,
                                            at: now(), outcome: outcome)
        try? await audit.record(AuditEntry(at: now(), actor: actor, action: request.toolName,
                                           payloadHash: request.payloadHash, outcome: succeeded ? "ok" : "failed",
                                           detail: "approval \(request.id): \(outcome)"))
        return outcome
    }

    /// Expires overdue requests; returns the card edits to send (when the card's message id is known).
    public func expireOverdue() async throws -> [KeyedDelivery] {
        var deliveries: [KeyedDelivery] = []
        for request in try await approvals.pendingExpired(at: now()) {
            guard try await approvals.transition(id: request.id, from: .pending, to: .expired, at: now(),
                                                 outcome: "Expired") else { continue }
            try await audit.record(AuditEntry(at: now(), actor: "scheduler", action: request.toolName,
                                              payloadHash: request.payloadHash, outcome: "expired",
                                              detail: "approval \(request.id)"))
            let card = OutboundMessage(title: Self.cardTitle(for: request), text: request.summary
                                       + "\n\nThis request expired — nothing was done." + (await discardDraft(of: request)))
            // The card is edited once, for its lead request; its other choices expire with it.
            if request.cardID == request.id, let messageID = request.cardMessageID {
                deliveries.append(KeyedDelivery(key: "approval-outcome:\(request.id)",
                                                delivery: .edit(chat: request.cardChat, messageID: messageID, message: card)))
            }
        }
        return deliveries
    }
}
