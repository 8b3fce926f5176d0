import Foundation

/// A mail rule the person set by tapping Not urgent or Mute on an alert, and when.
public struct MailRuleTap: Sendable, Equatable {
    public enum Rule: Sendable, Equatable { case notUrgent, muted }
    public var sender: String
    public var rule: Rule
    public var at: Date

    public init(sender: String, rule: Rule, at: Date) {
        self.sender = sender
        self.rule = rule
        self.at = at
    }
}

/// Where `/memory` learns when each mail rule was tapped (the rules themselves live in the settings, where
/// triage reads them). A memory store that can't tell simply doesn't conform: the rules show without a date.
public protocol MailRuleHistory: Sendable {
    /// The person's executed Not urgent / Mute taps, oldest first.
    func mailRuleTaps(of user: User.ID) async throws -> [MailRuleTap]
}

extension MemoryHandler {
    /// The mail rules the person set (Not urgent, Mute), as the sentences they act as, with the day of the
    /// tap that set each when known ("you tapped Not urgent on 3 Dec"); otherwise it came from `/settings`.
    func mailRules(_ settings: UserSettings, of user: User.ID, dates: FactDates) async throws -> [String] {
        guard !settings.notUrgent.isEmpty || !settings.muted.isEmpty else { return [] }
        var tapped: [String: Date] = [:]
        for tap in try await (memory as? any MailRuleHistory)?.mailRuleTaps(of: user) ?? [] {
            tapped["\(tap.rule == .muted ? "m" : "n"):\(tap.sender.lowercased())"] = tap.at
        }
        func origin(_ sender: String, _ rule: MailRuleTap.Rule) -> String {
            let button = rule == .muted ? "Mute" : "Not urgent"
            guard let at = tapped["\(rule == .muted ? "m" : "n"):\(sender.lowercased())"] else {
                return "set with /settings \(rule == .muted ? "mute" : "noturgent")"
            }
            return "you tapped \(button) on \(dates.day(at))"
        }
        return settings.notUrgent.map { "Mail from \($0) is never alerted as urgent (\(origin($0, .notUrgent)))." }
            + settings.muted.map { "Mail from \($0) is muted: it waits for the digest (\(origin($0, .muted)))." }
    }
}
