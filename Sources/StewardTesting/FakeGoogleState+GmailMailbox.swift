import Foundation

/// One account's Gmail: messages (raw RFC 822 bytes, labels, thread), drafts, user labels and the
/// history log whose ids only grow, as Gmail's do.
struct GmailMailbox {
    struct Message {
        var id: String
        var threadID: String
        var raw: Data
        var labelIDs: [String]
        var internalDate: Date
        var historyID: UInt64
        var headers: [(name: String, value: String)]
        var text: String

        func header(_ name: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
    }

    enum Change: String { case messageAdded, messageDeleted, labelAdded, labelRemoved }

    struct HistoryRecord {
        var id: UInt64
        var change: Change
        var messageID: String
        var threadID: String
        /// The message's labels right after the change.
        var labelIDs: [String]
        /// For label changes: the labels added or removed.
        var changedLabels: [String] = []
    }

    var messages: [String: Message] = [:]
    /// Draft id → the id of the message it holds.
    var drafts: [String: String] = [:]
    var userLabels: [String: String] = [:]
    var history: [HistoryRecord] = []
    var historyID: UInt64 = 4_096
    /// `startHistoryId` below this answers 404: older history is gone.
    var oldestHistoryID: UInt64 = 0
    var counter: UInt64 = 0
    var sendsPerDraft: [String: Int] = [:]
    /// Method id → answers still to be lost (`loseResponses`).
    var lostResponses: [String: Int] = [:]
    /// Message id → the statuses its next `messages.get` calls answer (`failFetches`), first one first.
    var fetchFaults: [String: [Int]] = [:]

    /// The status the next fetch of `id` answers instead of the message, if one was injected.
    mutating func takeFetchFault(_ id: String) -> Int? {
        guard var statuses = fetchFaults[id], !statuses.isEmpty else { return nil }
        let status = statuses.removeFirst()
        fetchFaults[id] = statuses.isEmpty ? nil : statuses
        return status
    }

    static let systemLabels: Set<String> = [
        "INBOX", "UNREAD", "SPAM", "TRASH", "STARRED", "IMPORTANT", "SENT", "DRAFT", "CHAT",
        "CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS",
    ]

    mutating func newID() -> String {
        counter += 1
        return String(format: "%016llx", 0x18c0_0000_0000_0000 as UInt64 + counter * 0x1f3)
    }

    mutating func recordChange(_ change: Change, _ message: Message, changed: [String] = []) -> UInt64 {
        historyID += 1
        history.append(HistoryRecord(id: historyID, change: change, messageID: message.id, threadID: message.threadID,
                                     labelIDs: message.labelIDs, changedLabels: changed))
        return historyID
    }

    /// Stores a message in the thread its `References` / `In-Reply-To` point at (when `threadID` allows),
    /// and records it in the history.
    mutating func insert(raw: Data, labels: [String], at date: Date, threadID requested: String? = nil) -> Message {
        let headers = FakeRFC822.headers(raw)
        let id = newID()
        var message = Message(id: id, threadID: id, raw: raw, labelIDs: labels, internalDate: date, historyID: 0, headers: headers,
                              text: FakeRFC822.plainText(raw))
        message.threadID = threadFor(message, requested: requested) ?? id
        message.historyID = recordChange(.messageAdded, message)
        messages[id] = message
        return message
    }

    /// Gmail's rule: a message joins a thread when it references a message of the thread and its
    /// subject matches (ignoring `Re:` / `Fwd:`); a requested `threadId` must satisfy the same.
    private func threadFor(_ message: Message, requested: String?) -> String? {
        let referenced = ((message.header("References") ?? "") + " " + (message.header("In-Reply-To") ?? ""))
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(String.init)
        guard !referenced.isEmpty else { return nil }
        let subject = Self.baseSubject(message.header("Subject") ?? "")
        let candidates = messages.values.filter { requested == nil || $0.threadID == requested }
        return candidates.first { other in
            guard let messageID = other.header("Message-ID"), referenced.contains(messageID) else { return false }
            return Self.baseSubject(other.header("Subject") ?? "") == subject
        }?.threadID
    }

