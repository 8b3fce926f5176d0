import Foundation
import Logging
import StewardCore
import StewardHTTP

/// Sends stored deliveries to Telegram, throttled *before* sending:
/// at most one message per second per chat, `perGroup` (20 a minute) per group, and
/// `globalPerSecond` overall (0 = no overall limit, for a self-hosted Bot API server).
///
/// Outcomes, for the outbox:
/// - success returns the message id (of the last chunk for long messages; of the card for edits);
/// - 429 pauses *every* send of this bot for `retry_after`, then throws `.retryAfter`;
/// - 5xx, timeouts and dropped connections throw `.transient`; 403 and "chat not found" throw
///   `.chatUnavailable`; a migrated group throws `.chatMigrated(newChatID:)`; other 400s `.rejected`;
/// - "message is not modified" on an edit counts as success.
///
/// Every call goes through the shared pipeline (`RemoteCall`: limiter, breaker, retries), which sees
/// Telegram's failures through `TelegramError.classify`. A long message goes out as several chunks; once
/// the first is out, a later chunk that hits a transient failure is retried by the pipeline a few times;
/// if it still fails, `PartialDelivery` tells the outbox how many chunks were taken, and the retry sends
/// only the rest.
public struct TelegramDeliveryChannel: DeliveryChannel, ChatPresence {
    public struct Limits: Sendable {
        public var perChat: RateLimiter.Limit
        public var perGroup: RateLimiter.Limit
        /// `TELEGRAM_RATE_LIMIT`; 0 turns the overall limit off.
        public var globalPerSecond: Int

        public init(perChat: RateLimiter.Limit = .perSecond(1), perGroup: RateLimiter.Limit = .perMinute(20),
                    globalPerSecond: Int = 30) {
            self.perChat = perChat
            self.perGroup = perGroup
            self.globalPerSecond = globalPerSecond
        }
    }

    private let client: any TelegramClient
    private let limits: Limits
    private let renderer: TelegramRenderer
    /// One attempt per call: the outbox retries whole deliveries.
    private let remote: RemoteCall
    /// A later chunk's own retries, so a long message is not cut short by one hiccup.
    private let chunkPolicy: RetryPolicy
    private let logger: Logger

    public var platform: Platform { .telegram }
    /// A bot writes only to people who started a chat with it; messages are edited in place; buttons; typing.
    public static let capabilities = ChannelCapabilities(
        opensPrivateChats: false, editsMessages: true, choices: .buttons, ephemeralReplies: false,
        maxMessageLength: TelegramRenderer.maxMessageLength, showsTyping: true, keepsHomeChat: true)
    public var capabilities: ChannelCapabilities { Self.capabilities }

    public init(client: any TelegramClient, limiter: RateLimiter = RateLimiter(), limits: Limits = Limits(),
                renderer: TelegramRenderer = TelegramRenderer(), breaker: CircuitBreaker? = nil,
                chunkRetries: Int = 5, clock: any RemoteClock = ContinuousRemoteClock(),
                logger: Logger = Logger(label: "steward.telegram.delivery")) {
        self.client = client
        self.limits = limits
        self.renderer = renderer
        self.remote = RemoteCall(policy: .none, breaker: breaker, limiter: limiter, clock: clock)
        self.chunkPolicy = RetryPolicy(maxAttempts: max(1, chunkRetries), baseDelay: .milliseconds(500), maxDelay: .seconds(30))
        self.logger = logger
    }

    public func deliver(_ delivery: Delivery) async throws -> String? {
        try await deliver(delivery, key: "", resumingAfter: 0)
    }

