import Foundation

/// The Bot API methods, validating as the official documentation says (and the real server answers).
extension FakeTelegramState {
    /// Answers one call. `method` is case-insensitive, as in the Bot API.
    public func handle(method: String, parameters: [String: FakeJSON]) async -> FakeTelegramResponse {
        // Recorded on arrival (status 0 until answered), so a long poll still waiting is visible.
        let index = record(method, parameters, status: 0)
        let response: FakeTelegramResponse
        switch method.lowercased() {
        case "getme": response = .ok(bot.json.merging(["can_join_groups": true, "can_read_all_group_messages": false,
                                                        "supports_inline_queries": false]))
        case "getupdates": response = await getUpdates(parameters)
        case "sendmessage": response = sendMessage(parameters)
        case "editmessagetext": response = editMessageText(parameters)
        case "answercallbackquery": response = answerCallbackQuery(parameters)
        case "sendchataction": response = sendChatAction(parameters)
        case "setmycommands": response = setMyCommands(parameters)
        case "getmycommands": response = .ok(.array(commands.map { ["command": .string($0.command), "description": .string($0.description)] }))
        case "setwebhook": response = setWebhook(parameters)
        case "deletewebhook": response = deleteWebhook(parameters)
        case "getwebhookinfo": response = getWebhookInfo()
        default: response = .notFound
        }
        recorded[index].status = response.status
        return response
    }

    // MARK: getUpdates — long polling with offset confirmation

    private func getUpdates(_ p: [String: FakeJSON]) async -> FakeTelegramResponse {
        if webhook != nil {
            return .error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        }
        // A newer getUpdates ends any older one still waiting, as Telegram does.
        wakeWaiters(terminated: true)
        let offset = p["offset"]?.intValue ?? 0
        let limit = Int(min(max(p["limit"]?.intValue ?? 100, 1), 100))
        let timeout = max(p["timeout"]?.intValue ?? 0, 0)
        if let allowed = p["allowed_updates"]?.arrayValue {
            allowedUpdates = Set(allowed.compactMap(\.stringValue))
        }
        if offset > 0 {
            pendingUpdates.removeAll { $0.id < offset }
        } else if offset < 0 {
            pendingUpdates = Array(pendingUpdates.suffix(Int(-offset)))
        }
        if pendingUpdates.isEmpty, timeout > 0, !stopped {
            let id = nextWaiterID
            nextWaiterID += 1
            let terminated = await withCheckedContinuation { continuation in
                waiters[id] = continuation
                Task { [weak self] in
                    try? await Task.sleep(for: .seconds(timeout))
                    await self?.resumeWaiter(id)
                }
            }
            if terminated {
                return .error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            }
        }
        let batch = pendingUpdates.prefix(limit)
        let now = Date()
        for update in batch where servedAt[update.id] == nil { servedAt[update.id] = now }
        return .ok(.array(batch.map(\.json)))
    }

    // MARK: Messages

    private func sendMessage(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        let chatID: Int64
        switch writableChat(p["chat_id"]) {
        case .failure(let refusal): return refusal
        case .success(let id): chatID = id
        }
        let parsed: FakeTelegramHTML.Parsed
        switch parseText(p["text"]?.stringValue, parseMode: p["parse_mode"]?.stringValue) {
        case .failure(let refusal): return refusal
        case .success(let value): parsed = value
        }
        let buttons: [[FakeTelegramButton]]
        switch parseKeyboard(p["reply_markup"]) {
        case .failure(let refusal): return refusal
        case .success(let value): buttons = value
        }
        if let refusal = floodControl(chatID) { return refusal }
        let message = FakeTelegramMessage(messageID: nextMessageID(in: chatID), chatID: chatID, fromBot: true,
                                          senderID: bot.id, date: Date(), text: parsed.text,
                                          rawText: p["text"]?.stringValue, parseMode: p["parse_mode"]?.stringValue,
                                          entities: parsed.entities, buttons: buttons, editCount: 0,
                                          replyToMessageID: p["reply_to_message_id"]?.intValue)
        messages[chatID, default: []].append(message)
        return .ok(messageJSON(message))
    }

