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
/// A delivery addressed to a user id (`U…`/`W…`, how the core names a user's home DM) first opens
/// the DM with `conversations.open`; the resulting `D…` channel is cached for the process lifetime.
public struct SlackDeliveryChannel: DeliveryChannel {
    private let client: any SlackClient
    private let limiter: RateLimiter
    private let perChannel: RateLimiter.Limit
    private let renderer: SlackRenderer
    private let directChannels = DirectChannelCache()
    private let logger: Logger

    public var platform: Platform { .slack }

    public init(client: any SlackClient, limiter: RateLimiter = RateLimiter(), perChannel: RateLimiter.Limit = .perSecond(1),
                renderer: SlackRenderer = SlackRenderer(), logger: Logger = Logger(label: "steward.slack.delivery")) {
        self.client = client
        self.limiter = limiter
        self.perChannel = perChannel
        self.renderer = renderer
        self.logger = logger
    }

    public func deliver(_ delivery: Delivery) async throws -> String? {
        guard let chat = delivery.chat else { return nil }  // answerAction: the 200 was the answer
        guard chat.platform == .slack, !chat.chatID.isEmpty else {
            throw DeliveryFailure.rejected("not a Slack chat: \(chat)")
        }
        // A card sent to a user id lives in the DM: its edit must go there too, even after a restart.
        let channel = Self.isUserID(chat.chatID) ? try await directChannel(for: chat.chatID) : chat.chatID
        let outgoing: SlackRenderer.Outgoing?
        do { outgoing = try renderer.outgoing(for: delivery, channel: channel) } catch {
            throw DeliveryFailure.rejected(error.description)
        }
        guard let outgoing else { return nil }
        let keys = [RateLimiter.Key("slack:channel:\(channel)", perChannel)]
        try await limiter.acquire(keys: keys)
        let result: Result<SlackMessageResponse, any Error>
        do {
            switch outgoing {
            case .post(let request): result = .success(try await client.postMessage(request))
            case .update(let request): result = .success(try await client.update(request))
            }
        } catch {
            result = .failure(error)
        }
        await limiter.settle(keys: keys)
        switch result {
        case .success(let response): return response.ts
        case .failure(let error): throw await failure(for: error)
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
            let channel = try await client.openConversation(userID: userID)
            await directChannels.remember(channel, for: userID)
            return channel
        } catch {
            throw await failure(for: error)
        }
    }

    /// Sorts a Web API error into what the outbox should do; a 429 pauses all sends first.
    private func failure(for error: any Error) async -> any Error {
        if error is CancellationError || error is DeliveryFailure { return error }
        guard let error = error as? SlackError else { return DeliveryFailure.transient(String(describing: error)) }
        switch error {
        case .ratelimited:
            let seconds = error.retryAfterSeconds ?? 1
            await limiter.pauseAll(for: .seconds(seconds))
            logger.warning("Slack rate limit: pausing every send", metadata: ["seconds": "\(seconds)"])
            return DeliveryFailure.retryAfter(seconds: seconds)
        case .server, .network:
            return DeliveryFailure.transient(error.description)
        case .channelNotFound, .notInChannel, .isArchived:
            logger.warning("Slack channel unavailable", metadata: ["error": "\(error)"])
            return DeliveryFailure.chatUnavailable(error.description)
        case .invalidAuth:
            logger.error("Slack refused the bot token (invalid_auth): check SLACK_BOT_TOKEN")
            return DeliveryFailure.rejected(error.description)
        default:
            logger.warning("Slack refused a message", metadata: ["error": "\(error)"])
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
