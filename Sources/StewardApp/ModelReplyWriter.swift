import Foundation
import LLMPlanner
import Logging
import StewardCore
import StewardStorage

/// An alert's Draft reply, written by the configured model: it reads the mail (fetched from Gmail, since
/// bodies are not stored) as untrusted data and writes only the reply's text, which the owner checks on the
/// card before anything is sent. Down, over budget or silent, the template is used instead.
struct ModelReplyWriter: ReplyWriter {
    let parts: ModelParts
    let gmail: GmailAccess
    let logger: Logger
    /// The longest reply text kept; a model that rambles is cut, and the owner can still edit it.
    static let limit = 2_000

    func replyText(to mail: TriagedMail, owner: User) async -> String? {
        do {
            let message = try await gmail.message(account: mail.accountID, id: mail.messageID).message
            let zone = try await gmail.store.settings(of: owner.id).zone
            let now = Date()
            let day = TokenBudget.day(of: now, in: zone)
            try await parts.budget.ensureAvailable(userID: String(owner.id), day: day)
            let summary = MailSummary(id: mail.messageID, from: mail.from, subject: mail.subject, date: message.date ?? now,
                                      body: message.body.isEmpty ? message.snippet : message.body)
            let request = ChatRequest(messages: PromptBuilder.replyMessages(summary, ownerName: owner.displayName, zone: zone),
                                      maxTokens: 300)
            let response = try await parts.model.complete(request)
            await parts.budget.record(response.usage ?? TokenUsage(promptTokens: TokenEstimate.prompt(request)),
                                      userID: String(owner.id), day: day, purpose: "reply")
            let text = (response.content ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : String(text.prefix(Self.limit))
        } catch {
            logger.debug("the reply is the template: the model did not write one", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