    private func editMessageText(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        if p["inline_message_id"] != nil { return .error(400, "Bad Request: MESSAGE_ID_INVALID") }
        let chatID: Int64
        switch writableChat(p["chat_id"]) {
        case .failure(let refusal): return refusal
        case .success(let id): chatID = id
        }
        guard let messageID = p["message_id"]?.intValue else {
            return .error(400, "Bad Request: message identifier is not specified")
        }
        guard let index = messages[chatID]?.firstIndex(where: { $0.messageID == messageID }) else {
            return .error(400, "Bad Request: message to edit not found")
        }
        guard messages[chatID]![index].fromBot else { return .error(400, "Bad Request: message can't be edited") }
        let parsed: FakeTelegramHTML.Parsed
        switch parseText(p["text"]?.stringValue, parseMode: p["parse_mode"]?.stringValue) {
        case .failure(let refusal): return refusal
        case .success(let value): parsed = value
        }
        // Without reply_markup the edited message has no keyboard.
        let buttons: [[FakeTelegramButton]]
        switch parseKeyboard(p["reply_markup"]) {
        case .failure(let refusal): return refusal
        case .success(let value): buttons = value
        }
        var message = messages[chatID]![index]
        if message.text == parsed.text, message.entities == parsed.entities, message.buttons == buttons {
            return .error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
        }
        editLog.append(FakeTelegramEdit(chatID: chatID, messageID: messageID, previousText: message.text,
                                        text: parsed.text, buttons: buttons, at: Date()))
        message.text = parsed.text
        message.rawText = p["text"]?.stringValue
        message.entities = parsed.entities
        message.buttons = buttons
        message.editCount += 1
        messages[chatID]![index] = message
        return .ok(messageJSON(message))
    }

    private func answerCallbackQuery(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        guard let id = p["callback_query_id"]?.stringValue, openCallbackQueries.remove(id) != nil else {
            return .error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        }
        let text = p["text"]?.stringValue
        if let text, text.utf16.count > 200 {
            openCallbackQueries.insert(id)
            return .error(400, "Bad Request: MESSAGE_TOO_LONG")
        }
        answers.append(FakeTelegramCallbackAnswer(callbackQueryID: id, text: text,
                                                  showAlert: p["show_alert"]?.boolValue ?? false, at: Date()))
        return .ok(true)
    }

    private func sendChatAction(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        let chatID: Int64
        switch writableChat(p["chat_id"]) {
        case .failure(let refusal): return refusal
        case .success(let id): chatID = id
        }
        let actions: Set<String> = ["typing", "upload_photo", "record_video", "upload_video", "record_voice",
                                    "upload_voice", "upload_document", "choose_sticker", "find_location",
                                    "record_video_note", "upload_video_note"]
        guard let action = p["action"]?.stringValue, actions.contains(action) else {
            return .error(400, "Bad Request: wrong parameter action in request")
        }
        chatActions.append((chatID, action))
        return .ok(true)
    }

    // MARK: Bot settings

    private func setMyCommands(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        guard let list = p["commands"]?.arrayValue else { return .error(400, "Bad Request: parameter \"commands\" is required") }
        guard list.count <= 100 else { return .error(400, "Bad Request: too many commands") }
        var parsed: [FakeTelegramBotCommand] = []
        for item in list {
            let command = item["command"]?.stringValue ?? ""
            let description = item["description"]?.stringValue ?? ""
            guard (1...32).contains(command.count),
                  command.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            else { return .error(400, "Bad Request: BOT_COMMAND_INVALID") }
            guard (1...256).contains(description.count) else {
                return .error(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            }
            parsed.append(FakeTelegramBotCommand(command: command, description: description))
        }
        commands = parsed
        return .ok(true)
    }

    private func setWebhook(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        let url = p["url"]?.stringValue ?? ""
        if url.isEmpty { return deleteWebhook(p) }
        // Telegram wants HTTPS on ports 443/80/88/8443; the fake also takes http on loopback for tests.
        guard let parsed = URL(string: url), ["https", "http"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            return .error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        }
        let secret = p["secret_token"]?.stringValue
        if let secret, !(1...256).contains(secret.count)
            || !secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            return .error(400, "Bad Request: secret token contains unallowed characters")
        }
        if p["drop_pending_updates"]?.boolValue == true { pendingUpdates.removeAll() }
        let allowed = p["allowed_updates"]?.arrayValue?.compactMap(\.stringValue)
        if let allowed { allowedUpdates = Set(allowed) }
        webhook = FakeTelegramWebhook(url: url, secretToken: secret, allowedUpdates: allowed)
        wakeWaiters(terminated: true)
        return .ok(true, description: "Webhook was set")
    }

    private func deleteWebhook(_ p: [String: FakeJSON]) -> FakeTelegramResponse {
        if p["drop_pending_updates"]?.boolValue == true { pendingUpdates.removeAll() }
        let existed = webhook != nil
        webhook = nil
        return .ok(true, description: existed ? "Webhook was deleted" : "Webhook is already deleted")
    }

