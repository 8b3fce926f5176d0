import Foundation

/// Gmail v1 (`{GOOGLE_API_URL}/gmail/v1/users/{userId}/…`): routing and the checks every call passes
/// (shape against the discovery document, injected faults, credentials, the method's scopes, whose
/// mailbox), `users.getProfile` and `users.messages.list/get/modify`. Drafts and history live in
/// `FakeGoogleState+GmailDrafts.swift`, the query language in `FakeGoogleState+GmailQuery.swift`.
extension FakeGoogleState {
    struct GmailCall {
        var methodID: String
        var resourceID: String?
        var query: [(name: String, value: String)]
        var body: FakeJSON?
        var email: String

        func query(_ name: String) -> String? { query.first { $0.name == name }?.value }
        func queryAll(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }
    }

    /// Serves `{method} /gmail/v1/{segments…}`.
    func gmailAPI(httpMethod: String, segments: [String], query: [(name: String, value: String)], body: Data,
                  contentType: String, bearer: String?) -> FakeGoogleReply {
        var request = FakeGoogleRequest(method: "unknown", httpMethod: httpMethod, path: "/gmail/v1/" + segments.joined(separator: "/"),
                                        query: query, body: nil, form: [:], status: 0, account: nil, receivedAt: now)
        let reply = serveGmail(httpMethod: httpMethod, segments: segments, query: query, body: body, contentType: contentType,
                               bearer: bearer, request: &request)
        request.status = reply.status
        record(request)
        return reply
    }

