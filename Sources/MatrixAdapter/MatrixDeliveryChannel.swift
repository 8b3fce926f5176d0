import Crypto
import Foundation
import Logging
import StewardCore
import StewardHTTP

/// Sends stored deliveries to Matrix rooms.
///
/// - Every event goes out as `PUT /rooms/{roomId}/send/{type}/{txnId}` with a txnId derived from the outbox
///   idempotency key (plus the chunk or reaction number): a resend after a crash or a lost answer carries the
///   same txnId, and the homeserver answers with the event it already has instead of posting it again.
/// - A card is sent with its decision line, then its choices are stored (card event id → emoji → token, for
///   the sync source to read reactions with) and seeded as Steward's own reactions, so one tap decides.
/// - Every send goes through the shared pipeline (`RemoteCall` with this channel's limiter and retry policy):
///   `M_LIMIT_EXCEEDED` pauses every send for `retry_after_ms` (or `Retry-After`) and the same event is tried
///   again, up to the policy's attempts, before the outbox is told to retry later; order within a room is
///   kept either way. Other failures go straight back to the outbox, which owns their backoff.
/// - 403 (kicked, banned, never joined) is `.chatUnavailable`: pushes to that room stop.
/// - A tap needs no acknowledgement on Matrix (`.answerAction` does nothing): the card's edit is the answer.
public struct MatrixDeliveryChannel: DeliveryChannel, ChatPresence {
    public static func cardKey(_ eventID: String) -> String { "matrix.card.\(eventID)" }

    private let client: any MatrixClient
    private let state: any StateRepository
    private let identity: MatrixIdentity
    private let remote: RemoteCall
    private let renderer: MatrixRenderer
    private let logger: Logger

    public var platform: Platform { .matrix }
    /// A bot writes only in rooms it was invited to; m.replace edits; cards are answered by reactions.
    public static let capabilities = ChannelCapabilities(
        opensPrivateChats: false, editsMessages: true, choices: .reactions, ephemeralReplies: false,
        maxMessageLength: MatrixRenderer.defaultMaxLength, showsTyping: true, keepsHomeChat: true)
    public var capabilities: ChannelCapabilities { Self.capabilities }

