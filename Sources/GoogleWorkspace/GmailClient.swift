import Foundation

/// Gmail v1 (`{GOOGLE_API_URL}/gmail/v1/users/me/…`) over a `GoogleAPIClient`, so retries, backoff,
/// the 401 refresh and error mapping are the same as for Calendar. Each request carries only the
/// query parameters and body fields the discovery document declares. Needs the `gmail.modify` scope
/// (`GoogleScope.mailConnection`).
///
/// Everything read from a message (headers, snippet, raw bytes) is untrusted data.
public struct GmailClient: Sendable {
    /// The headers triage reads: who, what, when, and the signs of bulk and automated mail.
    public static let triageHeaders = ["From", "To", "Cc", "Subject", "Date", "List-Unsubscribe", "Precedence", "Auto-Submitted"]

    public let api: any GoogleAPIClient

    public init(api: any GoogleAPIClient) {
        self.api = api
    }

    func path(_ rest: String...) -> [String] { ["gmail", "v1", "users", "me"] + rest }

    // MARK: Reading

    /// `users.getProfile`: the address and the current `historyId` (the start of incremental sync).
    public func profile() async throws -> GmailProfile {
        try await api.call(GoogleAPIRequest(name: "gmail.users.getProfile", path: path("profile")))
    }

    /// One page of `messages.list`, newest first.
    /// - Parameters:
    ///   - query: Gmail search syntax (`is:unread in:inbox newer_than:2d`).
    ///   - labelIDs: every one must be on the message (`INBOX`, `UNREAD`, `Label_12`).
    ///   - maxResults: 1…500 (Gmail's cap).
    public func listMessages(query: String? = nil, labelIDs: [String] = [], maxResults: Int = 100, pageToken: String? = nil,
                             includeSpamTrash: Bool = false) async throws -> GmailMessagePage {
        var parameters: [(name: String, value: String)] = [("maxResults", String(min(max(maxResults, 1), 500)))]
        if let query, !query.isEmpty { parameters.append(("q", query)) }
        parameters += labelIDs.map { ("labelIds", $0) }
        if includeSpamTrash { parameters.append(("includeSpamTrash", "true")) }
        if let pageToken { parameters.append(("pageToken", pageToken)) }
        return try await api.call(GoogleAPIRequest(name: "gmail.users.messages.list", path: path("messages"), query: parameters))
    }

    /// `messages.list`, following pages of `pageSize` until `limit` messages or the end.
    public func listAllMessages(query: String? = nil, labelIDs: [String] = [], limit: Int = 500,
                                pageSize: Int = 500) async throws -> [GmailMessageRef] {
        var messages: [GmailMessageRef] = []
        var pageToken: String?
        repeat {
            let page = try await listMessages(query: query, labelIDs: labelIDs, maxResults: min(limit - messages.count, pageSize),
                                              pageToken: pageToken)
            messages += page.messages
            pageToken = page.nextPageToken
        } while pageToken != nil && messages.count < limit
        return Array(messages.prefix(limit))
    }

    /// `messages.get` with `format=metadata`: labels, snippet and `headers` (default: `triageHeaders`).
    public func metadata(id: String, headers: [String] = GmailClient.triageHeaders) async throws -> GmailMessageMetadata {
        let query: [(name: String, value: String)] = [("format", "metadata")] + headers.map { ("metadataHeaders", $0) }
        let resource: GmailMessageResource = try await api.call(GoogleAPIRequest(
            name: "gmail.users.messages.get", path: path("messages", id), query: query))
        return GmailMessageMetadata(id: resource.id, threadID: resource.threadId ?? resource.id, labelIDs: resource.labelIds ?? [],
                                    snippet: resource.snippet ?? "", historyID: resource.historyId,
                                    internalDate: resource.internalDateValue, sizeEstimate: resource.sizeEstimate,
                                    headers: resource.payload?.headers ?? [])
    }

