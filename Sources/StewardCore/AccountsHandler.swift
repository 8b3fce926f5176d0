import Foundation

/// Settings and accounts: `/settings`, `/accounts` and `/connect`. Takes only what it needs: where settings
/// are saved, the user's calendars (to name their accounts), the connector and the registered account kinds.
struct AccountsHandler: Sendable {
    let users: any UserRepository
    let calendars: any CalendarDirectory
    /// Nil when no account kind can be connected from chat on this server.
    let connector: (any AccountConnector)?
    let kinds: AccountKinds

    func changeSettings(key: String?, value: String?, user: User, settings: UserSettings,
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
        // The home chat must be a private chat the person has on that platform.
        if UserSettings.isHomeKey(key), updated.homePlatform != nil {
            guard try await LinkHandler.pinHome(updated.homePlatform, user: user, users: users, reply: &reply) else { return }
        }
        try await users.saveSettings(updated, of: user.id)
        let changed = updated.changedLines(since: settings).new
        reply.sayPrivately("Saved: " + (changed.isEmpty ? "no change" : changed.joined(separator: ", ")))
    }

    func connect(_ kind: String, user: User, reply: inout Reply) async throws {
        let registered = kinds[kind]
        guard let connector, connector.canConnect(kind) else {
            if let unavailable = registered?.unavailable { return reply.say(unavailable) }
            let server = kinds.serverCommand(for: reply.event.sender.description)
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

    func listAccounts(user: User, reply: inout Reply) async throws {
        let entries = try await calendars.calendars(of: user.id)
        guard !entries.isEmpty else {
            let chat = kinds.fromChat(for: .calendar) { connector?.canConnect($0) == true }
            let server = kinds.serverCommand(for: "<you>")
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

    /// The model's proposed setting as a change for the gate: the setting as it is and as it would be. A value
    /// `/settings` would refuse is refused here with the same one-line message, and nothing is asked.
    func prepareSettingChange(_ proposal: ProposedSetting, settings: UserSettings,
                              reply: inout Reply) -> PreparedChange<ChangeSettingArguments>? {
        let key = proposal.key.lowercased()
        // The default calendar names one of the owner's accounts; that choice stays with /settings.
        guard key != "calendar" else {
            reply.say("Choose the calendar for new events with /settings calendar <account>. Nothing was changed.")
            return nil
        }
        var updated = settings
        do {
            try updated.apply(key: key, value: proposal.value)
        } catch {
            reply.sayPrivately("The assistant proposed a setting I can't use: \(error.message) Nothing was changed.")
            return nil
        }
        let changed = updated.changedLines(since: settings)
        guard !changed.new.isEmpty else {
            reply.sayPrivately("That setting is already so: nothing to change.")
            return nil
        }
        let summary = "Now: " + changed.old.joined(separator: ", ") + "\nNew: " + changed.new.joined(separator: ", ")
        return PreparedChange(arguments: ChangeSettingArguments(key: key, value: proposal.value), summary: summary)
    }

    /// Applies the approved change to the settings as they are now (another change may have come first).
    func runSettingChange(_ request: ApprovalRequest) async throws -> String {
        let arguments = try JSONDecoder().decode(ChangeSettingArguments.self, from: request.payload)
        let current = try await users.settings(of: request.userID)
        var settings = current
        do {
            try settings.apply(key: arguments.key, value: arguments.value)
        } catch {
            throw CalendarError(error.message)
        }
        try await users.saveSettings(settings, of: request.userID)
        let changed = settings.changedLines(since: current).new
        return "✓ Saved" + (changed.isEmpty ? "." : ": " + changed.joined(separator: ", "))
    }
}
