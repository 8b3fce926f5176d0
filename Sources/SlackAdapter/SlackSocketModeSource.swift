import Foundation
import HummingbirdWSClient
import Logging
import StewardCore
import StewardHTTP

/// Receives events over Slack Socket Mode: `apps.connections.open` (app-level token) → WebSocket.
/// Guarantees:
/// - every envelope is acknowledged by its `envelope_id` only *after* the sink stored its event; an
///   envelope whose event could not be stored is not acknowledged, so Slack redelivers it (with a new
///   `envelope_id` but the same `event_id`, `trigger_id`, which the sink drops if it did get stored);
/// - never more than one live socket: a new connection is opened only after the previous one closed
///   (on `disconnect` — `warning` or `refresh_requested` — the old socket is closed first, and its close
///   handshake waits at most `closeTimeout`, since Slack may leave the TCP connection open);
/// - a dropped socket, a `disconnect` message or a failed `apps.connections.open` leads to a reconnect,
///   after the shared policy's wait (`RetryPolicy.wait(after:failures:)`: Slack's `Retry-After`, else
///   full-jitter backoff) after failures; an orderly refresh reconnects at once unless the socket it
///   replaces lived less than `minimumLifetime` (so a server asking again and again cannot make a hot
///   loop); `link_disabled` (Socket Mode turned off for the app) counts as a failure;
/// - a dead socket is noticed: a ping goes out every `pingInterval` and a pong missing for one more
///   interval closes it, so silence is detected within about two intervals.
public struct SlackSocketModeSource: Sendable {
    private let client: any SlackClient
    private let appToken: String
    private let normalizer: SlackNormalizer
    private let sink: any InboundSink
    private let pingInterval: Duration
    private let closeTimeout: Duration
    private let minimumLifetime: Duration
    private let backoff: RetryPolicy
    private let logger: Logger

    public init(client: any SlackClient, appToken: String, normalizer: SlackNormalizer, sink: any InboundSink,
                pingInterval: Duration = .seconds(10), closeTimeout: Duration = .seconds(2),
                minimumLifetime: Duration = .seconds(5),
                backoff: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: .seconds(60)),
                logger: Logger = Logger(label: "steward.slack.socket")) {
        self.client = client
        self.appToken = appToken
        self.normalizer = normalizer
        self.sink = sink
        self.pingInterval = pingInterval
        self.closeTimeout = closeTimeout
        self.minimumLifetime = minimumLifetime
        self.backoff = backoff
        self.logger = logger
    }

    /// Connects and reconnects until the task is cancelled; returns (without throwing) when it is.
    public func run() async throws {
        var failures = 0
        while !Task.isCancelled {
            let session = SocketSession()
            var failure: RemoteFailure?
            do {
                let url = try await client.openSocketConnection(appToken: appToken)
                try await connect(url: url, session: session)
            } catch is CancellationError {
                return
            } catch let error as SlackError where error == .invalidAuth {
                failure = error.remoteFailure
                logger.error("Slack refused the app token (SLACK_APP_TOKEN) for Socket Mode", metadata: ["error": "\(error)"])
            } catch let error as SlackError {
                failure = error.remoteFailure  // a 429 says how long to wait
                logger.warning("Slack Socket Mode connection failed", metadata: ["error": "\(error)"])
            } catch {
                logger.warning("Slack Socket Mode connection failed", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { return }
            failures = await nextFailureCount(after: session, failures: failures)
            if failures == 0 { continue }  // an orderly refresh: reconnect at once
            do {
                try await Task.sleep(for: backoff.wait(after: failure, failures: failures))
            } catch {
                return
            }
        }
    }

    /// How many consecutive failures the ended connection leaves (0 = reconnect at once).
    private func nextFailureCount(after session: SocketSession, failures: Int) async -> Int {
        guard let greetedAt = await session.greetedAt else { return failures + 1 }  // never got as far as hello
        let livedLongEnough = ContinuousClock.now - greetedAt >= minimumLifetime
        switch await session.disconnectReason {
        case "link_disabled":
            logger.error("Slack turned Socket Mode off for this app (link_disabled); retrying with backoff")
            return failures + 1
        case let reason? where livedLongEnough:
            logger.info("Slack asked to reconnect", metadata: ["reason": "\(reason)"])
            return 0
        case let reason?:
            logger.warning("Slack asked to reconnect right after connecting; backing off", metadata: ["reason": "\(reason)"])
            return failures + 1
        case nil:
            // It worked, then dropped: the first failure of a new run, unless it keeps dropping at once.
            return livedLongEnough ? 1 : failures + 1
        }
    }

    private func connect(url: String, session: SocketSession) async throws {
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, closeTimeout: closeTimeout,
                                                         autoPing: .enabled(timePeriod: pingInterval))
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                switch await handle(text, session: session) {
                case .ack(let reply): try await outbound.write(.text(reply))
                case .close: return  // closing our side first keeps one live socket at a time
                case .none: continue
                }
            }
        }
    }

    enum Reaction: Equatable { case none, close, ack(String) }

    /// What to do about one frame: acknowledge it (after storing), close the socket, or nothing.
    func handle(_ text: String, session: SocketSession) async -> Reaction {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let type = object["type"] as? String else {
            logger.warning("Slack Socket Mode frame is not an envelope", metadata: ["bytes": "\(text.utf8.count)"])
            return .none
        }
        switch type {
        case "hello":
            await session.greet()
            return .none
        case "disconnect":
            await session.disconnect(reason: object["reason"] as? String ?? "unknown")
            return .close
        default:
            break
        }
        guard let envelopeID = object["envelope_id"] as? String else { return .none }
        let payload = object["payload"] as? [String: Any] ?? [:]
        let event: InboundEvent?
        var ackPayload: [String: Any]?
        switch type {
        case "events_api":
            event = Self.decode(SlackEventEnvelope.self, payload).flatMap { normalizer.normalize($0) }
        case "interactive":
            event = Self.decode(SlackInteraction.self, payload).flatMap { normalizer.normalize($0) }
        case "slash_commands":
            let fields = payload.compactMapValues { $0 as? String }
            event = SlackSlashCommand(fields: fields).flatMap { normalizer.normalize($0) }
            // Only where Slack says it accepts one; otherwise the ack must be the envelope id alone.
            if object["accepts_response_payload"] as? Bool == true {
                ackPayload = ["response_type": "ephemeral", "text": SlackHTTPReceiver.workingOnIt]
            }
        default:
            event = nil
        }
        if let event {
            do { try await sink.accept([event]) } catch {
                logger.error("could not store a Slack event; not acknowledging so Slack redelivers it",
                             metadata: ["event": "\(event.id)", "error": "\(error)"])
                return .none
            }
        }
        var ack: [String: Any] = ["envelope_id": envelopeID]
        if let ackPayload { ack["payload"] = ackPayload }
        let data = (try? JSONSerialization.data(withJSONObject: ack, options: [.sortedKeys])) ?? Data()
        return .ack(String(decoding: data, as: UTF8.self))
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ object: [String: Any]) -> T? {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }
}

/// What one connection saw: when Slack said hello, and why it asked us to go.
actor SocketSession {
    private(set) var greetedAt: ContinuousClock.Instant?
    private(set) var disconnectReason: String?
    var greeted: Bool { greetedAt != nil }
    func greet() { greetedAt = greetedAt ?? .now }
    func disconnect(reason: String) { disconnectReason = reason }
}
