import Foundation

/// Gmail drafts and history, as the guides "Working with drafts" and "Synchronizing clients" describe:
/// a draft holds a message labelled only `DRAFT`; sending deletes the draft and creates a new message
/// (a new id, the same thread) labelled `SENT`, so sending the same draft again answers 404. History
/// ids only grow; a `startHistoryId` older than the kept history answers 404.
extension FakeGoogleState {
    // MARK: users.drafts

    func createDraft(_ call: GmailCall) -> FakeGoogleReply {
        guard let message = call.body?["message"], let encoded = message["raw"]?.stringValue else {
            return Self.gmailInvalid("Missing draft message")
        }
        guard let raw = FakeRFC822.decodeBase64(encoded), !raw.isEmpty else {
            return Self.apiError(400, reason: "invalid",
                                 message: "Invalid value at 'draft.message.raw' (TYPE_BYTES), Base64 decoding failed")
        }
        if let problem = Self.messageProblem(raw) { return Self.gmailInvalid(problem) }
        var mailbox = mailboxes[call.email] ?? GmailMailbox()
        let threadID = message["threadId"]?.stringValue
        if let threadID, !mailbox.messages.values.contains(where: { $0.threadID == threadID }) { return Self.gmailNotFound() }
        let stored = mailbox.insert(raw: raw, labels: ["DRAFT"], at: now, threadID: threadID)
        let draftID = "r" + String(stored.id.reversed())
        mailbox.drafts[draftID] = stored.id
        mailboxes[call.email] = mailbox
        return .json(["id": .string(draftID), "message": ["id": .string(stored.id), "threadId": .string(stored.threadID),
                                                          "labelIds": ["DRAFT"]]])
    }

    func sendDraft(_ call: GmailCall) -> FakeGoogleReply {
        // Sending with a replacement message is documented but unused by Steward: refuse it loudly.
        guard call.body?["message"] == nil else { return Self.gmailInvalid("The fake Gmail sends existing drafts only (no message)") }
        guard let draftID = call.body?["id"]?.stringValue, var mailbox = mailboxes[call.email],
              let messageID = mailbox.drafts[draftID], let draft = mailbox.messages[messageID] else {
            return Self.gmailNotFound()
        }
        let recipients = ["To", "Cc", "Bcc"].compactMap { draft.header($0) }.filter { $0.contains("@") }
        guard !recipients.isEmpty else { return Self.apiError(400, reason: "invalidArgument", message: "Invalid To header") }
        mailbox.drafts[draftID] = nil
        mailbox.messages[messageID] = nil
        _ = mailbox.recordChange(.messageDeleted, draft)
        let sentID = mailbox.newID()
        var sent = draft
        sent.id = sentID
        sent.labelIDs = ["SENT"]
        sent.internalDate = now
        sent.historyID = mailbox.recordChange(.messageAdded, sent)
        mailbox.messages[sentID] = sent
        mailbox.sendsPerDraft[draftID, default: 0] += 1
        mailboxes[call.email] = mailbox
        return .json(["id": .string(sentID), "threadId": .string(sent.threadID), "labelIds": ["SENT"]])
    }

    /// `drafts.get`: the draft as it is now (the owner may have edited it in Gmail since it was written).
    func getDraft(_ call: GmailCall) -> FakeGoogleReply {
        guard let mailbox = mailboxes[call.email], let draftID = call.resourceID, let messageID = mailbox.drafts[draftID],
              let message = mailbox.messages[messageID] else {
            return Self.gmailNotFound()
        }
        guard let resource = Self.messageResource(message, format: call.query("format") ?? "full", headers: []) else {
            return Self.gmailInvalid("The fake Gmail does not serve format=\(call.query("format") ?? "full"); use raw or metadata")
        }
        return .json(["id": .string(draftID), "message": .object(resource)])
    }

    func deleteDraft(_ call: GmailCall) -> FakeGoogleReply {
        guard var mailbox = mailboxes[call.email], let draftID = call.resourceID, let messageID = mailbox.drafts[draftID],
              let message = mailbox.messages[messageID] else {
            return Self.gmailNotFound()
        }
        mailbox.drafts[draftID] = nil
        mailbox.messages[messageID] = nil
        _ = mailbox.recordChange(.messageDeleted, message)
        mailboxes[call.email] = mailbox
        return FakeGoogleReply(status: 204)
    }

    /// What Gmail refuses in a raw message: no header block, or a `From` / `To` that is not an address list.
    static func messageProblem(_ raw: Data) -> String? {
        let headers = FakeRFC822.headers(raw)
        guard !headers.isEmpty else { return "Invalid RFC 822 message: no headers" }
        let head = FakeRFC822.split(raw).head
        if head.utf8.contains(where: { $0 >= 0x80 }) {
            return "Invalid RFC 822 message: raw 8-bit bytes in headers (encode them as RFC 2047 words)"
        }
        for name in ["From", "To", "Cc"] {
            if let value = headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value, !value.contains("@") {
                return "Invalid \(name) header"
            }
        }
        return nil
    }

    // MARK: users.history

    func listHistory(_ call: GmailCall) -> FakeGoogleReply {
        guard let startText = call.query("startHistoryId"), let start = UInt64(startText) else {
            return Self.gmailInvalid("Missing or invalid startHistoryId")
        }
        let mailbox = mailboxes[call.email] ?? GmailMailbox()
        guard start >= mailbox.oldestHistoryID else { return Self.gmailNotFound() }
        let types = Set(call.queryAll("historyTypes"))
        let label = call.query("labelId")
        let records = mailbox.history.filter { record in
            record.id > start && (types.isEmpty || types.contains(record.change.rawValue))
                && (label == nil || record.labelIDs.contains(label!) || record.changedLabels.contains(label!))
        }
        let size = min(Int(call.query("maxResults") ?? "") ?? 100, 500)
        var offset = 0
        if let token = call.query("pageToken") {
            guard token.hasPrefix("h-"), let value = Int(token.dropFirst(2)), value <= records.count else {
                return Self.gmailInvalid("Invalid pageToken")
            }
            offset = value
        }
        let page = records.dropFirst(offset).prefix(max(size, 1))
        var body: [String: FakeJSON] = ["historyId": .string(String(mailbox.historyID))]
        if !page.isEmpty { body["history"] = .array(page.map(Self.historyResource)) }
        if offset + page.count < records.count { body["nextPageToken"] = .string("h-\(offset + page.count)") }
        return .json(.object(body))
    }

    static func historyResource(_ record: GmailMailbox.HistoryRecord) -> FakeJSON {
        let message: FakeJSON = ["id": .string(record.messageID), "threadId": .string(record.threadID),
                                 "labelIds": .array(record.labelIDs.map { .string($0) })]
        var resource: [String: FakeJSON] = ["id": .string(String(record.id)),
                                            "messages": [["id": .string(record.messageID), "threadId": .string(record.threadID)]]]
        switch record.change {
        case .messageAdded: resource["messagesAdded"] = [["message": message]]
        case .messageDeleted: resource["messagesDeleted"] = [["message": message]]
        case .labelAdded:
            resource["labelsAdded"] = [["message": message, "labelIds": .array(record.changedLabels.map { .string($0) })]]
        case .labelRemoved:
            resource["labelsRemoved"] = [["message": message, "labelIds": .array(record.changedLabels.map { .string($0) })]]
        }
        return .object(resource)
    }
}
