import Foundation

extension Orchestrator {
    /// The calendar a booking goes to: the user's default if it can be written, else the first that can.
    /// Nil after saying so when none can: nothing is asked that could never be written.
    func bookingCalendar(for event: InboundEvent, user: User, settings: UserSettings, reply: inout Reply)
        async throws -> (account: Account, provider: any CalendarProvider)? {
        let writable = try await calendars.calendars(of: user.id).filter { $0.provider.canCreateEvents }
        guard let target = writable.first(where: { $0.account.reference == settings.defaultCalendarAccount })
                ?? writable.first else {
            reply.say("You have no calendar I can write to. Add one on the server: "
                      + "steward accounts add ics --user \(event.sender) --file PATH")
            return nil
        }
        return target
    }

    /// `/book`: store an approval for the exact event to create, then send its card. Nothing is written yet.
    func requestBooking(title: String, start: Date, minutes: Int, attendees: [String], notify: Bool,
                        event: InboundEvent, user: User, settings: UserSettings, formatter: ScheduleFormatter,
                        reply: inout Reply) async throws {
        guard let target = try await bookingCalendar(for: event, user: user, settings: settings, reply: &reply) else {
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

    /// The approval gate, with only its own dependencies.
    var gate: ApprovalGate {
        ApprovalGate(approvals: approvals, audit: audit, digest: digest, now: now, lifetime: approvalLifetime)
    }

    /// Stores the approval for exactly `arguments` (hashed) on a card with its other choices, records the
    /// request, and sends its card. Nothing runs until the user approves.
    func requestApproval<Arguments: CalendarToolArguments>(_ arguments: Arguments, id: String, summary: String,
                                                           event: InboundEvent, user: User,
                                                           reply: inout Reply) async throws {
        try await gate.offer(arguments, id: id, summary: summary, actor: event.sender.description, user: user.id,
                             reply: &reply)
    }

    static func isQuietTwin(_ request: ApprovalRequest) -> Bool { ApprovalGate.isQuietTwin(request) }
    static func isOwnCard(_ request: ApprovalRequest) -> Bool { ApprovalGate.isOwnCard(request) }
    static func cardTitle(for request: ApprovalRequest) -> String { ApprovalGate.title(for: request) }
    static func card(for request: ApprovalRequest, on card: ApprovalCard?) -> OutboundMessage {
        ApprovalGate.message(for: request, on: card)
    }
    func storedCard(of request: ApprovalRequest) async throws -> ApprovalCard? { try await gate.storedCard(of: request) }

    /// Who is invited and whether they hear of it; nothing when nobody else is invited.
    static func attendeeLines(_ attendees: [String], notify: Bool) -> [String] {
        guard !attendees.isEmpty else { return [] }
        return ["Attendees: " + attendees.joined(separator: ", "),
                notify ? "Attendees will be notified" : "Attendees won't be notified"]
    }

    /// A button tap. Honoured only from the requesting user, only while pending and unexpired, only once.
    func handleButton(token text: String, event: InboundEvent, user: User, reply: inout Reply) async throws {
        func answer(_ notice: String) { reply.acknowledge(notice) }
        if let token = FollowUpButton(parsing: text) { return try await handleFollowUpButton(token, event: event, user: user, reply: &reply) }
        guard let token = ButtonToken(parsing: text), let request = try await approvals.approval(id: token.approvalID)
        else { return answer("This button is no longer valid.") }
        // Buttons answer only the person who asked, on the platform the card was sent to: another linked
        // identity decides by typing `approve <id>`.
        guard request.userID == user.id, request.cardChat.platform == event.chat.platform else {
            try await audit.record(AuditEntry(at: now(), actor: event.sender.description, action: "approval_decision",
                                              outcome: "refused: not the requester", detail: request.id))
            return answer("Only the person who asked can decide this.")
        }
        if request.toolName == EditReplyArguments.toolName {
            return answer(try await startEditing(request, reply: &reply))
        }
        if request.toolName == PlanChoiceArguments.toolName {
            return answer(try await handlePlanButton(request, approve: token.approve, event: event, user: user, reply: &reply))
        }
        let result = try await decide(request, approve: token.approve, actor: event.sender.description)
        if let messageID = event.sourceMessageID, result.changed {
            reply.append(.edit(chat: event.chat, messageID: messageID, message: result.card),
                         key: "approval-outcome:\(request.id)")
        }
        answer(result.notice)
        if result.changed, token.approve { try await offerChangedDraft(after: request, event: event, user: user, reply: &reply) }
        // Let in: the newcomer hears it where they asked.
        if result.changed, token.approve, request.toolName == AllowAccessArguments.toolName,
           let allow = try? JSONDecoder().decode(AllowAccessArguments.self, from: request.payload),
           try await approvals.approval(id: request.id)?.state == .executed {
            reply.send(OutboundMessage(text: "My owner let you in: ask me anything, or send /help."), to: allow.chat,
                       key: "paired:\(request.id)")
        }
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

    func decide(_ request: ApprovalRequest, approve: Bool, actor: String) async throws -> ApprovalGate.Decision {
        try await gate.decide(request, approve: approve, actor: actor, execute: { await execute($0, actor: actor) },
                              discardDraft: { await discardDraft(of: $0) })
    }

    /// Runs an approved request and records the result. Safe to call again after a crash: a booking's
    /// event uid makes the provider skip an event it already wrote, and a move or cancel first checks the
    /// event is still where the card said.
    public func execute(_ request: ApprovalRequest, actor: String) async -> String {
        await gate.execute(request, actor: actor, run: { request in
            // A pairing card's Allow: the newcomer is let in as a member.
            guard request.toolName == AllowAccessArguments.toolName else { return try await run(request) }
            let allow = try JSONDecoder().decode(AllowAccessArguments.self, from: request.payload)
            try await users.grantAccess(AccessGrant(identity: allow.identity, role: .member, displayName: allow.name,
                                                    grantedAt: now()))
            return "✓ Allowed: \(allow.name) can use Steward now."
        }, nothingDone: Self.nothingDone(request.toolName))
    }

    /// Expires overdue requests; returns the card edits to send (when the card's message id is known).
    public func expireOverdue() async throws -> [KeyedDelivery] {
        try await gate.expireOverdue(discardDraft: { await discardDraft(of: $0) })
    }
}
