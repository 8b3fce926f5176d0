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
    /// A card showing the setting as it is and as it would be (prepared by the settings handler).
    func requestSettingChange(_ proposal: ProposedSetting, event: InboundEvent, user: User, settings: UserSettings,
                              reply: inout Reply) async throws {
        guard let change = accountsHandler.prepareSettingChange(proposal, settings: settings, reply: &reply) else { return }
        try await requestApproval(change.arguments, id: approvalID(for: event), summary: change.summary,
                                  event: event, user: user, reply: &reply)
    }

    /// Applies the approved change (by the settings handler).
    func runSettingChange(_ request: ApprovalRequest) async throws -> String {
        try await accountsHandler.runSettingChange(request)
    }
}
