import Foundation

/// The model's `settings_update`, as stored on its card: one key and the value exactly as proposed.
public struct ChangeSettingArguments: CalendarToolArguments {
    public static let toolName = "settings_update"
    public var key: String
    public var value: String
    public var notify: Bool { get { false } set {} }
    private enum CodingKeys: String, CodingKey { case key, value }
}

/// A setting the model proposed to change.
public struct ProposedSetting: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension Orchestrator {
    /// A card showing the setting as it is and as it would be; a value `/settings` would refuse is refused
    /// here with the same one-line message, and nothing is asked.
    func requestSettingChange(_ proposal: ProposedSetting, event: InboundEvent, user: User, settings: UserSettings,
                              reply: inout Reply) async throws {
        let key = proposal.key.lowercased()
        // The default calendar names one of the owner's accounts; that choice stays with /settings.
        guard key != "calendar" else {
            return reply.say("Choose the calendar for new events with /settings calendar <account>. Nothing was changed.")
        }
        var updated = settings
        do {
            try updated.apply(key: key, value: proposal.value)
        } catch {
            return reply.sayPrivately("The assistant proposed a setting I can't use: \(error.message) Nothing was changed.")
        }
        let changed = updated.changedLines(since: settings)
        guard !changed.new.isEmpty else { return reply.sayPrivately("That setting is already so: nothing to change.") }
        let summary = "Now: " + changed.old.joined(separator: ", ") + "\nNew: " + changed.new.joined(separator: ", ")
        try await requestApproval(ChangeSettingArguments(key: key, value: proposal.value), id: approvalID(for: event),
                                  summary: summary, event: event, user: user, reply: &reply)
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