    /// Telegram has no transaction ids: the key is not used.
    public func deliver(_ delivery: Delivery, key: String, resumingAfter sentChunks: Int) async throws -> String? {
        switch delivery {
        case .send(let chat, let message):
            let chatID = try Self.numericID(chat)
            let requests: [SendMessageRequest]
            do { requests = try renderer.sendRequests(chatID: chatID, message: message) } catch {
                throw DeliveryFailure.rejected(String(describing: error))
            }
            var lastID: Int64?
            for (index, request) in requests.enumerated() where index >= sentChunks {
                do {
                    lastID = try await sendChunk(request, isFirst: index == sentChunks).messageID
                } catch let failure as DeliveryFailure where index > 0 {
                    throw PartialDelivery(sent: index, failure: failure)
                }
            }
            return lastID.map(String.init)

        case .edit(let chat, let messageID, let message):
            let chatID = try Self.numericID(chat)
            guard let numericMessageID = Int64(messageID) else {
                throw DeliveryFailure.rejected("not a Telegram message id: \(messageID)")
            }
            let request: EditMessageTextRequest
            do { request = try renderer.editRequest(chatID: chatID, messageID: numericMessageID, message: message) } catch {
                throw DeliveryFailure.rejected(String(describing: error))
            }
            do {
                let edited = try await send(keys: keys(for: chatID)) { try await client.editMessageText(request) }
                return String(edited.messageID)
            } catch let error as TelegramError where error == .notModified {
                return messageID
            } catch {
                throw failure(for: error)
            }

        case .answerAction(_, let receipt, let text):
            // Not throttled: Telegram shows a spinner on the button until this arrives.
            do {
                _ = try await send(keys: nil) { try await client.answerCallbackQuery(renderer.answerRequest(receipt: receipt, text: text)) }
                return nil
            } catch {
                throw failure(for: error)
            }
        }
    }

    public func showTyping(in chat: ChatRef) async {
        guard let chatID = Int64(chat.chatID) else { return }
        do {
            try await client.sendChatAction(SendChatActionRequest(chatID: chatID, action: "typing"))
        } catch {
            logger.debug("typing indicator not shown", metadata: ["chat": "\(chat)", "error": "\(error)"])
        }
    }

    /// The limiter buckets one message to `chatID` takes from.
    func keys(for chatID: Int64) -> [RateLimiter.Key] {
        var keys = [RateLimiter.Key("telegram:chat:\(chatID)", limits.perChat)]
        // Group and supergroup ids are negative; private chats are users' positive ids.
        if chatID < 0 { keys.append(.init("telegram:group:\(chatID)", limits.perGroup)) }
        if limits.globalPerSecond > 0 { keys.append(.init("telegram:global", .perSecond(limits.globalPerSecond))) }
        return keys
    }

    private func sendChunk(_ request: SendMessageRequest, isFirst: Bool) async throws -> TelegramSentMessage {
        do {
            return try await send(keys: keys(for: request.chatID), through: isFirst ? remote : remote.retrying(chunkPolicy),
                                  willRetry: { failure in
                logger.warning("retrying a later chunk of a long message", metadata: ["chat": "\(request.chatID)", "error": "\(failure)"])
            }) { try await client.sendMessage(request) }
        } catch {
            throw failure(for: error)
        }
    }

    /// One Bot API call through the pipeline: throttled by `keys` (nil = not throttled), guarded by the
    /// breaker; a 429 pauses every send of this bot.
    private func send<T: Sendable>(keys: [RateLimiter.Key]?, through pipeline: RemoteCall? = nil,
                                   willRetry: (RemoteFailure) -> Void = { _ in },
                                   _ call: () async throws -> T) async throws -> T {
        try await (pipeline ?? remote).run(keys: keys, classify: TelegramError.classify, whenOpen: {
            DeliveryFailure.transient("Telegram looks down: not sending until the cool-down ends")
        }, willRetry: { failure, _, _ in willRetry(failure) }) { _ in try await call() }
    }

    /// Sorts a Bot API error into what the outbox should do (the pipeline has paused all sends for a 429).
    private func failure(for error: any Error) -> any Error {
        if error is CancellationError || error is DeliveryFailure { return error }
        guard let error = error as? TelegramError else { return DeliveryFailure.transient(String(describing: error)) }
        switch error {
        case .retryAfter:
            let seconds = error.retryAfterSeconds ?? 1
            logger.warning("Telegram flood control: every send paused", metadata: ["seconds": "\(seconds)"])
            return DeliveryFailure.retryAfter(seconds: seconds)
        case .chatMigrated:
            return DeliveryFailure.chatMigrated(newChatID: error.migrateToChatID.map(String.init) ?? "")
        case .forbidden:
            return DeliveryFailure.chatUnavailable(error.message)
        case .server, .network, .unauthorized:
            // A revoked token is fixed by the owner, not by giving up on the message.
            return DeliveryFailure.transient(error.description)
        case .badRequest where error.message.lowercased().contains("chat not found"):
            return DeliveryFailure.chatUnavailable(error.message)
        default:
            return DeliveryFailure.rejected(error.description)
        }
    }

    private static func numericID(_ chat: ChatRef) throws -> Int64 {
        guard chat.platform == .telegram, let id = Int64(chat.chatID) else {
            throw DeliveryFailure.rejected("not a Telegram chat: \(chat)")
        }
        return id
    }
}
