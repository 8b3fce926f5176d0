import Foundation

/// An HTTP control API under `/_fake/…`, so a fake running in its own process can be driven by tests
/// and benchmarks written in any language. JSON in, JSON out; it mirrors `FakeTelegramState`'s test API.
///
/// | call | body / query | answer |
/// |---|---|---|
/// | `POST /_fake/message` | `{"text", "user": {"id", "first_name", "username"?}, "chat"?: {"id", "type", "title"?}, "reply_to"?}` | `{"update_id", "message_id"}` |
/// | `POST /_fake/tap` | `{"chat_id", "message_id", "user", "data"?}` | `{"update_id", "callback_query_id"}` or 404 |
/// | `GET /_fake/sent?chat_id=` | | the bot's messages (all chats without `chat_id`) |
/// | `GET /_fake/requests?method=` | | recorded Bot API calls |
/// | `GET /_fake/callbacks`, `/_fake/commands`, `/_fake/webhook`, `/_fake/pending` | | answers, commands, webhook, pending count |
/// | `POST /_fake/fault` | `{"kind": "429"/"5xx"/"delay"/"drop", "times"?, "method"?, "retry_after"?, "status"?, "seconds"?}` | `{}` |
/// | `POST /_fake/chat` / `block` / `unblock` / `migrate` / `flood` | `{"id","type","title"}` / `{"chat_id"}` / `{"chat_id","to"}` / `{"per_chat_per_second"}` | `{}` |
extension FakeTelegramState {
    public func control(_ path: String, parameters p: [String: FakeJSON]) -> FakeTelegramResponse {
        func ok(_ body: FakeJSON = [:]) -> FakeTelegramResponse { FakeTelegramResponse(status: 200, body: body) }
        func bad(_ text: String) -> FakeTelegramResponse { FakeTelegramResponse(status: 400, body: ["error": .string(text)]) }
        switch path {
        case "message":
            guard let text = p["text"]?.stringValue, let user = Self.user(p["user"]) else { return bad("text and user required") }
            let result = sendText(text, from: user, in: Self.chat(p["chat"]), replyTo: p["reply_to"]?.intValue)
            return ok(["update_id": .int(result.updateID), "message_id": .int(result.messageID)])
        case "tap":
            guard let chatID = p["chat_id"]?.intValue, let messageID = p["message_id"]?.intValue, let user = Self.user(p["user"])
            else { return bad("chat_id, message_id and user required") }
            guard let tap = tapButton(messageID: messageID, inChat: chatID, from: user, data: p["data"]?.stringValue) else {
                return FakeTelegramResponse(status: 404, body: ["error": "no such message or button"])
            }
            return ok(["update_id": .int(tap.updateID), "callback_query_id": .string(tap.callbackQueryID)])
        case "sent":
            let sent = p["chat_id"]?.intValue.map { sentMessages(chat: $0) } ?? allSentMessages()
            return ok(.array(sent.map(Self.json)))
        case "requests":
            return ok(.array(requests(method: p["method"]?.stringValue).map { request in
                ["method": .string(request.method), "parameters": .object(request.parameters),
                 "status": .int(Int64(request.status)), "at": .double(request.at.timeIntervalSince1970)]
            }))
        case "callbacks":
            return ok(.array(answers.map { ["callback_query_id": .string($0.callbackQueryID), "text": $0.text.map(FakeJSON.string) ?? .null,
                                            "show_alert": .bool($0.showAlert), "at": .double($0.at.timeIntervalSince1970)] }))
        case "commands":
            return ok(.array(commands.map { ["command": .string($0.command), "description": .string($0.description)] }))
        case "webhook":
            guard let webhook else { return ok(.null) }
            return ok(["url": .string(webhook.url), "secret_token": webhook.secretToken.map(FakeJSON.string) ?? .null])
        case "pending":
            return ok(["count": .int(Int64(pendingUpdates.count))])
        case "fault":
            guard let fault = Self.fault(p) else { return bad("kind must be 429, 5xx, delay or drop") }
            injectFault(fault, times: Int(p["times"]?.intValue ?? 1), method: p["method"]?.stringValue)
            return ok()
        case "chat":
            guard let chat = Self.chat(.object(p)) else { return bad("id and type required") }
            registerChat(chat)
            return ok()
        case "block", "unblock":
            guard let chatID = p["chat_id"]?.intValue else { return bad("chat_id required") }
            if path == "block" { blockBot(inChat: chatID) } else { unblockBot(inChat: chatID) }
            return ok()
        case "migrate":
            guard let chatID = p["chat_id"]?.intValue, let newID = p["to"]?.intValue else { return bad("chat_id and to required") }
            migrateGroup(chatID, to: newID)
            return ok()
        case "flood":
            setFloodControl(perChatPerSecond: p["per_chat_per_second"]?.intValue.map { Int($0) })
            return ok()
        default:
            return FakeTelegramResponse(status: 404, body: ["error": "unknown control call"])
        }
    }

    private static func user(_ json: FakeJSON?) -> FakeTelegramUser? {
        guard let json, let id = json["id"]?.intValue else { return nil }
        return FakeTelegramUser(id: id, firstName: json["first_name"]?.stringValue ?? "User \(id)",
                                lastName: json["last_name"]?.stringValue, username: json["username"]?.stringValue)
    }

    private static func chat(_ json: FakeJSON?) -> FakeTelegramChat? {
        guard let json, let id = json["id"]?.intValue else { return nil }
        return FakeTelegramChat(id: id, type: json["type"]?.stringValue ?? (id > 0 ? "private" : "group"),
                                title: json["title"]?.stringValue)
    }

    private static func fault(_ p: [String: FakeJSON]) -> FakeTelegramFault? {
        switch p["kind"]?.stringValue {
        case "429": .tooManyRequests(retryAfter: Int(p["retry_after"]?.intValue ?? 1))
        case "5xx": .serverError(status: Int(p["status"]?.intValue ?? 500))
        case "delay": .delay(.milliseconds(Int64((p["seconds"].flatMap { $0.stringValue }.flatMap(Double.init) ?? 1) * 1000)))
        case "drop": .dropConnection
        default: nil
        }
    }

    private static func json(_ message: FakeTelegramMessage) -> FakeJSON {
        ["message_id": .int(message.messageID), "chat_id": .int(message.chatID), "text": .string(message.text),
         "html": message.rawText.map(FakeJSON.string) ?? .null, "date": .double(message.date.timeIntervalSince1970),
         "edit_count": .int(Int64(message.editCount)),
         "buttons": .array(message.buttons.map { row in
             .array(row.map { ["text": .string($0.text), "callback_data": $0.callbackData.map(FakeJSON.string) ?? .null] })
         })]
    }
}
