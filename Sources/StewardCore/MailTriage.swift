import Foundation

/// Sorts mail into categories by rules, each result carrying its reason. Rules only *match* text (words
/// of the subject and the first lines, header values, addresses); nothing a message says is obeyed, so
/// a mail that tells "the assistant" to do something is just a mail. What no rule decides comes back
/// undecided (fyi as fallback) for the model, when one is configured, to classify.
///
/// Order matters and is part of the contract: the mailbox's own spam verdict, then the owner's VIPs and keywords,
/// then invitations, bulk and automated mail, then deadline words, then people the owner has written to.
public struct MailTriage: Sendable {
    /// Normalized addresses; an entry starting with `@` matches a whole domain.
    public var vips: Set<String>
    /// Senders and `@domain`s the owner muted (`/settings mute add …`).
    public var muted: Set<String>
    /// Senders and `@domain`s whose mail is never urgent ("Not urgent" on an alert, `/settings noturgent`).
    public var notUrgent: Set<String> = []
    /// Each keyword as lower-cased words, matched as a phrase.
    public var keywords: [(text: String, words: [String])]
    /// Normalized addresses the owner has sent mail to.
    public var knownCorrespondents: Set<String>
    /// The mailbox's own name as users know it (its provider's product name), for reasons that quote its verdicts (spam, a bulk
    /// tab); set by the provider that triages. Nil: the reasons say "the mailbox".
    public var mailbox: String?

    /// How far into the body the "first lines" rules look: the opening of a mail, not its quoted history.
    static let bodyPrefixLength = 400

    public init(vips: [String] = [], keywords: [String] = [], muted: [String] = [], knownCorrespondents: Set<String> = []) {
        self.vips = Set(vips.map(MailAddress.normalize).filter { !$0.isEmpty })
        self.muted = Set(muted.map(MailAddress.normalize).filter { !$0.isEmpty })
        self.keywords = keywords.compactMap { keyword in
            let words = MailText.words(keyword.lowercased())
            return words.isEmpty ? nil : (keyword, words)
        }
        self.knownCorrespondents = Set(knownCorrespondents.map(MailAddress.normalize))
    }

    public init(settings: UserSettings, knownCorrespondents: Set<String> = []) {
        self.init(vips: settings.vips, keywords: settings.keywords, muted: settings.muted,
                  knownCorrespondents: knownCorrespondents)
        notUrgent = Set(settings.notUrgent.map(MailAddress.normalize))
    }

    /// The rules' verdict, with the owner's "not urgent" senders taken down to `fyi` (the reason says why).
    public func triage(_ message: MailMessage) -> TriageResult {
        let result = decide(message)
        guard result.category == .urgent, !notUrgent.isEmpty,
              notUrgent.contains(message.from.normalized) || notUrgent.contains("@" + message.from.domain) else { return result }
        return TriageResult(category: .fyi, reason: "you marked \(message.from.normalized) as not urgent (\(result.reason))",
                            rule: .notUrgentSender)
    }

