import Foundation

/// Plans in the orchestrator: a bulk request becomes one stored plan and one card (Approve all / Review one
/// by one / Show all / Reject); Approve runs it through `PlanRunner`; a finished plan with failures gets
/// a Retry card on the same message.
extension Orchestrator {
    /// A bulk request: the plan is stored before its card is sent; nothing changes before Approve.
    func requestPlan(_ change: BulkChange, event: InboundEvent, user: User, settings: UserSettings,
                     reply: inout Reply) async throws {
        guard let plans else {
            return reply.say("Changes to many events at once aren't available on this server, so nothing was requested.")
        }
        let id = approvalID(for: event)
        let built: PlanHandler.Built
        switch change {
        case .declineInvitations:
            // No connected calendar declares it can answer invitations: say so rather than pretend.
            return reply.sayPrivately("None of your calendars lets me answer invitations, so I can't decline them for "
                                      + "you. Nothing was requested; decline them in your calendar app.")
        case .archiveNewsletters(let days):
            built = try await newsletterSteps(olderThan: days, user: user)
        default:
            built = try await PlanHandler(calendars: calendars, now: now)
                .build(change, user: user, settings: settings, uidPrefix: "steward-plan-\(id)")
        }
        switch built {
        case .refused(let line):
            reply.sayPrivately(line)
        case .steps(let title, let steps):
            let plan = Plan(id: id, userID: user.id, chat: reply.privateChat, title: title, steps: steps,
                            createdAt: now())
            guard plan.changes.count <= Plan.maximumChanges else {
                return reply.sayPrivately("That is \(plan.changes.count) changes; one plan takes at most "
                                          + "\(Plan.maximumChanges). Narrow it (fewer days or one calendar) and ask again. "
                                          + "Nothing was requested.")
            }
            try await offerPlan(plan, store: plans, actor: event.sender.description, reply: &reply)
        }
    }

    /// "archive all newsletters older than 30 days": the mails triaged as bulk mail before the cutoff,
    /// their ids fixed now, so mail that arrives after the card is never touched.
    private func newsletterSteps(olderThan days: Int, user: User) async throws -> PlanHandler.Built {
        guard mailSender != nil,
              let mails = try await recentMail(of: user.id, since: now().addingTimeInterval(-400 * 86_400)) else {
            return .refused("Mail isn't connected, so there is nothing to archive. Nothing was requested.")
        }
        let cutoff = now().addingTimeInterval(-Double(days) * 86_400)
        let bulk = mails.filter { $0.receivedAt < cutoff && MailTriage.isNewsletter(reason: $0.reason) }.sorted { ($0.receivedAt, $0.messageID) < ($1.receivedAt, $1.messageID) }
        guard !bulk.isEmpty else {
            return .refused("I found no newsletters older than \(days) days. Nothing was requested.")
        }
        let steps = try bulk.enumerated().map { number, mail in
            PlanStep(index: number, toolName: ArchiveMailArguments.toolName,
                     payload: try ArchiveMailArguments(account: mail.accountID, messageID: mail.messageID).encoded(),
                     line: "Archive \(mail.from) — \(mail.subject)")
        }
        return .steps(title: "Archive \(steps.count) newsletter\(steps.count == 1 ? "" : "s") older than \(days) days", steps)
    }

    /// Stores the plan, then its card with one request per choice, then shows the card.
    func offerPlan(_ plan: Plan, store plans: any PlanRepository, actor: String, reply: inout Reply) async throws {
        let stored = try await plans.insert(plan: plan)
        let chat = reply.privateChat
        let expiresAt = now().addingTimeInterval(approvalLifetime)
        let gate = self.gate
        let summary = stored.cardText()
        func choice(_ action: PlanChoiceArguments.Action, _ choice: ApprovalCard.Choice, id: String) throws -> ApprovalRequest {
            gate.request(toolName: PlanChoiceArguments.toolName,
                         payload: try PlanChoiceArguments(plan: stored.id, action: action).encoded(), id: id,
                         on: stored.id, choice: choice, summary: summary, user: stored.userID, chat: chat,
                         expiresAt: expiresAt)
        }
        var requests = [try choice(.run, .approve, id: stored.id)]
        // A move across accounts is a pair (copy, then remove the original) that must stay together: one card
        // per step could remove an original whose copy was never made, so such a plan is decided as a whole.
        if !stored.steps.contains(where: { $0.after != nil }) {
            requests.append(try choice(.review, .review, id: ApprovalCard.choiceID(card: stored.id, choice: .review,
                                                                                   digest: digest)))
        }
        if stored.changes.count > Plan.shownLines {
            requests.append(try choice(.showAll, .showAll,
                                       id: ApprovalCard.choiceID(card: stored.id, choice: .showAll, digest: digest)))
        }
        let (card, storedRequests) = try await gate.store(card: stored.id, user: stored.userID, chat: chat,
                                                          requests: requests)
        try await audit.record(AuditEntry(at: now(), actor: actor, action: PlanChoiceArguments.toolName,
                                          payloadHash: storedRequests[0].payloadHash, outcome: "requested",
                                          detail: "plan \(stored.id): \(stored.steps.count) steps"))
        let key = "approval-card:\(card.id)"
        reply.sayPrivately(OutboundMessage(title: Self.planTitle, text: summary, buttons: Self.planButtons(card)), key: key)
        reply.note(.recordCardMessage(cardID: card.id), onKey: key)
    }

