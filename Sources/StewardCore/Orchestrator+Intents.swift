import Foundation

extension Orchestrator {
    func perform(_ intent: Intent, event: InboundEvent, user: User, settings: UserSettings,
                 reply: inout Reply) async throws {
        let formatter = ScheduleFormatter(settings: settings, now: now())
        switch intent {
        case .start:
            reply.say("Hi \(user.displayName)! I'm Steward, your assistant. I read your calendars, find free time "
                      + "and book events — anything that changes something waits for your Approve tap. "
                      + "Send /help to see what I can do.\n\nTimes are in \(settings.timeZone); if that isn't "
                      + "yours, send /settings timezone <your zone>, e.g. /settings timezone America/New_York.")
        case .help:
            reply.say(helpText)
        case .agenda, .next, .findFree, .checkFree:
            try await answers.answer(intent, user: user, settings: settings, reply: &reply)
        case .book(let title, let start, let minutes, let attendees, let notify):
            try await requestBooking(title: title, start: start, minutes: minutes ?? 60, attendees: attendees,
                                     notify: notify, event: event, user: user, settings: settings,
                                     formatter: formatter, reply: &reply)
        case .bookAllDay(let title, let days, let attendees, let notify):
            try await requestAllDayBooking(title: title, days: days, attendees: attendees, notify: notify,
                                           event: event, user: user, settings: settings, reply: &reply)
        case .move(let reference, let target, let notify):
            try await requestMove(reference, to: target, notify: notify, event: event, user: user, settings: settings,
                                  formatter: formatter, reply: &reply)
        case .cancel(let reference, let notify):
            try await requestCancel(reference, notify: notify, event: event, user: user, settings: settings,
                                    formatter: formatter, reply: &reply)
        case .bulk(let change):
            try await requestPlan(change, event: event, user: user, settings: settings, reply: &reply)
        case .approvals:
            let pending = try await waitingCards(of: user.id).filter(Self.isOwnCard)
            let text = pending.isEmpty ? "Nothing is waiting for your approval."
                : pending.map { "\($0.id): \($0.summary.replacingOccurrences(of: "\n", with: " · "))" }
                    .joined(separator: "\n") + "\n\nReply `approve <id>` or `reject <id>`, or tap the card's buttons."
            reply.sayPrivately(OutboundMessage(title: pending.isEmpty ? nil : "Waiting for your approval", text: text))
        case .decide(let id, let approve):
            try await decideByText(approvalID: id, approve: approve, user: user, reply: &reply)
        case .settings(let key, let value):
            try await accountsHandler.changeSettings(key: key, value: value, user: user, settings: settings, reply: &reply)
        case .accounts:
            try await accountsHandler.listAccounts(user: user, reply: &reply)
        case .link(let code):
            try await linkHandler.perform(code, event: event, user: user, reply: &reply)
        case .whoami:
            try await linkHandler.whoami(user: user, settings: settings, event: event, reply: &reply)
        case .unlink(let identity):
            try await linkHandler.unlink(identity, user: user, settings: settings, reply: &reply)
        case .status:
            var lines = await status?.statusLines(in: settings.zone) ?? []
            let pending = try await waitingCards(of: user.id).filter(Self.isOwnCard)
            lines.append("Your pending approvals: \(pending.count)")
            if let line = await freeTextPlanner?.statusLine(for: user, settings: settings) { lines.append(line) }
            // Every account with its health, as /accounts and `steward doctor` show it.
            for entry in try await calendars.calendars(of: user.id) {
                let account = entry.account
                lines.append("Account \(account.reference) \(account.label): \(account.status)"
                             + (account.status == "ok" ? "" : " — send /connect \(account.kind)"))
            }
            reply.sayPrivately(lines.joined(separator: "\n"), title: "Status")
        case .inbox:
            try await inbox.answer(user: user, reply: &reply)
        case .replyMail(let number, let text, let all):
            try await requestReply(number: number, text: text, all: all, event: event, user: user, reply: &reply)
        case .digest:
            let today = LocalDate(now(), in: settings.zone)
            if let digest = try await dailyDigest(for: user.id, on: today) {
                reply.sayPrivately(digest)
            } else {
                let how = accountKinds.fromChat(for: .calendar).map { " (/connect \($0.name))" } ?? ""
                reply.say("Nothing to put in a digest yet: connect a calendar first\(how).")
            }
        case .connect(let kind):
            try await accountsHandler.connect(kind, user: user, reply: &reply)
        case .remember, .memory, .forget:
            try await performMemory(intent, event: event, user: user, settings: settings, reply: &reply)
        case .followUp(let request):
            try await followUpHandler.handle(request, event: event, user: user, settings: settings, reply: &reply)
        case .focus:
            try await focus(user: user, settings: settings, reply: &reply)
        case .usage(let message):
            reply.say(message)
        case .unknown(let text):
            if let model,
               try await planFreeText(text, model: model, event: event, user: user, settings: settings, reply: &reply) {
                return
            }
            reply.say("I didn't catch that. Try /today, /free 30m tomorrow, /book Lunch tomorrow 12:30 for 1h, "
                      + "or /help for everything I can do.")
        }
    }

    /// /help, with `/connect` worded by the registered kinds.
    static func helpText(_ kinds: AccountKinds) -> String {
        "Here's what I can do:\n" + ChatCommand.catalogue(for: kinds).map { "\($0.usage) — \($0.summary)" }.joined(separator: "\n")
            + "\n\nYou can also just ask: \"what's on tomorrow\", \"am I free friday at 3pm\", "
            + "\"find 45 minutes next week\", \"move my 2pm to thursday 10am\", \"cancel Dentist\", "
            + "\"move everything on friday to monday\" (one card for all of them). "
            + "Anything that changes your calendar waits for your Approve."
    }

    /// Events of every connected calendar in `span`; a calendar that fails is named, not fatal.
    func events(of user: User.ID, in span: DateInterval) async throws -> (list: [CalendarEvent], warnings: String) {
        try await calendars.events(of: user, in: span)
    }
}

extension Orchestrator {
    /// Schedule questions, with only their own dependencies.
    var answers: AnswersHandler { AnswersHandler(calendars: calendars, now: now, kinds: accountKinds) }

    /// Settings and accounts, with only their own dependencies.
    var accountsHandler: AccountsHandler {
        AccountsHandler(users: users, calendars: calendars, connector: connector, kinds: accountKinds)
    }
}