    private func decide(_ message: MailMessage) -> TriageResult {
        let sender = message.from.normalized
        if message.labels.contains("SPAM") {
            return TriageResult(category: .spam, reason: "\(mailbox ?? "the mailbox") marked it as spam", rule: .spamLabel)
        }
        // Muting is the owner's own word about this sender: it outranks every rule that could alert.
        if !muted.isEmpty, muted.contains(sender) || muted.contains("@" + message.from.domain) {
            return TriageResult(category: .canWait, reason: "muted sender \(sender)", rule: .mutedSender)
        }
        if isVIP(sender, domain: message.from.domain) {
            return TriageResult(category: .urgent, reason: "VIP sender \(sender)", rule: .vipSender)
        }
        let bulkReason = Self.bulkReason(message, mailbox: mailbox)
        let automatedReason = Self.automatedReason(message)
        let subject = MailText(message.subject)
        // Bulk and automated mail is matched on its subject only: newsletters say "today" in every footer.
        let opening = bulkReason == nil && automatedReason == nil ? MailText(MailText.opening(of: message.body)) : MailText("")

        for keyword in keywords {
            if subject.contains(phrase: keyword.words) {
                return TriageResult(category: .urgent, reason: "keyword \"\(keyword.text)\" in the subject", rule: .keyword)
            }
            if opening.contains(phrase: keyword.words) {
                return TriageResult(category: .urgent, reason: "keyword \"\(keyword.text)\" in the first lines", rule: .keyword)
            }
        }
        if message.isCalendarInvitation {
            return TriageResult(category: .needsReply, reason: "calendar invitation", rule: .calendarInvitation)
        }
        if let bulkReason {
            return TriageResult(category: .canWait, reason: bulkReason, rule: .newsletter)
        }
        if let automatedReason {
            return TriageResult(category: .fyi, reason: automatedReason, rule: .automated)
        }
        if Self.isNoReply(message.from) {
            return TriageResult(category: .fyi, reason: "no-reply sender \(sender)", rule: .noReplySender)
        }
        if let word = subject.deadlineWord(inSubject: true) {
            return TriageResult(category: .urgent, reason: "deadline \"\(word)\" in the subject", rule: .deadline)
        }
        if let word = opening.deadlineWord(inSubject: false) {
            return TriageResult(category: .urgent, reason: "deadline \"\(word)\" in the first lines", rule: .deadline)
        }
        if knownCorrespondents.contains(sender) {
            if opening.asksSomething || subject.asksSomething {
                return TriageResult(category: .needsReply, reason: "a question from \(sender), whom you have written to",
                                    rule: .knownCorrespondentQuestion)
            }
            return TriageResult(category: .fyi, reason: "from \(sender), whom you have written to; nothing asked",
                                rule: .knownCorrespondent)
        }
        return TriageResult(category: .fyi, reason: "no rule matched", rule: nil)
    }

    func isVIP(_ normalizedAddress: String, domain: String) -> Bool {
        !vips.isEmpty && (vips.contains(normalizedAddress) || vips.contains("@" + domain))
    }

    static let bulkCategories = [
        "CATEGORY_PROMOTIONS": "Promotions", "CATEGORY_SOCIAL": "Social", "CATEGORY_UPDATES": "Updates",
        "CATEGORY_FORUMS": "Forums",
    ]

    /// Newsletters and mailing lists: List-Unsubscribe, Precedence bulk/list/junk, the mailbox's bulk tabs.
    static func bulkReason(_ message: MailMessage, mailbox: String?) -> String? {
        if message.listUnsubscribe != nil { return "newsletter (List-Unsubscribe header)" }
        if let precedence = message.precedence.map(MailAddress.normalize),
           ["bulk", "list", "junk"].contains(precedence) {
            return "bulk mail (Precedence: \(precedence))"
        }
        for label in message.labels {
            if let name = bulkCategories[label] { return "\(mailbox ?? "mailbox") category \(name)" }
        }
        return nil
    }

    /// Whether a stored triage reason is one `bulkReason` gives a newsletter, a mailing list or the
    /// mailbox's Promotions tab: the triage log keeps the reason, not the headers, so a bulk archive reads it
    /// back here, beside the wording it must match.
    static func isNewsletter(reason: String) -> Bool {
        reason.hasPrefix("newsletter") || reason.hasPrefix("bulk mail") || reason.hasSuffix("category Promotions")
    }

    /// RFC 3834: anything but `Auto-Submitted: no` was sent by a program (auto-replies, notifications).
    static func automatedReason(_ message: MailMessage) -> String? {
        guard let value = message.autoSubmitted?.split(separator: ";").first.map({ MailAddress.normalize(String($0)) }),
              !value.isEmpty, value != "no" else { return nil }
        return "automatic message (Auto-Submitted: \(value))"
    }

    static let noReplyMarkers = ["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
                                 "mailer-daemon", "postmaster", "notifications", "notification", "bounce"]

    static func isNoReply(_ address: MailAddress) -> Bool {
        let local = address.localPart
        return noReplyMarkers.contains { MailText.contains(local, $0) }
    }
}