    static let planTitle = "Approve this plan?"

    /// The plan card's buttons, worded for a plan.
    static func planButtons(_ card: ApprovalCard, failed: Int = 0) -> [Button] {
        card.options.map { option in
            switch option.choice {
            case .approve:
                let title = failed == 0 ? "Approve all" : failed == 1 ? "Retry the failed one" : "Retry the \(failed) failed"
                return Button(title: title, token: option.token.text, style: .primary)
            case .reject: return Button(title: failed == 0 ? "Reject" : "Leave it", token: option.token.text, style: .danger)
            default: return Button(title: option.choice.title, token: option.token.text)
            }
        }
    }

    /// A tap on a plan card (the requester's: checked before). Show all changes nothing; the others are
    /// decided once through the gate, and the card is edited with what happened.
    func handlePlanButton(_ request: ApprovalRequest, approve: Bool, event: InboundEvent, user: User,
                          reply: inout Reply) async throws -> String {
        let arguments = try JSONDecoder().decode(PlanChoiceArguments.self, from: request.payload)
        guard let plans, let plan = try await plans.plan(id: arguments.plan) else { return "This plan is no longer stored." }
        if arguments.action == .showAll {
            let lines = plan.changes.enumerated().map { "\($0.offset + 1). \($0.element.line)" }
            for (part, start) in stride(from: 0, to: lines.count, by: 25).enumerated() {
                reply.sayPrivately(OutboundMessage(title: part == 0 ? plan.title : nil,
                                                   text: lines[start..<min(start + 25, lines.count)].joined(separator: "\n")))
            }
            return "Every change is listed below."
        }
        let result = try await decide(request, approve: approve, actor: event.sender.description)
        guard result.changed else { return result.notice }
        let current = try await plans.plan(id: plan.id) ?? plan
        var message = OutboundMessage(title: Self.planTitle, text: result.card.text)
        if !approve {
            _ = try await plans.transition(plan: plan.id, from: arguments.attempt == 0 ? .proposed : .approved, to: .rejected)
            message.text = (arguments.attempt == 0 ? current.cardText() : current.outcomeText())
                + "\n\n" + (arguments.attempt == 0 ? "✗ Rejected — nothing was done." : "Left as it is.")
        } else if arguments.action == .review {
            try await offerEachStep(of: current, reply: &reply)
            message.text = current.cardText() + "\n\nSent as one card per change, below."
        } else if try await approvals.approval(id: request.id)?.state == .executed {
            message = try await outcomeMessage(current, attempt: arguments.attempt, messageID: event.sourceMessageID)
        }
        if let messageID = event.sourceMessageID {
            reply.append(.edit(chat: event.chat, messageID: messageID, message: message), key: "approval-outcome:\(request.id)")
        }
        return result.notice.components(separatedBy: "\n").first ?? result.notice
    }

    /// After a restart finished a plan: its card edited with what happened to each change (and Retry where one
    /// failed); nil for any other request, or a card whose message id was never recorded.
    func resumedPlanCard(_ request: ApprovalRequest) async throws -> KeyedDelivery? {
        guard request.toolName == PlanChoiceArguments.toolName, let plans, let messageID = request.cardMessageID,
              let arguments = try? JSONDecoder().decode(PlanChoiceArguments.self, from: request.payload),
              arguments.action == .run, let plan = try await plans.plan(id: arguments.plan),
              try await approvals.approval(id: request.id)?.state == .executed else { return nil }
        let message = try await outcomeMessage(plan, attempt: arguments.attempt, messageID: messageID)
        return KeyedDelivery(key: "approval-outcome:\(request.id)",
                             delivery: .edit(chat: request.cardChat, messageID: messageID, message: message))
    }

