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
///   (on `disconnect`, including `refresh_requested`, the old socket is closed first);
/// - a dropped socket, a `disconnect` message or a failed `apps.connections.open` leads to a reconnect,
///   with full-jitter backoff after failures (none after an orderly refresh);
/// - a dead socket is noticed: a ping goes out every `pingInterval` and a missing pong closes it.
public struct SlackSocketModeSource: Sendable {
    private let client: any SlackClient
    private let appToken: String
    private let normalizer: SlackNormalizer
    private let sink: any InboundSink
    private let pingInterval: Duration
    private let backoff: RetryPolicy
    private let logger: Logger

    public init(client: any SlackClient, appToken: String, normalizer: SlackNormalizer, sink: any InboundSink,
                pingInterval: Duration = .seconds(10),
                backoff: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: .seconds(60)),
                logger: Logger = Logger(label: "steward.slack.socket")) {
        self.client = client
        self.appToken = appToken
        self.normalizer = normalizer
        self.sink = sink
        self.pingInterval = pingInterval
        self.backoff = backoff
        self.logger = logger
    }

    /// Connects and reconnects until the task is cancelled.
    public func run() async throws {
        var failures = 0
        while !Task.isCancelled {
            let session = SocketSession()
            do {
                let url = try await client.openSocketConnection(appToken: appToken)
                try await connect(url: url, session: session)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Slack Socket Mode connection failed", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { return }
            let (greeted, reason) = await (session.greeted, session.disconnectReason)
            if greeted && reason != nil {
                logger.info("Slack asked to reconnect", metadata: ["reason": "\(reason ?? "")"])
                failures = 0
                continue  // an orderly refresh: reconnect at once
            }
            failures = greeted ? 1 : failures + 1
            try await Task.sleep(for: max(.milliseconds(100), backoff.backoff(afterFailures: failures)))
        }
    }

    private func connect(url: String, session: SocketSession) async throws {
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, autoPing: .enabled(timePeriod: pingInterval))
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
            ackPayload = ["response_type": "ephemeral", "text": SlackHTTPReceiver.workingOnIt]
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

/// What one connection saw: whether Slack said hello, and why it asked us to go.
actor SocketSession {
    private(set) var greeted = false
    private(set) var disconnectReason: String?
    func greet() { greeted = true }
    func disconnect(reason: String) { disconnectReason = reason }
}
