import Foundation

/// Everything the fake Telegram Bot API knows: chats, messages, pending updates, webhook, faults.
/// An actor with an async API, so tests in-process and a standalone fake process drive it the same way.
/// The Bot API methods live in `FakeTelegramState+Methods.swift`; this file holds the state and the
/// test-facing API (enqueue updates, inspect what the bot sent).
public actor FakeTelegramState {
    public nonisolated let token: String
    public nonisolated let bot: FakeTelegramUser

    var users: [Int64: FakeTelegramUser] = [:]
    var chats: [Int64: FakeTelegramChat] = [:]
    var blockedChats: Set<Int64> = []
    var migratedChats: [Int64: Int64] = [:]
    var messages: [Int64: [FakeTelegramMessage]] = [:]
    var lastMessageID: [Int64: Int64] = [:]

    var pendingUpdates: [(id: Int64, type: String, json: FakeJSON)] = []
    var nextUpdateID: Int64 = 500_000_001
    var allowedUpdates: Set<String>?
    var openCallbackQueries: Set<String> = []
    var nextCallbackID = 1

    var recorded: [FakeTelegramRequest] = []
    var editLog: [FakeTelegramEdit] = []
    var answers: [FakeTelegramCallbackAnswer] = []
    var chatActions: [(chatID: Int64, action: String)] = []
    var commands: [FakeTelegramBotCommand] = []
    var webhook: FakeTelegramWebhook?

    var faults: [(fault: FakeTelegramFault, remaining: Int, method: String?)] = []
    var floodLimitPerChatPerSecond: Int?
    var floodRefusals = 0
    var recentSends: [Int64: [Date]] = [:]

    /// Long polls waiting for an update; resumed with true when a newer getUpdates terminates them.
    var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    var nextWaiterID = 0
    var stopped = false
    /// When each update was first handed out by getUpdates (for latency measurements).
    var servedAt: [Int64: Date] = [:]

    public init(token: String, bot: FakeTelegramUser = .stewardBot) {
        self.token = token
        self.bot = bot
    }

    // MARK: - Chats and users

    /// Makes a chat known, as if a user had written to the bot there.
    public func registerChat(_ chat: FakeTelegramChat, user: FakeTelegramUser? = nil) {
        chats[chat.id] = chat
        if let user { users[user.id] = user }
    }

    /// The user blocked the bot: sends to their chat answer 403.
    public func blockBot(inChat chatID: Int64) { blockedChats.insert(chatID) }
    public func unblockBot(inChat chatID: Int64) { blockedChats.remove(chatID) }

    /// The group became a supergroup: sends to `chatID` answer 400 with `migrate_to_chat_id`.
    public func migrateGroup(_ chatID: Int64, to newChatID: Int64) {
        migratedChats[chatID] = newChatID
        if var chat = chats[chatID] {
            chat.id = newChatID
            chat.type = "supergroup"
            chats[newChatID] = chat
        }
    }

    // MARK: - Updates from users

    /// A user writes `text` (a command if it starts with `/`) in `chat` (default: their private chat).
    @discardableResult
    public func sendText(_ text: String, from user: FakeTelegramUser, in chat: FakeTelegramChat? = nil,
                         replyTo messageID: Int64? = nil) -> (updateID: Int64, messageID: Int64) {
        let chat = chat ?? .privateChat(with: user)
        registerChat(chat, user: user)
        let message = FakeTelegramMessage(messageID: nextMessageID(in: chat.id), chatID: chat.id, fromBot: false,
                                          senderID: user.id, date: Date(), text: text, rawText: nil, parseMode: nil,
                                          entities: Self.userEntities(text), buttons: [], editCount: 0,
                                          replyToMessageID: messageID)
        messages[chat.id, default: []].append(message)
        let updateID = enqueue(type: "message", payload: messageJSON(message))
        return (updateID, message.messageID)
    }

    /// A user taps a button on one of the bot's messages. `data` defaults to the first button's.
    @discardableResult
    public func tapButton(messageID: Int64, inChat chatID: Int64, from user: FakeTelegramUser,
                          data: String? = nil) -> (updateID: Int64, callbackQueryID: String)? {
        guard let message = messages[chatID]?.first(where: { $0.messageID == messageID }) else { return nil }
        guard let data = data ?? message.buttons.first?.first?.callbackData else { return nil }
        users[user.id] = user
        let id = "\(user.id)\(nextCallbackID)"
        nextCallbackID += 1
        openCallbackQueries.insert(id)
        let query: FakeJSON = ["id": .string(id), "from": user.json, "message": messageJSON(message),
                               "chat_instance": .string("ci\(chatID)"), "data": .string(data)]
        return (enqueue(type: "callback_query", payload: query), id)
    }

    /// Queues any update payload (e.g. a recorded one); `update_id` is assigned. Returns it.
    @discardableResult
    public func enqueue(type: String, payload: FakeJSON) -> Int64 {
        let id = nextUpdateID
        nextUpdateID += 1
        // Telegram does not create updates of types the bot said it does not want.
        if let allowedUpdates, !allowedUpdates.isEmpty, !allowedUpdates.contains(type) { return id }
        pendingUpdates.append((id, type, .object(["update_id": .int(id), type: payload])))
        wakeWaiters(terminated: false)
        return id
    }

    // MARK: - Inspection

    public func sentMessages(chat chatID: Int64) -> [FakeTelegramMessage] {
        (messages[chatID] ?? []).filter(\.fromBot)
    }

    public func allSentMessages() -> [FakeTelegramMessage] {
        messages.values.flatMap { $0.filter(\.fromBot) }.sorted { $0.date < $1.date }
    }

    public func message(_ messageID: Int64, inChat chatID: Int64) -> FakeTelegramMessage? {
        messages[chatID]?.first { $0.messageID == messageID }
    }

    /// Every call, in arrival order; `method` filters (case-insensitive).
    public func requests(method: String? = nil) -> [FakeTelegramRequest] {
        guard let method else { return recorded }
        return recorded.filter { $0.method.caseInsensitiveCompare(method) == .orderedSame }
    }

    public func edits(chat chatID: Int64? = nil) -> [FakeTelegramEdit] {
        editLog.filter { chatID == nil || $0.chatID == chatID }
    }

    public func answeredCallbacks() -> [FakeTelegramCallbackAnswer] { answers }
    public func sentChatActions() -> [(chatID: Int64, action: String)] { chatActions }
    public func botCommands() -> [FakeTelegramBotCommand] { commands }
    public func webhookInfo() -> FakeTelegramWebhook? { webhook }
    public func pendingUpdateCount() -> Int { pendingUpdates.count }
    /// How many getUpdates long polls are waiting for an update right now.
    public func waitingPollCount() -> Int { waiters.count }
    /// How many sends the flood control refused with 429.
    public func floodControlRefusals() -> Int { floodRefusals }

    /// When getUpdates first returned update `updateID`; nil if it has not yet.
    public func servedAt(update updateID: Int64) -> Date? { servedAt[updateID] }

    // MARK: - Faults

    /// The next `times` calls (of `method` only, when given) fail with `fault`.
    public func injectFault(_ fault: FakeTelegramFault, times: Int = 1, method: String? = nil) {
        faults.append((fault, times, method?.lowercased()))
    }

    public func clearFaults() { faults.removeAll() }

    /// Telegram-like flood control: more than `perSecond` messages to one chat within a second (less
    /// 100 ms for network jitter) answer 429 with `retry_after`. nil turns it off (the default).
    public func setFloodControl(perChatPerSecond: Int?) { floodLimitPerChatPerSecond = perChatPerSecond }

    func takeFault(for method: String) -> FakeTelegramFault? {
        guard let index = faults.firstIndex(where: { $0.remaining > 0 && ($0.method == nil || $0.method == method.lowercased()) })
        else { return nil }
        faults[index].remaining -= 1
        let fault = faults[index].fault
        if faults[index].remaining == 0 { faults.remove(at: index) }
        return fault
    }

    @discardableResult
    func record(_ method: String, _ parameters: [String: FakeJSON], status: Int) -> Int {
        recorded.append(FakeTelegramRequest(method: method, parameters: parameters, status: status, at: Date()))
        return recorded.count - 1
    }

    // MARK: - Shared helpers

    func nextMessageID(in chatID: Int64) -> Int64 {
        let next = (lastMessageID[chatID] ?? 0) + 1
        lastMessageID[chatID] = next
        return next
    }

    func wakeWaiters(terminated: Bool) {
        let current = waiters
        waiters.removeAll()
        for continuation in current.values { continuation.resume(returning: terminated) }
    }

    func resumeWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(returning: false)
    }

    func resume() { stopped = false }

    /// Releases every waiting long poll; the server is going away.
    func shutdown() {
        stopped = true
        wakeWaiters(terminated: false)
    }

    func messageJSON(_ message: FakeTelegramMessage) -> FakeJSON {
        let sender = message.fromBot ? bot : (users[message.senderID] ?? FakeTelegramUser(id: message.senderID, firstName: "User"))
        let chat = chats[message.chatID] ?? FakeTelegramChat(id: message.chatID, type: message.chatID > 0 ? "private" : "group")
        let privatePeer = chat.type == "private" ? users[chat.id] : nil
        var object: [String: FakeJSON] = [
            "message_id": .int(message.messageID), "from": sender.json, "chat": chat.json(user: privatePeer),
            "date": .int(Int64(message.date.timeIntervalSince1970)), "text": .string(message.text),
        ]
        if !message.entities.isEmpty {
            object["entities"] = .array(message.entities.map { entity in
                var json: [String: FakeJSON] = ["type": .string(entity.type), "offset": .int(Int64(entity.offset)),
                                                "length": .int(Int64(entity.length))]
                if let url = entity.url { json["url"] = .string(url) }
                return .object(json)
            })
        }
        if message.editCount > 0 { object["edit_date"] = .int(Int64(Date().timeIntervalSince1970)) }
        if let reply = message.replyToMessageID, let original = messages[message.chatID]?.first(where: { $0.messageID == reply }) {
            var replied = original
            replied.replyToMessageID = nil
            object["reply_to_message"] = messageJSON(replied)
        }
        if !message.buttons.isEmpty {
            object["reply_markup"] = ["inline_keyboard": .array(message.buttons.map { row in
                .array(row.map { button in
                    var json: [String: FakeJSON] = ["text": .string(button.text)]
                    if let data = button.callbackData { json["callback_data"] = .string(data) }
                    if let url = button.url { json["url"] = .string(url) }
                    return .object(json)
                })
            })]
        }
        return .object(object)
    }

    /// The entities Telegram attaches to what a user typed: `bot_command` at the start, `mention`s.
    static func userEntities(_ text: String) -> [FakeTelegramHTML.Entity] {
        var entities: [FakeTelegramHTML.Entity] = []
        let units = Array(text.utf16)
        var index = 0
        while index < units.count {
            let isStart = index == 0 || units[index - 1] == 32 || units[index - 1] == 10
            let marker = units[index]
            if isStart, marker == 47 || marker == 64 {  // "/" or "@"
                var end = index + 1
                while end < units.count, let scalar = Unicode.Scalar(units[end]),
                      scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || (marker == 47 && scalar == "@") {
                    end += 1
                }
                if end > index + 1, marker == 64 || index == 0 {
                    entities.append(.init(type: marker == 47 ? "bot_command" : "mention", offset: index, length: end - index))
                }
                index = end
            } else {
                index += 1
            }
        }
        return entities
    }
}
