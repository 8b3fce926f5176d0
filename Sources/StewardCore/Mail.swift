import Foundation

/// One mailbox: `"Ana Silva" <ana@example.com>`. The address is kept as written; `normalized` is what
/// comparisons use (VIP lists, people the owner has written to).
public struct MailAddress: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Display name, decoded; empty when the header carried none. Untrusted text.
    public var name: String
    public var address: String

    public init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }

    /// Lower-cased and trimmed: mail addresses compare case-insensitively in practice.
    public var normalized: String { Self.normalize(address) }

    public static func normalize(_ address: String) -> String {
        // Not Foundation's trimming: this runs for every message triaged and Foundation's costs microseconds.
        let scalars = address.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last]).lowercased()
    }

    /// The part after `@`, lower-cased.
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...]).lowercased()
    }

    /// The part before `@`, lower-cased.
    public var localPart: String {
        guard let at = address.lastIndex(of: "@") else { return address.lowercased() }
        return String(address[..<at]).lowercased()
    }

    public var description: String { name.isEmpty ? address : "\(name) <\(address)>" }
}

/// A mail message reduced to what Steward reads. Every text field is untrusted data from a stranger:
/// it is shown, matched and quoted, never obeyed.
public struct MailMessage: Hashable, Codable, Sendable {
    /// The provider's id (its message id), or the Message-ID header when parsed from raw bytes.
    public var id: String
    /// The provider's thread id; empty when unknown.
    public var threadID: String
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var subject: String
    /// nil when the Date header is missing or unreadable.
    public var date: Date?
    /// The readable text: the text/plain part, or the HTML part turned into text.
    public var body: String
    /// The first words of `body` on one line (about 200 characters).
    public var snippet: String
    /// The headers triage reads.
    public var listUnsubscribe: String?
    public var autoSubmitted: String?
    public var precedence: String?
    public var inReplyTo: String?
    /// Provider labels, e.g. `INBOX`, `SPAM`, `CATEGORY_PROMOTIONS`.
    public var labels: [String]
    /// A text/calendar part or an `.ics` attachment: a meeting invitation or update.
    public var isCalendarInvitation: Bool
    /// File names of attachments (decoded), in order.
    public var attachmentNames: [String]
    /// Why `body` is not the message's whole text; nil when it is. Triage then goes by the headers (and
    /// whatever text there is), and whoever shows the mail can say the body was not read.
    public var bodyOmission: MailBodyOmission?

    public init(id: String, threadID: String = "", from: MailAddress, to: [MailAddress] = [], cc: [MailAddress] = [],
                subject: String, date: Date? = nil, body: String = "", snippet: String? = nil,
                listUnsubscribe: String? = nil, autoSubmitted: String? = nil, precedence: String? = nil,
                inReplyTo: String? = nil, labels: [String] = [], isCalendarInvitation: Bool = false,
                attachmentNames: [String] = [], bodyOmission: MailBodyOmission? = nil) {
        self.id = id
        self.threadID = threadID
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.date = date
        self.body = body
        self.snippet = snippet ?? MailMessage.makeSnippet(body)
        self.listUnsubscribe = listUnsubscribe
        self.autoSubmitted = autoSubmitted
        self.precedence = precedence
        self.inReplyTo = inReplyTo
        self.labels = labels
        self.isCalendarInvitation = isCalendarInvitation
        self.attachmentNames = attachmentNames
        self.bodyOmission = bodyOmission
    }

    /// Whitespace collapsed to single spaces, cut to `limit` characters (with `…` when cut), and to `limit` × 4
    /// Unicode scalars: one character can hold any number of combining marks, so counting characters alone let
    /// a snippet carry a whole mail.
    public static func makeSnippet(_ body: String, limit: Int = 200) -> String {
        var result = ""
        result.reserveCapacity(limit + 1)
        var count = 0
        var scalars = 0
        var pendingSpace = false
        for character in body {
            if character.isWhitespace {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                result.append(" ")
                count += 1
                scalars += 1
                pendingSpace = false
            }
            if count >= limit { return result + "…" }
            let room = limit * 4 - scalars
            let size = character.unicodeScalars.count
            guard size <= room else {
                result.unicodeScalars.append(contentsOf: character.unicodeScalars.prefix(room))
                return result + "…"
            }
            result.append(character)
            count += 1
            scalars += size
        }
        return result
    }
}

/// Why a message's `body` is not its whole text.
public enum MailBodyOmission: String, Codable, Sendable, Hashable {
    /// The text was longer than Steward reads (about 1 MiB): `body` is its beginning.
    case truncated
    /// Parsing passed one mail's time budget: `body` is empty and the mail is triaged from its headers.
    case timeBudget = "time_budget"
    /// Nested or split beyond what any mail client produces: the parts past the limit were not read.
    case tooComplex = "too_complex"
    /// Too large to fetch whole: only the headers were fetched.
    case tooLarge = "too_large"
}

/// Where triage puts a message; the order is the digest's order, most important first.
public enum MailCategory: String, Codable, Sendable, CaseIterable, Comparable {
    case urgent
    case needsReply = "needs_reply"
    case fyi
    case canWait = "can_wait"
    case spam

    public static func < (lhs: MailCategory, rhs: MailCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The rule that decided a message's category.
public enum TriageRule: String, Codable, Sendable, CaseIterable {
    case spamLabel = "spam_label"
    case vipSender = "vip_sender"
    case mutedSender = "muted_sender"
    case notUrgentSender = "not_urgent_sender"
    case keyword
    case calendarInvitation = "calendar_invitation"
    case newsletter
    case automated
    case noReplySender = "no_reply_sender"
    case deadline
    case knownCorrespondentQuestion = "known_correspondent_question"
    case knownCorrespondent = "known_correspondent"
}

/// A category with the reason a person can read ("VIP sender ana@example.com"). `rule` is nil when no rule
/// decided: the category is then the fallback (fyi) and the app may ask the model instead.
public struct TriageResult: Hashable, Codable, Sendable {
    public var category: MailCategory
    public var reason: String
    public var rule: TriageRule?

    public init(category: MailCategory, reason: String, rule: TriageRule?) {
        self.category = category
        self.reason = reason
        self.rule = rule
    }

    public var isUndecided: Bool { rule == nil }
}
