import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// A faithful stand-in for Slack's Socket Mode WebSocket endpoint on `ws://127.0.0.1:<ephemeral port>/link/`.
/// Once started, `apps.connections.open` on the fake Web API (`slack`) hands out this URL with a
/// single-use `ticket`; an upgrade without a valid, unused ticket is refused. WebSocket pings are answered
/// (pong) as long as a socket is read; `state.silenceConnections()` stops that. The protocol and the test
/// API live in `state` (see `FakeSlackSocketModeState`).
public final class FakeSlackSocketMode: Sendable {
    public let state: FakeSlackSocketModeState
    private let slack: FakeSlackState
    private let host: String
    private let listener = LoopbackListener()

    /// - Parameter ackTimeout: how long an event waits for its ack before Slack sends it again; nil = only
    ///   when its socket goes away.
    public init(slack: FakeSlackState, ackTimeout: Duration? = .seconds(30), host: String = "127.0.0.1") {
        self.slack = slack
        self.host = host
        state = FakeSlackSocketModeState(ackTimeout: ackTimeout)
    }

    /// Starts listening and points `apps.connections.open` here; returns once the port is bound.
    public func start() async throws {
        let (state, slack) = (self.state, self.slack)
        // Requests that are not a valid upgrade end up here.
        let router = Router()
        router.get("/**") { _, _ in Response(status: .unauthorized) }
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            ws: .init(maxFrameSize: 1 << 20, autoPing: .disabled, closeTimeout: .seconds(2)))
        let bound = try await listener.start(name: "the fake Slack Socket Mode server") { onServerRunning in
            Application(
                router: router,
                server: .http1WebSocketUpgrade(configuration: configuration) { request, channel, _ in
                    guard let ticket = Self.ticket(in: request.path), await slack.redeemSocketTicket(ticket) else {
                        await state.refuseUpgrade()
                        return .dontUpgrade
                    }
                    return .upgrade([:]) { inbound, outbound, _ in
                        await Self.serve(inbound: inbound, outbound: outbound, ticket: ticket, channel: channel, state: state)
                    }
                },
                configuration: .init(address: .hostname(host, port: 0), serverName: nil),
                onServerRunning: onServerRunning, logger: LoopbackListener.silentLogger("fake-slack-socket"))
        }
        await slack.setSocketURL("ws://\(host):\(bound)/link/")
    }

    /// Drops every socket and stops listening.
    public func stop() async {
        await state.dropConnections()
        await listener.stop()
    }

    /// `ws://127.0.0.1:<port>/link/`, without a ticket.
    public var url: String {
        get async throws {
            let port = try await listener.runningPort(name: "the fake Slack Socket Mode server")
            return "ws://\(host):\(port)/link/"
        }
    }

    /// The `ticket` of `/link/?ticket=…`; nil for any other path.
    static func ticket(in path: String?) -> String? {
        guard let path, let components = URLComponents(string: path), components.path == "/link/" else { return nil }
        return components.queryItems?.first { $0.name == "ticket" }?.value
    }

    /// One socket: a writer sends what the state hands it (hello, envelopes, disconnects) while the
    /// caller's side is read (acks; reading also answers pings) until either side closes.
    static func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, ticket: String,
                      channel: any Channel, state: FakeSlackSocketModeState) async {
        let (id, commands) = await state.open(ticket: ticket, channel: channel)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await command in commands {
                    switch command {
                    case .text(let text):
                        do { try await outbound.write(.text(text)) } catch { return }
                    case .close:
                        try? await outbound.close(.normalClosure, reason: nil)
                        return
                    }
                }
            }
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    switch message {
                    case .text(let text): await state.received(text, on: id)
                    case .binary: await state.receivedBinary(on: id)
                    }
                }
            } catch {
                // A dropped socket ends the read with an error; it is recorded as closed all the same.
            }
            group.cancelAll()
        }
        await state.closed(id)
    }
}