    /// How often one event is tried while the homeserver says `M_LIMIT_EXCEEDED`. The server's wait is
    /// always taken (the limiter's pause holds every send), so only the attempt count matters.
    public static let rateLimitPolicy = RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(30))

    /// - Parameter retry: attempts per event while rate-limited (`rateLimitPolicy` by default).
    public init(client: any MatrixClient, state: any StateRepository, identity: MatrixIdentity,
                limiter: RateLimiter = RateLimiter(), renderer: MatrixRenderer = MatrixRenderer(),
                retry: RetryPolicy = MatrixDeliveryChannel.rateLimitPolicy,
                logger: Logger = Logger(label: "steward.matrix.delivery")) {
        self.client = client
        self.state = state
        self.identity = identity
        self.remote = RemoteCall(policy: retry, limiter: limiter)
        self.renderer = renderer
        self.logger = logger
    }

    public func deliver(_ delivery: Delivery) async throws -> String? {
        // Without an outbox key (a live "working…" message): a fresh txnId, sent once.
        try await deliver(delivery, key: "adhoc:\(UUID().uuidString)", resumingAfter: 0)
    }

    public func deliver(_ delivery: Delivery, key: String, resumingAfter sentChunks: Int) async throws -> String? {
        let txn = Self.transactionID(for: key)
        switch delivery {
        case .send(let chat, let message):
            let room = try Self.roomID(chat)
            let contents = try renderer.contents(for: message)
            var lastID: String?
            for (index, content) in contents.enumerated() {
                // Chunks the room already shows are skipped, except the last: resending it with its txnId
                // is harmless and gives back its event id, which a card needs.
                guard index >= sentChunks || index == contents.count - 1 else { continue }
                do {
                    lastID = try await send(room: room, type: "m.room.message", txn: "\(txn).\(index)", content: content)
                } catch let failure as DeliveryFailure where index > 0 {
                    throw PartialDelivery(sent: index, failure: failure)
                }
            }
            guard let cardID = lastID else { return nil }
            let choices = renderer.choices(for: message.buttons)
            if !choices.isEmpty {
                do {
                    try await seed(choices, on: cardID, room: room, txn: txn)
                } catch let failure as DeliveryFailure {
                    // The card is there; the retry (same txnIds) only completes its reactions.
                    throw PartialDelivery(sent: contents.count - 1, failure: failure)
                }
            }
            return cardID

        case .edit(let chat, let messageID, let message):
            let room = try Self.roomID(chat)
            let content = try renderer.editContent(of: messageID, message: message)
            _ = try await send(room: room, type: "m.room.message", txn: "\(txn).edit", content: content)
            return messageID

        case .answerAction:
            return nil
        }
    }

    /// Stores the card's choices, then adds each as Steward's own reaction.
    private func seed(_ choices: [MatrixRenderer.Choice], on cardID: String, room: String, txn: String) async throws {
        let map = Dictionary(choices.map { ($0.emoji, $0.token) }, uniquingKeysWith: { first, _ in first })
        let text = String(decoding: try JSONEncoder().encode(map), as: UTF8.self)
        do { try await state.setValue(text, for: Self.cardKey(cardID)) } catch {
            throw DeliveryFailure.transient("could not store the card's choices: \(error)")
        }
        for (index, choice) in choices.enumerated() {
            _ = try await send(room: room, type: "m.reaction", txn: "\(txn).r\(index)",
                               content: try MatrixRenderer.reaction(to: cardID, key: choice.emoji))
        }
    }

    /// One event through the pipeline. `keys: []` waits out a rate-limit pause before each attempt (the
    /// pause holds every other send too). Only rate limits are retried here: every other failure is
    /// handed to the outbox at once (unclassified for the pipeline), which retries it with the same txnId.
    private func send(room: String, type: String, txn: String, content: Data) async throws -> String {
        do {
            return try await remote.run(keys: [], classify: Self.rateLimitOnly, willRetry: { failure, _, attempt in
                logger.info("Matrix rate limit: pausing every send",
                            metadata: ["wait": "\(failure.retryAfter ?? .zero)", "attempt": "\(attempt)"])
            }) { _ in
                try await client.send(roomID: room, type: type, txnID: txn, content: content)
            }
        } catch {
            throw Self.failure(for: error)
        }
    }

    private static func rateLimitOnly(_ error: any Error) -> RemoteFailure? {
        guard let failure = MatrixError.classify(error), failure == .rateLimited else { return nil }
        return failure
    }

    public func showTyping(in chat: ChatRef) async {
        guard chat.platform == .matrix, let user = identity.userID else { return }
        do {
            try await client.typing(roomID: chat.chatID, userID: user, typing: true)
        } catch {
            logger.debug("typing notification not shown", metadata: ["error": "\(error)"])
        }
    }

    /// The outbox's verdict on a failed send, from the homeserver's class: a 403 stops pushes to that room;
    /// a rate limit that outlasted the attempts retries after the server's wait; a refused token is the
    /// owner's to fix, so the message waits (transient) instead of being dropped.
    static func failure(for error: any Error) -> any Error {
        if error is CancellationError || error is DeliveryFailure { return error }
        guard let matrix = error as? MatrixError else { return DeliveryFailure.transient(String(describing: error)) }
        if matrix.status == 403 || matrix.errcode == "M_FORBIDDEN" { return DeliveryFailure.chatUnavailable(matrix.description) }
        let failure = matrix.remoteFailure
        if failure == .rateLimited { return DeliveryFailure.retryAfter(seconds: (failure.retryAfter ?? .seconds(1)).seconds) }
        if failure.isRetryable || failure == .unauthorized { return DeliveryFailure.transient(matrix.description) }
        return DeliveryFailure.rejected(matrix.description)
    }

    /// A txnId from the outbox key: the same key always gives the same id, and ids stay short and URL-safe.
    public static func transactionID(for key: String) -> String {
        // Lowercase hex by hand: the same text `String(format: "%02x")` gave (ids must not change across
        // versions: a resend after an upgrade is still one event), without a formatter per byte.
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = Array("st".utf8)
        bytes.reserveCapacity(34)
        for byte in SHA256.hash(data: Data(key.utf8)).prefix(16) {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func roomID(_ chat: ChatRef) throws -> String {
        guard chat.platform == .matrix, chat.chatID.hasPrefix("!") else {
            throw DeliveryFailure.rejected("not a Matrix room: \(chat)")
        }
        return chat.chatID
    }
}

/// Who Steward is on the homeserver, known once `whoami` answered; shared by the channel and the sync loop.
public final class MatrixIdentity: Sendable {
    private let value = Locked<String?>(nil)
    public init(userID: String? = nil) { value.withLock { $0 = userID } }
    public var userID: String? { value.withLock { $0 } }
    public func set(_ userID: String) { value.withLock { $0 = userID } }
}