    private func serveGmail(httpMethod: String, segments: [String], query: [(name: String, value: String)], body: Data,
                            contentType: String, bearer: String?, request: inout FakeGoogleRequest) -> FakeGoogleReply {
        guard let (methodID, userID, resourceID) = Self.gmailRoute(httpMethod, segments) else {
            return Self.apiError(404, reason: "notFound", message: "Not Found")
        }
        let allowed = Set(FakeGoogleDiscovery.method(methodID)?["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let admission: Admission
        switch admit(methodID: methodID, query: query, body: body, contentType: contentType, bearer: bearer,
                     scopes: allowed, request: &request) {
        case .success(let admitted): admission = admitted
        case .failure(let refusal): return refusal.reply
        }
        let (json, grant) = (admission.body, admission.grant)
        guard userID == "me" || userID.lowercased() == grant.email.lowercased() else {
            return Self.apiError(403, reason: "forbidden", message: "Delegation denied for \(grant.email)")
        }
        let call = GmailCall(methodID: methodID, resourceID: resourceID, query: query, body: json, email: grant.email)
        let (served, schema) = dispatchGmail(call)
        var reply = served
        if let lost = mailboxes[grant.email]?.lostResponses[methodID], lost > 0 {
            mailboxes[grant.email]?.lostResponses[methodID] = lost - 1
            reply = Self.apiError(503, reason: "backendError", message: "Backend Error")
        }
        checkResponse(reply, methodID: methodID, schema: schema)
        return reply
    }

    /// The discovery method id, `userId` and resource id of a request, or nil for a path Gmail lacks.
    static func gmailRoute(_ method: String, _ segments: [String]) -> (String, String, String?)? {
        guard segments.count >= 3, segments[0] == "users", !segments[1].isEmpty else { return nil }
        let user = segments[1]
        let rest = Array(segments.dropFirst(2))
        switch (method, rest.count) {
        case ("GET", 1) where rest[0] == "profile": return ("gmail.users.getProfile", user, nil)
        case ("GET", 1) where rest[0] == "messages": return ("gmail.users.messages.list", user, nil)
        case ("GET", 2) where rest[0] == "messages": return ("gmail.users.messages.get", user, rest[1])
        case ("POST", 3) where rest[0] == "messages" && rest[2] == "modify": return ("gmail.users.messages.modify", user, rest[1])
        case ("GET", 1) where rest[0] == "history": return ("gmail.users.history.list", user, nil)
        case ("POST", 1) where rest[0] == "drafts": return ("gmail.users.drafts.create", user, nil)
        case ("POST", 2) where rest[0] == "drafts" && rest[1] == "send": return ("gmail.users.drafts.send", user, nil)
        case ("DELETE", 2) where rest[0] == "drafts": return ("gmail.users.drafts.delete", user, rest[1])
        case ("GET", 2) where rest[0] == "drafts" && rest[1] != "send": return ("gmail.users.drafts.get", user, rest[1])
        default: return nil
        }
    }

    private func dispatchGmail(_ call: GmailCall) -> (FakeGoogleReply, String?) {
        switch call.methodID {
        case "gmail.users.getProfile": (profile(call), "Profile")
        case "gmail.users.messages.list": (listMail(call), "ListMessagesResponse")
        case "gmail.users.messages.get": (getMail(call), "Message")
        case "gmail.users.messages.modify": (modifyMail(call), "Message")
        case "gmail.users.history.list": (listHistory(call), "ListHistoryResponse")
        case "gmail.users.drafts.create": (createDraft(call), "Draft")
        case "gmail.users.drafts.send": (sendDraft(call), "Message")
        case "gmail.users.drafts.delete": (deleteDraft(call), nil)
        case "gmail.users.drafts.get": (getDraft(call), "Draft")
        default: (Self.apiError(404, reason: "notFound", message: "Not Found"), nil)
        }
    }

    /// The next `count` calls of `methodID` by `email` are carried out, but their answers are replaced
    /// by 503, as when the connection drops after Gmail acted: a client that retries must not act twice.
    public func loseResponses(_ count: Int = 1, of methodID: String, in email: String) {
        mailboxes[email, default: GmailMailbox()].lostResponses[methodID, default: 0] += count
    }

    static func gmailNotFound() -> FakeGoogleReply {
        apiError(404, reason: "notFound", message: "Requested entity was not found.")
    }

    static func gmailInvalid(_ message: String) -> FakeGoogleReply {
        apiError(400, reason: "invalidArgument", message: message)
    }

    // MARK: users.getProfile

    private func profile(_ call: GmailCall) -> FakeGoogleReply {
        let mailbox = mailboxes[call.email] ?? GmailMailbox()
        let visible = mailbox.messages.values.filter { !$0.labelIDs.contains("DRAFT") }
        return .json(["emailAddress": .string(call.email), "messagesTotal": .int(Int64(visible.count)),
                      "threadsTotal": .int(Int64(Set(visible.map(\.threadID)).count)), "historyId": .string(String(mailbox.historyID))])
    }

    // MARK: users.messages

    private func listMail(_ call: GmailCall) -> FakeGoogleReply {
        let mailbox = mailboxes[call.email] ?? GmailMailbox()
        let query: GmailQuery
        do {
            query = try GmailQuery(call.query("q") ?? "", now: now)
        } catch {
            return Self.gmailInvalid("\(error)")
        }
        let labels = call.queryAll("labelIds")
        let includeSpamTrash = call.query("includeSpamTrash") == "true" || query.mentionsSpamOrTrash
            || labels.contains("SPAM") || labels.contains("TRASH")
        let matching = mailbox.messages.values.filter { message in
            (includeSpamTrash || !(message.labelIDs.contains("SPAM") || message.labelIDs.contains("TRASH")))
                && labels.allSatisfy(message.labelIDs.contains)
                && query.matches(message, userLabels: mailbox.userLabels)
        }.sorted { ($0.internalDate, $0.id) > ($1.internalDate, $1.id) }
        let size = min(Int(call.query("maxResults") ?? "") ?? 100, 500)
        guard size > 0 else { return Self.gmailInvalid("Invalid maxResults") }
        var offset = 0
        if let token = call.query("pageToken") {
            guard token.hasPrefix("m-"), let value = Int(token.dropFirst(2)), value <= matching.count else {
                return Self.gmailInvalid("Invalid pageToken")
            }
            offset = value
        }
        let page = matching.dropFirst(offset).prefix(size)
        var body: [String: FakeJSON] = ["resultSizeEstimate": .int(Int64(matching.count))]
        if !page.isEmpty {
            body["messages"] = .array(page.map { ["id": .string($0.id), "threadId": .string($0.threadID)] })
        }
        if offset + page.count < matching.count { body["nextPageToken"] = .string("m-\(offset + page.count)") }
        return .json(.object(body))
    }

    private func getMail(_ call: GmailCall) -> FakeGoogleReply {
        guard let message = mailboxes[call.email]?.messages[call.resourceID ?? ""] else { return Self.gmailNotFound() }
        if let status = mailboxes[call.email]?.takeFetchFault(message.id) {
            return Self.apiError(status, reason: "backendError", message: "Backend Error")
        }
        return Self.messageReply(message, format: call.query("format") ?? "full", headers: call.queryAll("metadataHeaders"))
    }

    /// A `Message` resource in `format` (`minimal`, `metadata` with only the `metadataHeaders` named, or `raw`).
    static func messageReply(_ message: GmailMailbox.Message, format: String, headers names: [String]) -> FakeGoogleReply {
        guard let resource = messageResource(message, format: format, headers: names) else {
            // A documented format the fake does not build (MIME trees); refusing beats a wrong answer.
            return gmailInvalid("The fake Gmail does not serve format=\(format); use raw or metadata")
        }
        return .json(.object(resource))
    }

    static func messageResource(_ message: GmailMailbox.Message, format: String, headers names: [String]) -> [String: FakeJSON]? {
        var resource = minimalResource(message)
        switch format {
        case "minimal":
            break
        case "metadata":
            let wanted = Set(names.map { $0.lowercased() })
            let headers = message.headers.filter { wanted.isEmpty || wanted.contains($0.name.lowercased()) }
            resource["payload"] = ["partId": "", "mimeType": .string(mimeType(of: message)), "filename": "",
                                   "headers": .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] }),
                                   "body": ["size": 0]]
        case "raw":
            resource["raw"] = .string(FakeRFC822.base64url(message.raw))
        default:
            return nil
        }
        return resource
    }

    static func minimalResource(_ message: GmailMailbox.Message) -> [String: FakeJSON] {
        ["id": .string(message.id), "threadId": .string(message.threadID), "labelIds": .array(message.labelIDs.map { .string($0) }),
         "snippet": .string(String(message.text.prefix(400).split(whereSeparator: \.isNewline).joined(separator: " ").prefix(200))),
         "sizeEstimate": .int(Int64(message.raw.count)), "historyId": .string(String(message.historyID)),
         "internalDate": .string(String(Int64((message.internalDate.timeIntervalSince1970 * 1000).rounded())))]
    }

    static func mimeType(of message: GmailMailbox.Message) -> String {
        let type = message.header("Content-Type") ?? "text/plain"
        return type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "text/plain"
    }

    private func modifyMail(_ call: GmailCall) -> FakeGoogleReply {
        guard var mailbox = mailboxes[call.email], var message = mailbox.messages[call.resourceID ?? ""] else { return Self.gmailNotFound() }
        let add = call.body?["addLabelIds"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let remove = call.body?["removeLabelIds"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for label in add + remove {
            let known = GmailMailbox.systemLabels.contains(label) || mailbox.userLabels[label] != nil
            guard known, !["DRAFT", "SENT", "CHAT"].contains(label) else { return Self.gmailInvalid("Invalid label: \(label)") }
        }
        guard !message.labelIDs.contains("DRAFT") else { return Self.gmailInvalid("Cannot modify the labels of a draft message") }
        let added = add.filter { !message.labelIDs.contains($0) }
        message.labelIDs += added
        let removed = remove.filter { message.labelIDs.contains($0) && !added.contains($0) }
        message.labelIDs.removeAll { removed.contains($0) }
        if !added.isEmpty { message.historyID = mailbox.recordChange(.labelAdded, message, changed: added) }
        if !removed.isEmpty { message.historyID = mailbox.recordChange(.labelRemoved, message, changed: removed) }
        mailbox.messages[message.id] = message
        mailboxes[call.email] = mailbox
        return .json(["id": .string(message.id), "threadId": .string(message.threadID),
                      "labelIds": .array(message.labelIDs.map { .string($0) })])
    }
}
