import Foundation
import NIOCore

/// Everything the fake Socket Mode server knows, and the test API to drive it. It follows Slack's
/// "Using Socket Mode" guide: `hello` on connect; envelopes `{envelope_id, type, payload,
/// accepts_response_payload}` (`events_api` adds `retry_attempt`, `retry_reason`); acknowledgements
/// `{"envelope_id": …}` with an optional `payload` only where `accepts_response_payload` is true;
/// `disconnect` with `warning`, `refresh_requested` or `link_disabled`.
///
/// Like Slack, an Events API envelope that is not acknowledged (in `ackTimeout`, or before its socket
/// went away) is delivered again as a *new* envelope with `retry_attempt` + 1 and the same payload, up
/// to three retries; a command or button tap is not retried (Slack shows the user an error instead).
public actor FakeSlackSocketModeState {
    /// Slack retries an event three times, then gives up.
    public static let maxRetries = 3

    public let appID: String
    let ackTimeout: Duration?

    private(set) public var connections: [FakeSlackSocketConnection] = []
    private(set) public var envelopes: [FakeSlackEnvelope] = []
    private(set) public var acks: [FakeSlackSocketAck] = []
    private(set) public var refusals: [FakeSlackSocketRefusal] = []
    /// Upgrade attempts refused for a missing, unknown or already used ticket.
    private(set) public var refusedUpgrades = 0
    /// The most sockets that were ever open at the same moment.
    private(set) public var maxOpenConnections = 0

    private var messages: [FakeSlackSocketMessage] = []
    private var writers: [Int: AsyncStream<FakeSlackSocketCommand>.Continuation] = [:]
    private var channels: [Int: any Channel] = [:]

    public init(appID: String = "A0STEWARD", ackTimeout: Duration? = .seconds(30)) {
        self.appID = appID
        self.ackTimeout = ackTimeout
    }

    // MARK: Test API: pushing payloads

    /// Sends an Events API payload (e.g. `FakeSlackSigner.directMessage(…)`); returns the message number.
    @discardableResult
    public func sendEvent(_ payload: FakeJSON) -> Int {
        send(type: "events_api", payload: payload, acceptsResponsePayload: false)
    }

    /// Sends a slash command; in Socket Mode its fields arrive as a JSON object of strings.
    @discardableResult
    public func sendSlashCommand(_ fields: [(String, String)]) -> Int {
        let payload = FakeJSON.object(Dictionary(fields.map { ($0.0, FakeJSON.string($0.1)) }, uniquingKeysWith: { $1 }))
        return send(type: "slash_commands", payload: payload, acceptsResponsePayload: true)
    }

    /// Sends an interactivity payload (e.g. `FakeSlackSigner.blockActions(…)`).
    @discardableResult
    public func sendInteraction(_ payload: FakeJSON) -> Int {
        send(type: "interactive", payload: payload, acceptsResponsePayload: true)
    }

    /// Delivers on the newest open socket, or queues until one opens.
    public func send(type: String, payload: FakeJSON, acceptsResponsePayload: Bool) -> Int {
        messages.append(FakeSlackSocketMessage(type: type, payload: payload, acceptsResponsePayload: acceptsResponsePayload))
        let message = messages.count - 1
        deliver(message, reason: "")
        return message
    }

    // MARK: Test API: misbehaving like a real network and a real Slack

    /// Closes every open socket abruptly: TCP goes away without a WebSocket close frame.
    public func dropConnections() {
        for index in connections.indices where connections[index].isOpen {
            connections[index].ending = connections[index].ending ?? .dropped
            channels[connections[index].id]?.close(promise: nil)
        }
    }

    /// Sends `{"type": "disconnect", "reason": reason}` on every open socket. For `refresh_requested` and
    /// `link_disabled` the socket gets no new envelopes, and the fake closes it after `closeAfter` if the
    /// app has not; `warning` only warns.
    public func disconnect(reason: String = "refresh_requested", closeAfter: Duration = .seconds(10)) {
        for index in connections.indices where connections[index].isOpen && !connections[index].silent {
            let id = connections[index].id
            let frame: FakeJSON = ["type": "disconnect", "reason": .string(reason), "debug_info": ["host": .string("wss-fake-\(id)")]]
            writers[id]?.yield(.text(frame.description))
            guard reason != "warning" else { continue }
            connections[index].retiring = true
            Task { [weak self] in
                try? await Task.sleep(for: closeAfter)
                await self?.closeFromServer(id)
            }
        }
    }

    /// Every open socket goes quiet: nothing is read (so pings get no pong) and nothing is sent, like a
    /// network path that died without closing. Sockets opened later behave normally.
    public func silenceConnections() async {
        for index in connections.indices where connections[index].isOpen && !connections[index].silent {
            connections[index].silent = true
            try? await channels[connections[index].id]?.pipeline.addHandler(FakeSlackBlackHole(), position: .first).get()
        }
    }

    // MARK: Test API: what happened

    public var openConnections: Int { connections.filter(\.isOpen).count }

    /// The envelopes that carried `message`, in order.
    public func envelopes(of message: Int) -> [FakeSlackEnvelope] { envelopes.filter { $0.message == message } }

    public func isAcknowledged(_ message: Int) -> Bool { messages.indices.contains(message) && messages[message].acked }

    /// Messages pushed and not acknowledged yet (including those Slack gave up on).
    public var unacknowledged: [Int] { messages.indices.filter { !messages[$0].acked } }

    /// Messages Slack gave up on: retries used up, or a command or tap whose socket went away.
    public var abandoned: [Int] { messages.indices.filter { messages[$0].abandoned } }

    /// Polls `condition` on this actor every 20 ms; true once it holds, false after `timeout`.
    public func wait(timeout: Duration = .seconds(20), until condition: @Sendable (isolated FakeSlackSocketModeState) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(self)
    }

    // MARK: Server side

    /// A socket was upgraded: says hello, then hands over what was waiting.
    func open(ticket: String, channel: any Channel) -> (Int, AsyncStream<FakeSlackSocketCommand>) {
        let id = connections.count + 1
        let (stream, writer) = AsyncStream<FakeSlackSocketCommand>.makeStream()
        connections.append(FakeSlackSocketConnection(id: id, ticket: ticket, openedAt: Date(), retiring: false, silent: false))
        writers[id] = writer
        channels[id] = channel
        maxOpenConnections = max(maxOpenConnections, openConnections)
        let hello: FakeJSON = [
            "type": "hello", "num_connections": .int(Int64(openConnections)), "connection_info": ["app_id": .string(appID)],
            "debug_info": ["host": .string("applink-fake-\(id)"), "build_number": 1, "approximate_connection_time": 18060],
        ]
        writer.yield(.text(hello.description))
        for message in messages.indices where !messages[message].acked && !messages[message].abandoned && messages[message].inFlight == nil {
            deliver(message, reason: messages[message].envelopes.isEmpty ? "" : "timeout")
        }
        return (id, stream)
    }

    /// A frame from the app: must be an acknowledgement of an envelope sent on this socket.
    func received(_ text: String, on connection: Int) {
        func refuse(_ reason: String) { refusals.append(FakeSlackSocketRefusal(text: text, reason: reason, connection: connection)) }
        guard case .object(let object)? = FakeJSON.parse(Data(text.utf8)), let envelopeID = object["envelope_id"]?.stringValue else {
            return refuse("malformed")
        }
        guard object.keys.allSatisfy({ ["envelope_id", "payload"].contains($0) }) else { return refuse("unexpected_field") }
        guard let envelope = envelopes.first(where: { $0.envelopeID == envelopeID }) else { return refuse("unknown_envelope_id") }
        guard !acks.contains(where: { $0.envelopeID == envelopeID }) else { return refuse("duplicate_ack") }
        guard envelope.connection == connection else { return refuse("wrong_connection") }
        if let payload = object["payload"] {
            guard envelope.acceptsResponsePayload, case .object = payload else { return refuse("payload_not_accepted") }
        }
        acks.append(FakeSlackSocketAck(envelopeID: envelopeID, payload: object["payload"], message: envelope.message, connection: connection))
        messages[envelope.message].acked = true
        messages[envelope.message].inFlight = nil
    }

    func refuseUpgrade() { refusedUpgrades += 1 }

    func receivedBinary(on connection: Int) {
        refusals.append(FakeSlackSocketRefusal(text: "", reason: "binary_frame", connection: connection))
    }

    /// The socket is gone: whatever was awaiting an ack on it is retried elsewhere (events) or given up.
    func closed(_ id: Int) {
        guard let index = connections.firstIndex(where: { $0.id == id }), connections[index].isOpen else { return }
        connections[index].closedAt = Date()
        connections[index].ending = connections[index].ending ?? .byApp
        writers.removeValue(forKey: id)?.finish()
        channels[id] = nil
        for message in messages.indices where messages[message].inFlight == id && !messages[message].acked {
            messages[message].inFlight = nil
            deliver(message, reason: "timeout")
        }
    }

    private func closeFromServer(_ id: Int) {
        guard let index = connections.firstIndex(where: { $0.id == id }), connections[index].isOpen else { return }
        connections[index].ending = connections[index].ending ?? .byServer
        writers[id]?.yield(.close)
    }

    /// Sends `message` as a new envelope on the newest usable socket, or leaves it queued.
    private func deliver(_ message: Int, reason: String) {
        let attempt = messages[message].envelopes.count
        if attempt > 0 && (messages[message].type != "events_api" || attempt > Self.maxRetries) {
            messages[message].abandoned = true
            return
        }
        guard let target = connections.last(where: { $0.isOpen && !$0.retiring }) else { return }
        let envelope = FakeSlackEnvelope(envelopeID: UUID().uuidString.lowercased(), type: messages[message].type,
                                         payload: messages[message].payload,
                                         acceptsResponsePayload: messages[message].acceptsResponsePayload,
                                         retryAttempt: attempt, retryReason: reason, message: message, connection: target.id)
        envelopes.append(envelope)
        messages[message].envelopes.append(envelope.envelopeID)
        messages[message].inFlight = target.id
        // A silent socket swallows the envelope, as a dead network path would.
        if !target.silent { writers[target.id]?.yield(.text(envelope.frame.description)) }
        if let ackTimeout, envelope.type == "events_api" {
            Task { [weak self] in
                try? await Task.sleep(for: ackTimeout)
                await self?.ackTimedOut(envelope)
            }
        }
    }

    private func ackTimedOut(_ envelope: FakeSlackEnvelope) {
        let message = envelope.message
        guard !messages[message].acked, messages[message].envelopes.last == envelope.envelopeID,
              messages[message].inFlight != nil else { return }
        messages[message].inFlight = nil
        deliver(message, reason: "timeout")
    }
}

/// Swallows every byte a socket receives while letting its closing through: a silenced connection reads
/// nothing (so the app's pings get no pong) yet still notices when the app hangs up.
final class FakeSlackBlackHole: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
