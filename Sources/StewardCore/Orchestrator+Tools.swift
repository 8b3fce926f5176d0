import Foundation

/// Running an approved calendar tool: exactly the stored arguments, against the account they name.
extension Orchestrator {
    /// A move or cancel the card no longer describes (the event moved or vanished since): its message is
    /// the whole outcome, and nothing was written.
    struct StaleEvent: Error {
        var message: String
    }

    static func nothingDone(_ toolName: String) -> String {
        switch toolName {
        case MoveEventArguments.toolName: "Nothing was moved."
        case CancelEventArguments.toolName: "Nothing was cancelled."
        case MailReplyArguments.toolName, DraftReplyOfferArguments.toolName: "Nothing was sent."
        case ArchiveMailArguments.toolName: "Nothing was archived."
        case MuteSenderArguments.toolName, NotUrgentSenderArguments.toolName: "No rule was added."
        case ChangeSettingArguments.toolName: "Nothing was changed."
        case SaveFactArguments.toolName: "Nothing was saved to memory."
        default: "Nothing was added."
        }
    }

    /// Runs the tool and says what happened; throws when nothing was done.
    func run(_ request: ApprovalRequest) async throws -> String {
        let decoder = JSONDecoder()
        switch request.toolName {
        case CreateEventArguments.toolName:
            return try await changes.runCreate(try decoder.decode(CreateEventArguments.self, from: request.payload),
                                               of: request.userID)
        case MoveEventArguments.toolName:
            return try await changes.runMove(try decoder.decode(MoveEventArguments.self, from: request.payload),
                                             of: request.userID, settings: try await users.settings(of: request.userID))
        case CancelEventArguments.toolName:
            return try await changes.runCancel(try decoder.decode(CancelEventArguments.self, from: request.payload),
                                               of: request.userID, settings: try await users.settings(of: request.userID))
        case MailReplyArguments.toolName:
            guard let mailSender else { throw CalendarError("mail is no longer connected") }
            return try await mailSender.sendReply(try decoder.decode(MailReplyArguments.self, from: request.payload))
        case ArchiveMailArguments.toolName:
            guard let mailSender else { throw CalendarError("mail is no longer connected") }
            let arguments = try decoder.decode(ArchiveMailArguments.self, from: request.payload)
            try await mailSender.archive(account: arguments.account, messageID: arguments.messageID)
            return "✓ Archived."
        case MuteSenderArguments.toolName:
            let sender = try decoder.decode(MuteSenderArguments.self, from: request.payload).sender
            try await addSenderRule(sender, to: \.muted, of: request.userID)
            return "✓ Muted \(sender): their mail now waits for the digest. /settings mute remove \(sender) undoes it."
        case NotUrgentSenderArguments.toolName:
            let sender = try decoder.decode(NotUrgentSenderArguments.self, from: request.payload).sender
            try await addSenderRule(sender, to: \.notUrgent, of: request.userID)
            return "✓ Mail from \(sender) won't be alerted as urgent again; it still shows in /inbox and the digest. "
                + "/settings noturgent remove \(sender) undoes it."
        case ChangeSettingArguments.toolName:
            return try await runSettingChange(request)
        case SaveFactArguments.toolName:
            return try await runFactSave(request)
        case PlanChoiceArguments.toolName:
            return try await runPlanChoice(request)
        case DraftReplyOfferArguments.toolName:
            return "✓ A reply to check is below; nothing is sent before you approve it."
        default:
            throw CalendarError("unknown action \(request.toolName)")
        }
    }

    /// An alert button's rule: `sender` joins one of the owner's sender lists (once).
    private func addSenderRule(_ sender: String, to list: WritableKeyPath<UserSettings, [String]>,
                               of user: User.ID) async throws {
        var settings = try await users.settings(of: user)
        guard !settings[keyPath: list].contains(sender) else { return }
        settings[keyPath: list].append(sender)
        try await users.saveSettings(settings, of: user)
    }

    /// What the attendees heard: `told` only when the calendar was asked to tell them and can; a calendar
    /// that can't send invitations says so; nothing when nobody else is invited or they were left out.
    static func attendeeOutcome(_ attendees: [String], notified: Bool, provider: any CalendarProvider,
                                told: String) -> String {
        guard !attendees.isEmpty else { return "" }
        if notified { return told }
        return provider.canNotifyAttendees ? "" : " Attendees were not notified (this calendar can't send invitations)."
    }

    /// Equal to the second: stored times are whole seconds.
    static func same(_ one: DateInterval, _ other: DateInterval) -> Bool {
        abs(one.start.timeIntervalSince(other.start)) < 1 && abs(one.end.timeIntervalSince(other.end)) < 1
    }
}