    static func baseSubject(_ subject: String) -> String {
        var text = subject.trimmingCharacters(in: .whitespaces)
        while let range = text.range(of: #"^(re|fwd?|aw|wg)\s*:\s*"#, options: [.regularExpression, .caseInsensitive]) {
            text.removeSubrange(range)
        }
        return text.lowercased()
    }
}

/// Seeding and inspecting Gmail.
extension FakeGoogleState {
    /// Delivers `raw` (an RFC 822 message) to `email`'s mailbox, as SMTP would; returns the message id.
    /// `receivedAt` is its `internalDate` (default: the fake's now).
    @discardableResult
    public func addMail(to email: String, raw: String, labels: [String] = ["INBOX", "UNREAD"], receivedAt: Date? = nil) throws -> String {
        try addMail(to: email, raw: Data(raw.utf8), labels: labels, receivedAt: receivedAt)
    }

    @discardableResult
    public func addMail(to email: String, raw: Data, labels: [String] = ["INBOX", "UNREAD"], receivedAt: Date? = nil) throws -> String {
        guard accounts[email] != nil else { throw SeedError.unknownAccount(email) }
        var mailbox = mailboxes[email] ?? GmailMailbox()
        if let unknown = labels.first(where: { !GmailMailbox.systemLabels.contains($0) && mailbox.userLabels[$0] == nil }) {
            throw SeedError.refused("unknown label \(unknown)")
        }
        let message = mailbox.insert(raw: raw, labels: labels, at: receivedAt ?? now)
        mailboxes[email] = mailbox
        return message.id
    }

    /// Deletes a message for good, as the owner emptying the trash (or another client) would: `messages.get`
    /// answers 404 from now on, while the history still lists it as added (with a later `messageDeleted`).
    public func deleteMail(_ messageID: String, in email: String) {
        guard var mailbox = mailboxes[email], let message = mailbox.messages.removeValue(forKey: messageID) else { return }
        _ = mailbox.recordChange(.messageDeleted, message)
        mailboxes[email] = mailbox
    }

    /// The next `count` fetches (`messages.get`) of one message answer `status` (500 `backendError` by
    /// default): a message Gmail fails to serve while others are fine.
    public func failFetches(of messageID: String, in email: String, count: Int = 1, status: Int = 500) {
        mailboxes[email, default: GmailMailbox()].fetchFaults[messageID, default: []] += Array(repeating: status, count: count)
    }

    /// The owner edits a draft in Gmail (as `drafts.update` does): the draft keeps its id and now holds a
    /// new message, with a new message id, saying `raw`.
    public func editDraft(_ draftID: String, in email: String, raw: String) throws {
        guard var mailbox = mailboxes[email], let oldID = mailbox.drafts[draftID], let old = mailbox.messages[oldID] else {
            throw SeedError.refused("no draft \(draftID)")
        }
        mailbox.messages[oldID] = nil
        _ = mailbox.recordChange(.messageDeleted, old)
        let edited = mailbox.insert(raw: Data(raw.utf8), labels: ["DRAFT"], at: now, threadID: old.threadID)
        var kept = edited
        kept.threadID = old.threadID
        mailbox.messages[edited.id] = kept
        mailbox.drafts[draftID] = edited.id
        mailboxes[email] = mailbox
    }

    /// The raw message a draft holds now, or nil when there is no such draft.
    public func draftRaw(_ draftID: String, in email: String) -> Data? {
        guard let mailbox = mailboxes[email], let messageID = mailbox.drafts[draftID] else { return nil }
        return mailbox.messages[messageID]?.raw
    }

    /// The ids of every draft.
    public func draftIDs(in email: String) -> [String] { mailboxes[email].map { Array($0.drafts.keys) } ?? [] }

    /// A user label (`Label_1`…) named `name`; returns its id.
    @discardableResult
    public func addLabel(_ name: String, to email: String) -> String {
        var mailbox = mailboxes[email] ?? GmailMailbox()
        let id = "Label_\(mailbox.userLabels.count + 1)"
        mailbox.userLabels[id] = name
        mailboxes[email] = mailbox
        return id
    }

    /// Drops `email`'s history, as Gmail does after about a week: any `startHistoryId` issued so far
    /// answers 404 from now on; `getProfile` gives a fresh one.
    public func expireHistory(of email: String) {
        var mailbox = mailboxes[email] ?? GmailMailbox()
        mailbox.historyID += 1
        mailbox.oldestHistoryID = mailbox.historyID
        mailbox.history.removeAll()
        mailboxes[email] = mailbox
    }

