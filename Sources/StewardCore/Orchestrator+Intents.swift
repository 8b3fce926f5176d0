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
            reply.say(Self.helpText)
        case .agenda(let span):
            let events = try await events(of: user.id, in: span)
            reply.sayPrivately(OutboundMessage(text: formatter.agenda(events.list, over: span) + events.warnings))
        case .next:
            let horizon = DateInterval(start: now(), duration: 30 * 86_400)
            let events = try await events(of: user.id, in: horizon)
            let upcoming = events.list.filter { !$0.isAllDay && $0.start.instant(in: settings.zone) >= now() }
            let text = upcoming.first.map { "Next: " + formatter.event($0) }
                ?? "Nothing in the next 30 days."
            reply.sayPrivately(OutboundMessage(text: text + events.warnings))
        case .findFree(let minutes, let within, let attendees):
            try await findFree(minutes: minutes, within: within, attendees: attendees, user: user,
                               settings: settings, formatter: formatter, reply: &reply)
        case .checkFree(let start, let minutes):
            let slot = DateInterval(start: start, duration: TimeInterval(minutes * 60))
            let events = try await events(of: user.id, in: slot)
            let clashes = events.list.filter { $0.blocksTime && $0.interval(in: settings.zone).intersects(slot)
                && $0.interval(in: settings.zone).intersection(with: slot).map { $0.duration > 0 } ?? false }
            let when = formatter.span(slot)  // both days when the check runs past midnight
            let text = clashes.isEmpty ? "Yes, you're free \(when)."
                : "No — \(when) overlaps:\n" + clashes.map(formatter.event).joined(separator: "\n")
            reply.sayPrivately(OutboundMessage(text: text + events.warnings))
        case .book(let title, let start, let minutes, let attendees, let notify):
            try await requestBooking(title: title, start: start, minutes: minutes ?? 60, attendees: attendees,
                                     notify: notify, event: event, user: user, settings: settings,
                                     formatter: formatter, reply: &reply)
        case .move(let reference, let target, let notify):
            try await requestMove(reference, to: target, notify: notify, event: event, user: user, settings: settings,
                                  formatter: formatter, reply: &reply)
        case .cancel(let reference, let notify):
            try await requestCancel(reference, notify: notify, event: event, user: user, settings: settings,
                                    formatter: formatter, reply: &reply)
        case .approvals:
            let pending = try await waitingCards(of: user.id).filter(Self.isOwnCard)
            let text = pending.isEmpty ? "Nothing is waiting for your approval."
                : pending.map { "\($0.id): \($0.summary.replacingOccurrences(of: "\n", with: " · "))" }
                    .joined(separator: "\n") + "\n\nReply `approve <id>` or `reject <id>`, or tap the card's buttons."
            reply.sayPrivately(OutboundMessage(title: pending.isEmpty ? nil : "Waiting for your approval", text: text))
        case .decide(let id, let approve):
            try await decideByText(approvalID: id, approve: approve, user: user, reply: &reply)
        case .settings(let key, let value):
            try await changeSettings(key: key, value: value, user: user, settings: settings, reply: &reply)
        case .accounts:
            try await listAccounts(user: user, reply: &reply)
        case .status:
            var lines = await status?.statusLines() ?? []
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
            if let mails = try await recentMail(of: user.id, since: now().addingTimeInterval(-86_400)) {
                reply.sayPrivately(OutboundMessage(title: "Mail, last 24 hours", text: Self.inboxText(mails)))
            } else {
                reply.say(mailNotConnected)
            }
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
            try await connect(kind, user: user, reply: &reply)
        case .remember, .memory, .forget:
            reply.say("Memory isn't available in this version yet, so nothing was stored.")
        case .usage(let message):
            reply.say(message)
        case .unknown(let text):
            if let planner = freeTextPlanner,
               try await planFreeText(text, planner: planner, event: event, user: user, settings: settings, reply: &reply) {
                return
            }
            reply.say("I didn't catch that. Try /today, /free 30m tomorrow, /book Lunch tomorrow 12:30 for 1h, "
                      + "or /help for everything I can do.")
        }
    }

    /// Built once: /help is the most frequent answer there is.
    static let helpText: String = {
        "Here's what I can do:\n" + ChatCommand.all.map { "\($0.usage) — \($0.summary)" }.joined(separator: "\n")
            + "\n\nYou can also just ask: \"what's on tomorrow\", \"am I free friday at 3pm\", "
            + "\"find 45 minutes next week\", \"move my 2pm to thursday 10am\", \"cancel Dentist\". "
            + "Anything that changes your calendar waits for your Approve."
    }()

    /// Events of every connected calendar in `span`; a calendar that fails is named, not fatal.
    func events(of user: User.ID, in span: DateInterval) async throws -> (list: [CalendarEvent], warnings: String) {
        try await calendars.events(of: user, in: span)
    }

    private func changeSettings(key: String?, value: String?, user: User, settings: UserSettings,
                                reply: inout Reply) async throws {
        // Hints name the user's own accounts, not an example that isn't theirs.
        let accountNames = try await calendars.calendars(of: user.id).map { "\($0.account.reference) (\($0.account.label))" }
        let accountsHint = accountNames.isEmpty ? "" : "\nYour accounts for calendar: " + accountNames.joined(separator: ", ")
        guard let key else {
            reply.sayPrivately(settings.summaryLines().joined(separator: "\n")
                      + "\n\nChange one with /settings <key> <value>, e.g. /settings hours 08:30-17:00" + accountsHint,
                      title: "Settings")
            return
        }
        if value == nil, let current = settings.currentLine(for: key) {
            reply.sayPrivately(current + (current.hasPrefix("calendar") ? accountsHint : ""))
            return
        }
        var updated = settings
        do {
            try updated.apply(key: key, value: value ?? "")
        } catch {
            reply.sayPrivately(error.message + (key.lowercased().hasPrefix("calendar") ? accountsHint : ""))
            return
        }
        if key == "calendar", let wanted = updated.defaultCalendarAccount {
            let accounts = try await calendars.calendars(of: user.id).map(\.account)
            guard let match = accounts.first(where: { $0.reference == wanted || $0.label == wanted }) else {
                let names = accounts.map { "\($0.reference) (\($0.label))" }.joined(separator: ", ")
                reply.sayPrivately("calendar: expected one of your accounts: \(names.isEmpty ? "none connected" : names)")
                return
            }
            updated.defaultCalendarAccount = match.reference
        }
        try await users.saveSettings(updated, of: user.id)
        let changed = updated.changedLines(since: settings).new
        reply.sayPrivately("Saved: " + (changed.isEmpty ? "no change" : changed.joined(separator: ", ")))
    }

    private func connect(_ kind: String, user: User, reply: inout Reply) async throws {
        let registered = accountKinds[kind]
        guard let connector, connector.canConnect(kind) else {
            if let unavailable = registered?.unavailable { return reply.say(unavailable) }
            let server = accountKinds.serverCommand(for: reply.event.sender.description)
                .map { " For a calendar file or URL, run on the server: \($0)" } ?? ""
            return reply.say("Connecting \(kind) from chat isn't available in this version yet." + server)
        }
        // The link is the user's own (it connects whatever account opens it to *their* Steward),
        // so it is only ever sent privately.
        let link = try await connector.authorizationLink(for: kind, user: user.id, chat: reply.privateChat)
        let what = registered?.linkPurpose ?? "connect your \(kind) account"
        reply.sayPrivately(OutboundMessage(
            text: "Open this link to let me \(what). It works once, within 10 minutes:\n\(link.absoluteString)"))
    }

    /// What `/inbox` says without a mail account: how to add one, when some kind adds mail from chat.
    private var mailNotConnected: String {
        guard let kind = accountKinds.fromChat(for: .mail) else { return "Mail isn't connected yet." }
        return "Mail isn't connected yet: send /connect \(kind.name)"
            + (kind.addsTo.map { " to add it to your \($0) account" } ?? "") + "."
    }

    private func listAccounts(user: User, reply: inout Reply) async throws {
        let entries = try await calendars.calendars(of: user.id)
        guard !entries.isEmpty else {
            let chat = accountKinds.fromChat(for: .calendar) { connector?.canConnect($0) == true }
            let server = accountKinds.serverCommand(for: "<you>")
            let ways = [chat.map { "Send /connect \($0.name)" }, server.map { "add a calendar file on the server: \($0)" }]
                .compactMap { $0 }.joined(separator: ", or ")
            reply.sayPrivately("No accounts connected." + (ways.isEmpty ? "" : " " + ways.prefix(1).uppercased() + ways.dropFirst()))
            return
        }
        let lines = entries.map { entry in
            let where_ = entry.account.options["file"] ?? entry.account.options["url"] ?? ""
            return "\(entry.account.reference) \(entry.account.label) — \(entry.account.status)"
                + (where_.isEmpty ? "" : " (\(where_))")
        }
        reply.sayPrivately(lines.joined(separator: "\n"), title: "Accounts")
    }
}