    private func getWebhookInfo() -> FakeTelegramResponse {
        var info: [String: FakeJSON] = ["url": .string(webhook?.url ?? ""), "has_custom_certificate": false,
                                        "pending_update_count": .int(Int64(pendingUpdates.count))]
        if let webhook {
            info["max_connections"] = 40
            if let allowed = webhook.allowedUpdates { info["allowed_updates"] = .array(allowed.map { .string($0) }) }
        }
        return .ok(.object(info))
    }

    // MARK: Validation shared by the methods

    /// The chat a message may be sent to, or Telegram's refusal.
    private func writableChat(_ value: FakeJSON?) -> Result<Int64, FakeTelegramResponse> {
        guard let value, let text = value.stringValue, !text.isEmpty else {
            return .failure(.error(400, "Bad Request: chat_id is empty"))
        }
        guard let id = value.intValue else { return .failure(.chatNotFound) }
        if let newID = migratedChats[id] {
            return .failure(.error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                                   parameters: ["migrate_to_chat_id": .int(newID)]))
        }
        guard chats[id] != nil else { return .failure(.chatNotFound) }
        if blockedChats.contains(id) { return .failure(.blocked) }
        return .success(id)
    }

    private func parseText(_ text: String?, parseMode: String?) -> Result<FakeTelegramHTML.Parsed, FakeTelegramResponse> {
        guard let text, !text.isEmpty else { return .failure(.error(400, "Bad Request: message text is empty")) }
        var parsed = FakeTelegramHTML.Parsed(text: text, entities: [])
        switch parseMode?.lowercased() {
        case nil, "": break
        case "html":
            switch FakeTelegramHTML.parse(text) {
            case .success(let value): parsed = value
            case .failure(let error): return .failure(.error(400, "Bad Request: can't parse entities: \(error.message)"))
            }
        case "markdown", "markdownv2": break  // not modelled: taken as plain text
        default: return .failure(.error(400, "Bad Request: unsupported parse_mode"))
        }
        if parsed.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .failure(.error(400, "Bad Request: message text is empty"))
        }
        // "1-4096 characters after entities parsing", counted in UTF-16 code units.
        if parsed.text.utf16.count > 4096 { return .failure(.error(400, "Bad Request: message is too long")) }
        return .success(parsed)
    }

    private func parseKeyboard(_ value: FakeJSON?) -> Result<[[FakeTelegramButton]], FakeTelegramResponse> {
        guard let value else { return .success([]) }
        guard let markup = value.objectValue else {
            return .failure(.error(400, "Bad Request: can't parse reply keyboard markup JSON object"))
        }
        guard let rows = markup["inline_keyboard"]?.arrayValue else {
            return markup.isEmpty ? .success([]) : .failure(.error(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays"))
        }
        var keyboard: [[FakeTelegramButton]] = []
        for row in rows {
            guard let buttons = row.arrayValue else {
                return .failure(.error(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays"))
            }
            var parsedRow: [FakeTelegramButton] = []
            for button in buttons {
                guard let text = button["text"]?.stringValue, !text.isEmpty else {
                    return .failure(.error(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"))
                }
                let data = button["callback_data"]?.stringValue
                let url = button["url"]?.stringValue
                if let data, !(1...64).contains(data.utf8.count) {
                    return .failure(.error(400, "Bad Request: BUTTON_DATA_INVALID"))
                }
                guard data != nil || url != nil else {
                    return .failure(.error(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"))
                }
                parsedRow.append(FakeTelegramButton(text: text, callbackData: data, url: url))
            }
            if !parsedRow.isEmpty { keyboard.append(parsedRow) }
        }
        return .success(keyboard)
    }

    private func floodControl(_ chatID: Int64) -> FakeTelegramResponse? {
        guard let limit = floodLimitPerChatPerSecond else { return nil }
        let now = Date()
        // 100 ms of slack: sends spaced a second apart by the client arrive with network jitter.
        var recent = (recentSends[chatID] ?? []).filter { now.timeIntervalSince($0) < 0.9 }
        guard recent.count < limit else {
            floodRefusals += 1
            return .error(429, "Too Many Requests: retry after 1", parameters: ["retry_after": 1])
        }
        recent.append(now)
        recentSends[chatID] = recent
        return nil
    }
}

extension FakeJSON {
    func merging(_ other: [String: FakeJSON]) -> FakeJSON {
        guard case .object(var object) = self else { return self }
        for (key, value) in other { object[key] = value }
        return .object(object)
    }
}