    /// The card once attempt `attempt` ran: each change's outcome, and Retry where one failed.
    private func outcomeMessage(_ plan: Plan, attempt: Int, messageID: String?) async throws -> OutboundMessage {
        var message = OutboundMessage(title: Self.planTitle, text: plan.outcomeText())
        if plan.failedChanges > 0 {
            message.buttons = try await retryCard(plan, attempt: attempt + 1, messageID: messageID)
        }
        return message
    }

    /// A new request on the same message: Retry runs only the failed steps; Leave it keeps them as they are.
    private func retryCard(_ plan: Plan, attempt: Int, messageID: String?) async throws -> [Button] {
        let id = String(digest(Data("plan-retry|\(plan.id)|\(attempt)".utf8)).prefix(12))
        let request = gate.request(toolName: PlanChoiceArguments.toolName,
                                   payload: try PlanChoiceArguments(plan: plan.id, action: .run, attempt: attempt).encoded(),
                                   id: id, on: id, choice: .approve, summary: plan.cardText(), user: plan.userID,
                                   chat: plan.chat, expiresAt: now().addingTimeInterval(approvalLifetime))
        let card = ApprovalCard(id: id, userID: plan.userID, chat: plan.chat, requests: [request], messageID: messageID,
                                createdAt: now())
        let stored = try await approvals.insert(card: card, requests: [request])
        return Self.planButtons(ApprovalCard(id: id, userID: plan.userID, chat: plan.chat, requests: stored,
                                             createdAt: card.createdAt), failed: plan.failedChanges)
    }

    /// Review one by one: each step becomes an ordinary card of its own, decided like any single change.
    private func offerEachStep(of plan: Plan, reply: inout Reply) async throws {
        let gate = self.gate
        let expiresAt = now().addingTimeInterval(approvalLifetime)
        for step in plan.steps {
            let id = String(digest(Data("plan-step|\(plan.id)|\(step.index)".utf8)).prefix(12))
            let line = step.after.map { "\(plan.steps[$0].line)\nthen \(step.line)" } ?? step.line
            let request = gate.request(toolName: step.toolName, payload: step.payload, id: id, on: id, choice: .approve,
                                       summary: line, user: plan.userID, chat: plan.chat, expiresAt: expiresAt)
            let (card, stored) = try await gate.store(card: id, user: plan.userID, chat: plan.chat, requests: [request])
            gate.show(card, lead: stored[0], reply: &reply)
        }
    }

    /// An approved plan choice, run through the gate (a tap, a typed "approve", or recovery after a restart).
    func runPlanChoice(_ request: ApprovalRequest) async throws -> String {
        guard let plans else { throw CalendarError("plans aren't available on this server") }
        let arguments = try JSONDecoder().decode(PlanChoiceArguments.self, from: request.payload)
        switch arguments.action {
        case .review:
            _ = try await plans.transition(plan: arguments.plan, from: .proposed, to: .reviewed)
            return "Sent as one card per change."
        case .showAll:
            return "Nothing to do."
        case .run:
            if arguments.attempt == 0 { _ = try await plans.transition(plan: arguments.plan, from: .proposed, to: .approved) }
            let settings = try await users.settings(of: request.userID)
            let cardMessage = try await approvals.card(id: arguments.plan)
            let progress = planProgress.flatMap { sink -> (@Sendable (Plan) async -> Void)? in
                guard let messageID = cardMessage?.messageID, let chat = cardMessage?.chat else { return nil }
                return { plan in
                    let done = plan.changes.filter { change in plan.parts(of: change).allSatisfy { $0.status == .done } }.count
                    // A few edits, not one per step: chat platforms allow about one edit a second.
                    let every = max(1, plan.changes.count / 4)
                    guard done % every == 0, done < plan.changes.count else { return }
                    await sink.show(KeyedDelivery(key: "plan-progress:\(plan.id):\(arguments.attempt):\(done)",
                                                  delivery: .edit(chat: chat, messageID: messageID, message: OutboundMessage(
                                                      title: Self.planTitle, text: plan.progressText()))))
                }
            }
            let runner = PlanRunner(plans: plans, changes: changes, calendars: calendars, mailSender: mailSender,
                                    progress: progress)
            let plan = try await runner.run(arguments.plan, retry: arguments.attempt > 0, settings: settings)
            return plan.outcomeSummary()
        }
    }
}
