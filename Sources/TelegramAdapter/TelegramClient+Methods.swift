import Foundation

/// The typed Bot API endpoints Steward uses, each one line over `call`.
extension TelegramClient {
    /// The bot itself; its `username` tells which `/command@Bot` and `@mentions` are ours.
    public func getMe() async throws -> TelegramUser {
        try await call("getMe", EmptyRequest())
    }

    /// - Parameter timeout: for the HTTP exchange; must exceed the long-poll `request.timeout`.
    public func getUpdates(_ request: GetUpdatesRequest, timeout: Duration? = nil) async throws -> [TelegramUpdate] {
        try await call("getUpdates", request, timeout: timeout)
    }

    public func sendMessage(_ request: SendMessageRequest) async throws -> TelegramSentMessage {
        try await call("sendMessage", request)
    }

    public func editMessageText(_ request: EditMessageTextRequest) async throws -> TelegramSentMessage {
        try await call("editMessageText", request)
    }

    @discardableResult
    public func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws -> Bool {
        try await call("answerCallbackQuery", request)
    }

    @discardableResult
    public func sendChatAction(_ request: SendChatActionRequest) async throws -> Bool {
        try await call("sendChatAction", request)
    }

    @discardableResult
    public func setMyCommands(_ commands: [TelegramBotCommand]) async throws -> Bool {
        try await call("setMyCommands", SetMyCommandsRequest(commands: commands))
    }

    @discardableResult
    public func setWebhook(_ request: SetWebhookRequest) async throws -> Bool {
        try await call("setWebhook", request)
    }

    /// Switching back to polling keeps pending updates unless told otherwise: nothing is lost.
    @discardableResult
    public func deleteWebhook(dropPendingUpdates: Bool = false) async throws -> Bool {
        try await call("deleteWebhook", DeleteWebhookRequest(dropPendingUpdates: dropPendingUpdates))
    }

    public func getWebhookInfo() async throws -> TelegramWebhookInfo {
        try await call("getWebhookInfo", EmptyRequest())
    }
}