    /// The labels of a message, or nil when it does not exist (deleted, or a sent draft's old message).
    public func mailLabels(of messageID: String, in email: String) -> [String]? {
        mailboxes[email]?.messages[messageID]?.labelIDs
    }

    /// How many times `drafts.send` actually sent `draftID`.
    public func sendCount(ofDraft draftID: String, in email: String) -> Int {
        mailboxes[email]?.sendsPerDraft[draftID] ?? 0
    }

    /// The raw bytes of every message labelled `SENT`, oldest first.
    public func sentMail(of email: String) -> [Data] {
        (mailboxes[email]?.messages.values ?? [:].values).filter { $0.labelIDs.contains("SENT") }
            .sorted { $0.internalDate < $1.internalDate }.map(\.raw)
    }

    /// The raw bytes of a stored message (draft or not).
    public func rawMail(_ messageID: String, in email: String) -> Data? { mailboxes[email]?.messages[messageID]?.raw }

    /// The thread a message belongs to.
    public func mailThread(of messageID: String, in email: String) -> String? { mailboxes[email]?.messages[messageID]?.threadID }

    /// How many drafts exist.
    public func draftCount(in email: String) -> Int { mailboxes[email]?.drafts.count ?? 0 }
}

/// Just enough RFC 822 / MIME for the fake to answer metadata and search: unfolded headers with
/// RFC 2047 words decoded (Gmail shows decoded header values), and the text of a single-part
/// `text/plain` body.
enum FakeRFC822 {
    static func split(_ raw: Data) -> (head: String, body: String) {
        let text = String(decoding: raw, as: UTF8.self)
        for separator in ["\r\n\r\n", "\n\n"] {
            if let range = text.range(of: separator) {
                return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
            }
        }
        return (text, "")
    }

    static func headers(_ raw: Data) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in split(raw).head.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields.map { ($0.name, decodeWords($0.value)) }
    }

    /// Decodes `=?charset?B|Q?text?=` words; whitespace between adjacent words is dropped (RFC 2047 §6.2).
    static func decodeWords(_ value: String) -> String {
        let pattern = #"=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return value }
        var result = ""
        var cursor = value.startIndex
        for match in regex.matches(in: value, range: NSRange(value.startIndex..., in: value)) {
            guard let whole = Range(match.range, in: value), let charset = Range(match.range(at: 1), in: value),
                  let kind = Range(match.range(at: 2), in: value), let text = Range(match.range(at: 3), in: value) else { continue }
            result += value[cursor..<whole.lowerBound]
            let bytes: Data? = value[kind].uppercased() == "B"
                ? Data(base64Encoded: String(value[text]))
                : quotedPrintable(String(value[text]).replacingOccurrences(of: "_", with: " "))
            let encoding: String.Encoding = value[charset].lowercased().hasPrefix("iso-8859-1") ? .isoLatin1
                : value[charset].lowercased() == "windows-1252" ? .windowsCP1252 : .utf8
            result += bytes.flatMap { String(data: $0, encoding: encoding) } ?? String(value[whole])
            cursor = whole.upperBound
        }
        return result + value[cursor...]
    }

    /// `=XX` escapes decoded (soft line breaks are removed by the caller).
    static func quotedPrintable(_ text: String) -> Data? {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
               let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return Data(bytes)
    }

    /// The decoded text of a single-part `text/plain` message; empty for anything else (enough for
    /// snippets and plain-word search in tests).
    static func plainText(_ raw: Data) -> String {
        let fields = headers(raw)
        func field(_ name: String) -> String { fields.first { $0.name.lowercased() == name }?.value.lowercased() ?? "" }
        let type = field("content-type")
        guard type.isEmpty || type.hasPrefix("text/plain") else { return "" }
        let body = split(raw).body
        switch field("content-transfer-encoding") {
        case "base64":
            let compact = body.filter { !$0.isWhitespace }
            return Data(base64Encoded: compact).map { String(decoding: $0, as: UTF8.self) } ?? ""
        case "quoted-printable":
            return quotedPrintable(body.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: ""))
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
        default:
            return body
        }
    }

    /// Standard or URL-safe base64, padded or not (Google accepts both for `bytes` fields).
    static func decodeBase64(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalized.count % 4 != 0 { normalized += "=" }
        return Data(base64Encoded: normalized)
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
