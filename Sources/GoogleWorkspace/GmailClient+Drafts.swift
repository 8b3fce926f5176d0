import Foundation

/// Drafts: the only way Steward sends mail. A reply is created as a draft, shown on an approval card,
/// and sent by draft id once approved.
extension GmailClient {
    /// `drafts.create` with a complete RFC 822 message (see `GmailMessageBuilder`). `threadID` puts a
    /// reply in the original's thread (Gmail also needs matching `References` and `Subject`).
    public func createDraft(raw: Data, threadID: String? = nil) async throws -> GmailDraft {
        struct Message: Encodable {
            var raw: String
            var threadId: String?
        }
        struct Body: Encodable { var message: Message }
        let body = Body(message: Message(raw: GmailBase64URL.encode(raw), threadId: threadID))
        return try await api.call(GoogleAPIRequest(name: "gmail.users.drafts.create", method: "POST", path: path("drafts"),
                                                   body: try HTTPGoogleAPIClient.jsonBody(body)))
    }

    /// `drafts.get` with `format=raw`: the message the draft holds now — the owner may have changed it in
    /// Gmail since Steward wrote it. Throws `GoogleError.notFound` when the draft is gone.
    public func draftMessage(id: String) async throws -> GmailRawMessage {
        struct Resource: Decodable {
            var id: String
            var message: GmailMessageResource
        }
        let resource: Resource = try await api.call(GoogleAPIRequest(name: "gmail.users.drafts.get", path: path("drafts", id),
                                                                     query: [("format", "raw")]))
        let message = resource.message
        guard let encoded = message.raw, let raw = GmailBase64URL.decode(encoded) else {
            throw GoogleError.malformed(status: 200, "drafts.get format=raw sent no decodable raw message")
        }
        return GmailRawMessage(id: message.id, threadID: message.threadId ?? message.id, labelIDs: message.labelIds ?? [],
                               historyID: message.historyId, internalDate: message.internalDateValue, raw: raw)
    }

    /// `drafts.send` by id; returns the sent message (a new id, labelled `SENT`).
    /// - Throws: `GoogleError.notFound` when Gmail has no such draft — which is also what a second send
    ///   of a draft answers. Use `sendDraftOnce` to tell the two apart.
    public func sendDraft(id: String) async throws -> GmailMessageRef {
        struct Body: Encodable { var id: String }
        return try await api.call(GoogleAPIRequest(name: "gmail.users.drafts.send", method: "POST", path: path("drafts", "send"),
                                                   body: try HTTPGoogleAPIClient.jsonBody(Body(id: id))))
    }

    /// Sends a draft so that one message goes out even when an answer is lost: the client retries a
    /// send that failed with a 5xx or a dropped connection, and Gmail answers a draft that was already
    /// sent with 404; then the sent message is looked up by the `Message-ID` the draft carried.
    /// - Parameter messageID: the draft's `Message-ID` header (`GmailOutgoingMessage.messageID`).
    /// - Throws: `GmailError.draftNotFound` when there is neither the draft nor a sent message with
    ///   that `Message-ID` (nothing was sent).
    public func sendDraftOnce(id: String, messageID: String) async throws -> GmailSendOutcome {
        do {
            return .sent(try await sendDraft(id: id))
        } catch let error as GoogleError where error == .notFound {
            if let sent = try await sentMessage(withMessageID: messageID) { return .alreadySent(sent) }
            throw GmailError.draftNotFound(id)
        }
    }

    /// The message in Sent whose `Message-ID` header is `messageID`, or nil.
    public func sentMessage(withMessageID messageID: String) async throws -> GmailMessageRef? {
        let bare = messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
        let page = try await listMessages(query: "in:sent rfc822msgid:\(bare)", maxResults: 1)
        return page.messages.first
    }

    /// `drafts.delete`: the draft is gone for good (a rejected reply).
    public func deleteDraft(id: String) async throws {
        _ = try await api.send(GoogleAPIRequest(name: "gmail.users.drafts.delete", method: "DELETE", path: path("drafts", id)))
    }
}
