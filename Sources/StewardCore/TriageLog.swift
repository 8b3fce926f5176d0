import Foundation

/// One triaged mail as Steward remembers it: enough for an alert, `/inbox` and the digest, never the body.
public struct TriagedMail: Hashable, Codable, Sendable {
    public var accountID: Int64
    public var messageID: String
    public var from: String
    public var subject: String
    public var receivedAt: Date
    public var category: MailCategory
    public var reason: String
    /// When the urgent alert went out; nil while none did (not urgent, or held for quiet hours).
    public var alertedAt: Date?

    public init(accountID: Int64, messageID: String, from: String, subject: String, receivedAt: Date,
                category: MailCategory, reason: String, alertedAt: Date? = nil) {
        self.accountID = accountID
        self.messageID = messageID
        self.from = from
        self.subject = subject
        self.receivedAt = receivedAt
        self.category = category
        self.reason = reason
        self.alertedAt = alertedAt
    }
}

/// Every mail triaged, once per message: the record that makes an alert go out once.
public protocol TriageLog: Sendable {
    /// Stores the result; false when this message was triaged before (nothing changes then).
    func record(_ mail: TriagedMail) async throws -> Bool
    func markAlerted(accountID: Int64, messageID: String, at date: Date) async throws
    /// Urgent mail of the account whose alert has not gone out (held during quiet hours).
    func unalertedUrgent(accountID: Int64) async throws -> [TriagedMail]
    /// What the accounts received since `date`, newest first.
    func triagedMail(accountIDs: [Int64], since date: Date) async throws -> [TriagedMail]
}
