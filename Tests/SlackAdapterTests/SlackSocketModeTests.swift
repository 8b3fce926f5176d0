import Foundation
@testable import SlackAdapter
import StewardCore
import StewardTesting
import Testing

/// Socket Mode envelope handling (sans I/O): store first, then acknowledge; redeliveries dropped.
@Suite struct SlackSocketModeTests {
    struct NoClient: SlackClient {
        func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(_ method: String, _ body: Body, token: String?) async throws -> Result {
            throw SlackError.network("not used")
        }
    }

    func source(_ sink: InMemoryInboundSink) -> SlackSocketModeSource {
        SlackSocketModeSource(client: NoClient(), appToken: "xapp-1", normalizer: SlackNormalizer(botUserID: Slack.bot), sink: sink)
    }

    func envelope(_ id: String, type: String, payload: FakeJSON) -> String {
        // As Slack's docs show: commands and taps accept a response payload, events do not.
        FakeJSON.object(["envelope_id": .string(id), "type": .string(type), "payload": payload,
                         "accepts_response_payload": .bool(type != "events_api"), "retry_attempt": 0, "retry_reason": ""]).description
    }

    @Test func eventsAreStoredThenAckedAndRedeliveriesDropped() async throws {
        let sink = InMemoryInboundSink()
        let source = source(sink)
        let session = SocketSession()
        #expect(await source.handle(#"{"type":"hello","num_connections":1}"#, session: session) == .none)
        #expect(await session.greeted)
        let dm = FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "Ev500")
        #expect(await source.handle(envelope("env-1", type: "events_api", payload: dm), session: session) == .ack(#"{"envelope_id":"env-1"}"#))
        // Redelivered after a drop: new envelope id, same event id; acked again, stored once.
        #expect(await source.handle(envelope("env-2", type: "events_api", payload: dm), session: session) == .ack(#"{"envelope_id":"env-2"}"#))
        #expect(await sink.events.map(\.id) == ["slack:event:Ev500"])
    }

    @Test func anEnvelopeThatCouldNotBeStoredIsNotAcked() async throws {
        let sink = InMemoryInboundSink()
        await sink.failNext(1)
        let dm = FakeSlackSigner.directMessage("today", from: Slack.alice, channel: "D0ALICE", eventID: "Ev501")
        #expect(await source(sink).handle(envelope("env-3", type: "events_api", payload: dm), session: SocketSession()) == .none)
        #expect(await sink.events.isEmpty)
    }

    @Test func commandsAndTapsAreStoredAndAcked() async throws {
        let sink = InMemoryInboundSink()
        let source = source(sink)
        let fields = FakeSlackSigner.slashCommand("/steward", text: "free 30m tomorrow", user: Slack.alice, channel: "D0ALICE", triggerID: "77.1")
        let payload = FakeJSON.object(Dictionary(uniqueKeysWithValues: fields.map { ($0.0, FakeJSON.string($0.1)) }))
        guard case .ack(let ack) = await source.handle(envelope("env-4", type: "slash_commands", payload: payload), session: SocketSession()) else {
            Issue.record("no ack"); return
        }
        #expect(ack.contains(#""envelope_id":"env-4""#))
        #expect(ack.contains("ephemeral"))
        let tap = FakeSlackSigner.blockActions(value: "s1:ap-3:r", user: Slack.alice, channel: "D0ALICE", messageTS: "17.5", triggerID: "88.1")
        #expect(await source.handle(envelope("env-5", type: "interactive", payload: tap), session: SocketSession()) == .ack(#"{"envelope_id":"env-5"}"#))
        #expect(await sink.events.map(\.kind) == [.command(name: "free", arguments: "30m tomorrow"), .action(token: "s1:ap-3:r")])
    }

    @Test func disconnectClosesTheSocket() async throws {
        let session = SocketSession()
        let reaction = await source(InMemoryInboundSink()).handle(
            #"{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-1"}}"#, session: session)
        #expect(reaction == .close)
        #expect(await session.disconnectReason == "refresh_requested")
    }
}
