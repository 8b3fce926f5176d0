import Foundation

/// One envelope as the fake Socket Mode server sent it. A redelivery is a new envelope (new
/// `envelope_id`, `retry_attempt` + 1) carrying the same `message`, as Slack does.
public struct FakeSlackEnvelope: Sendable, Equatable {
    public var envelopeID: String
    /// `events_api`, `slash_commands` or `interactive`.
    public var type: String
    public var payload: FakeJSON
    public var acceptsResponsePayload: Bool
    public var retryAttempt: Int
    public var retryReason: String
    /// The test's message this envelope carries; the same across redeliveries.
    public var message: Int
    /// The socket it went out on.
    public var connection: Int

    /// The frame as it goes over the socket (Slack's documented envelope).
    public var frame: FakeJSON {
        var object: [String: FakeJSON] = ["envelope_id": .string(envelopeID), "type": .string(type), "payload": payload,
                                          "accepts_response_payload": .bool(acceptsResponsePayload)]
        if type == "events_api" {
            object["retry_attempt"] = .int(Int64(retryAttempt))
            object["retry_reason"] = .string(retryReason)
        }
        return .object(object)
    }
}

/// An acknowledgement the app sent: `{"envelope_id": …, "payload": …}`.
public struct FakeSlackSocketAck: Sendable, Equatable {
    public var envelopeID: String
    public var payload: FakeJSON?
    public var message: Int
    public var connection: Int
}

/// A frame from the app the fake refused, and why (Slack would ignore it or drop the connection).
public struct FakeSlackSocketRefusal: Sendable, Equatable {
    public var text: String
    /// `malformed`, `unknown_envelope_id`, `duplicate_ack`, `wrong_connection`, `payload_not_accepted`,
    /// `unexpected_field`, `binary_frame`.
    public var reason: String
    public var connection: Int
}

/// One WebSocket connection the fake accepted.
public struct FakeSlackSocketConnection: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// The app closed it (close frame or TCP close).
        case byApp
        /// The fake closed it in an orderly way (after a `disconnect`, or on stop).
        case byServer
        /// A test dropped it abruptly: TCP closed without a close frame.
        case dropped
    }

    public var id: Int
    public var ticket: String
    public var openedAt: Date
    public var closedAt: Date?
    public var ending: Ending?
    /// The fake sent `disconnect` (`refresh_requested` or `link_disabled`): no new envelopes go here.
    public var retiring: Bool
    /// Silenced by a test: reads nothing (so no pongs) and sends nothing, like a dead network path.
    public var silent: Bool

    public var isOpen: Bool { closedAt == nil }
}

/// What the fake tells a connection's writer to do.
enum FakeSlackSocketCommand: Sendable {
    case text(String)
    /// An orderly close frame from the server.
    case close
}

/// A message a test pushed, followed across its deliveries.
struct FakeSlackSocketMessage: Sendable {
    var type: String
    var payload: FakeJSON
    var acceptsResponsePayload: Bool
    /// Envelope ids in delivery order.
    var envelopes: [String] = []
    /// The connection the latest envelope went out on while it is awaiting an ack.
    var inFlight: Int?
    var acked = false
    /// Slack gave up: retries used up, or a command or tap whose socket went away (Slack shows the user an error).
    var abandoned = false
}