    /// `messages.get` with `format=raw`: the RFC 822 bytes, base64url-decoded (MIME parsing is the
    /// mail parser's job).
    public func rawMessage(id: String) async throws -> GmailRawMessage {
        let request = GoogleAPIRequest(name: "gmail.users.messages.get", path: path("messages", id), query: [("format", "raw")])
        let resource: GmailMessageResource = try await api.call(request)
        guard let encoded = resource.raw, let raw = GmailBase64URL.decode(encoded) else {
            throw GoogleError.malformed(status: 200, "messages.get format=raw sent no decodable raw message")
        }
        return GmailRawMessage(id: resource.id, threadID: resource.threadId ?? resource.id, labelIDs: resource.labelIds ?? [],
                               historyID: resource.historyId, internalDate: resource.internalDateValue, raw: raw)
    }

    /// `history.list` of `messageAdded` since `historyID`, every page: what arrived since the last check.
    /// - Parameter labelID: only messages carrying this label when added (e.g. `INBOX`); nil for all.
    /// - Throws: `GmailError.historyExpired` when Gmail answers 404: list recent mail again and store
    ///   `profile().historyId`.
    public func history(since historyID: String, labelID: String? = nil) async throws -> GmailHistoryChanges {
        var added: [GmailMessageRef] = []
        var seen: Set<String> = []
        var latest = historyID
        var pageToken: String?
        repeat {
            var query: [(name: String, value: String)] = [("startHistoryId", historyID), ("historyTypes", "messageAdded"),
                                                          ("maxResults", "500")]
            if let labelID { query.append(("labelId", labelID)) }
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page: GmailHistoryPage
            do {
                page = try await api.call(GoogleAPIRequest(name: "gmail.users.history.list", path: path("history"), query: query))
            } catch let error as GoogleError where error == .notFound {
                throw GmailError.historyExpired
            }
            for record in page.history ?? [] {
                for item in record.messagesAdded ?? [] where seen.insert(item.message.id).inserted {
                    added.append(item.message)
                }
            }
            if let current = page.historyId { latest = current }
            pageToken = page.nextPageToken
        } while pageToken != nil
        return GmailHistoryChanges(addedMessages: added, historyID: latest)
    }

    // MARK: Changing

    /// `messages.modify`: adds and removes labels; returns the message with its labels now.
    @discardableResult
    public func modify(id: String, addLabelIDs: [String] = [], removeLabelIDs: [String] = []) async throws -> GmailMessageRef {
        struct Body: Encodable {
            var addLabelIds: [String]?
            var removeLabelIds: [String]?
        }
        let body = Body(addLabelIds: addLabelIDs.isEmpty ? nil : addLabelIDs, removeLabelIds: removeLabelIDs.isEmpty ? nil : removeLabelIDs)
        return try await api.call(GoogleAPIRequest(name: "gmail.users.messages.modify", method: "POST",
                                                   path: path("messages", id, "modify"), body: try HTTPGoogleAPIClient.jsonBody(body)))
    }

    /// Archive = take it out of the inbox.
    @discardableResult
    public func archive(id: String) async throws -> GmailMessageRef { try await modify(id: id, removeLabelIDs: ["INBOX"]) }

    @discardableResult
    public func markRead(id: String) async throws -> GmailMessageRef { try await modify(id: id, removeLabelIDs: ["UNREAD"]) }

    /// Adds a label by id (`Label_12`, `STARRED`, `IMPORTANT`).
    @discardableResult
    public func addLabel(_ labelID: String, to id: String) async throws -> GmailMessageRef {
        try await modify(id: id, addLabelIDs: [labelID])
    }
}

/// Gmail's `bytes` fields: URL-safe base64; Google may pad or not.
enum GmailBase64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            .filter { !$0.isWhitespace }
        while normalized.count % 4 != 0 { normalized += "=" }
        return Data(base64Encoded: normalized)
    }
}
