import Foundation
import Logging
import StewardCore
import StewardHTTP

/// Sends stored deliveries to Slack, throttled *before* sending to about one message per second per
/// channel (Slack's documented `chat.postMessage` limit).
///
/// Outcomes, for the outbox:
/// - success returns the message `ts` (Slack's message id; for edits, the edited card's);
/// - 429 / `ratelimited` pauses *every* send of this app for `Retry-After`, then throws `.retryAfter`;
/// - 5xx, timeouts and dropped connections throw `.transient`;
/// - `channel_not_found`, `not_in_channel`, `is_archived` throw `.chatUnavailable`;
/// - `invalid_auth` and other refusals throw `.rejected` (the request will not succeed as is);
/// - `.answerAction` sends nothing and returns nil: Slack acknowledged the tap with HTTP 200.
///
/// A message with a `replyRoute` answers a slash command in place: it is offered to the command's
/// acknowledgement first (`SlackCommandReplies`), and otherwise POSTed, ephemeral, to the command's
/// `response_url` — which works in channels the bot never joined, where `chat.postMessage` fails
/// with `not_in_channel`. Either way it returns nil (such answers have no `ts`).
///
/// Every call goes through the shared pipeline (`RemoteCall` with this app's limiter), which sees the
/// Web API's failures through `SlackError.classify`; the outbox does the retrying.
///
/// A delivery addressed to a user id (`U…`/`W…`, how the core names a user's home DM) first opens
/// the DM with `conversations.open`; the resulting `D…` channel is cached for the process lifetime.
public struct SlackDeliveryChannel: DeliveryChannel {
    private let client: any SlackClient
    private let remote: RemoteCall
    private let perChannel: RateLimiter.Limit
    private let renderer: SlackRenderer
    private let replies: SlackCommandReplies?
    private let directChannels = DirectChannelCache()
    private let logger: Logger

    public var platform: Platform { .slack }
    /// conversations.open lets the bot write to anyone in the workspace; chat.update edits; a slash
    /// command's response URL answers only the sender; no typing indicator for bots.
    public static let capabilities = ChannelCapabilities(
        opensPrivateChats: true, editsMessages: true, choices: .buttons, ephemeralReplies: true,
        maxMessageLength: SlackRenderer.maxSectionLength, showsTyping: false, keepsHomeChat: true)
    public var capabilities: ChannelCapabilities { Self.capabilities }

    /// - Parameter replies: shared with the HTTP receiver, so an answer ready in time rides in the
    ///   slash command's acknowledgement.
    public init(client: any SlackClient, limiter: RateLimiter = RateLimiter(), perChannel: RateLimiter.Limit = .perSecond(1),
                renderer: SlackRenderer = SlackRenderer(), replies: SlackCommandReplies? = nil,
                logger: Logger = Logger(label: "steward.slack.delivery")) {
        self.client = client
        self.remote = RemoteCall(policy: .none, limiter: limiter)
        self.perChannel = perChannel
        self.renderer = renderer
        self.replies = replies
        self.logger = logger
    }

    public func deliver(_ delivery: Delivery) async throws -> String? {
        guard let chat = delivery.chat else { return nil }  // answerAction: the 200 was the answer
        guard chat.platform == .slack, !chat.chatID.isEmpty else {
            throw DeliveryFailure.rejected("not a Slack chat: \(chat)")
        }
        if case .send(_, let message) = delivery, let route = message.replyRoute {
            try await respond(message, via: route)
            return nil
        }
        // A card sent to a user id lives in the DM: its edit must go there too, even after a restart.
        let channel = Self.isUserID(chat.chatID) ? try await directChannel(for: chat.chatID) : chat.chatID
        let outgoing: SlackRenderer.Outgoing?
        do { outgoing = try renderer.outgoing(for: delivery, channel: channel) } catch {
            throw DeliveryFailure.rejected(error.description)
        }
        guard let outgoing else { return nil }
        let keys = [RateLimiter.Key("slack:channel:\(channel)", perChannel)]
        do {
            return try await send(keys: keys) {
                switch outgoing {
                case .post(let request): try await client.postMessage(request).ts
                case .update(let request): try await client.update(request).ts
                }
            }
        } catch {
            throw failure(for: error)
        }
    }

    /// One Web API call through the pipeline: throttled by `keys` (`[]` only waits out a 429 pause,
    /// nil not at all); a 429 pauses every send of this app.
    private func send<T: Sendable>(keys: [RateLimiter.Key]?, _ call: () async throws -> T) async throws -> T {
        try await remote.run(keys: keys, classify: SlackError.classify) { _ in try await call() }
    }

    /// A slash command's answer: in its acknowledgement when that is still open, else to `response_url`.
    private func respond(_ message: OutboundMessage, via route: String) async throws {
        let response: SlackResponseMessage
        do { response = try renderer.response(message) } catch { throw DeliveryFailure.rejected(error.description) }
        if let replies, await replies.offer(response, to: route) { return }
        guard let url = URL(string: route), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw DeliveryFailure.rejected("not a response_url: \(route.prefix(80))")
        }
        do {
            try await send(keys: []) { try await client.respond(to: url, with: response) }
        } catch let error as SlackError where !error.isTransient {
            // The route is spent (`expired_url`, `used_url`) or wrong; the chat itself is fine, so this
            // must not read as "chat unavailable".
            throw DeliveryFailure.rejected(error.description)
        } catch {
            throw failure(for: error)
        }
    }

    /// User ids start with `U` (or `W` on Enterprise Grid); channels with `C`, `G` or `D`.
    static func isUserID(_ id: String) -> Bool {
        guard let first = id.first else { return false }
        return first == "U" || first == "W"
    }

    private func directChannel(for userID: String) async throws -> String {
        if let known = await directChannels.channel(for: userID) { return known }
        do {
            let channel = try await send(keys: nil) { try await client.openConversation(userID: userID) }
            await directChannels.remember(channel, for: userID)
            return channel
        } catch {
            throw failure(for: error)
        }
    }

    /// Sorts a Web API error into what the outbox should do (the pipeline has paused all sends for a
    /// 429). The client has logged the error with its hint already (`SlackHealth`).
    private func failure(for error: any Error) -> any Error {
        if error is CancellationError || error is DeliveryFailure { return error }
        guard let error = error as? SlackError else { return DeliveryFailure.transient(String(describing: error)) }
        switch error {
        case .ratelimited:
            let seconds = error.retryAfterSeconds ?? 1
            logger.warning("Slack rate limit: every send paused", metadata: ["seconds": "\(seconds)"])
            return DeliveryFailure.retryAfter(seconds: seconds)
        case .server, .network:
            return DeliveryFailure.transient(error.description)
        case .channelNotFound, .notInChannel, .isArchived:
            return DeliveryFailure.chatUnavailable(error.description)
        default:
            return DeliveryFailure.rejected(error.description)
        }
    }
}

/// User id → DM channel id, learnt from `conversations.open`.
private actor DirectChannelCache {
    private var channels: [String: String] = [:]
    func channel(for userID: String) -> String? { channels[userID] }
    func remember(_ channel: String, for userID: String) { channels[userID] = channel }
}
