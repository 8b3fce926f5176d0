import Foundation
import HummingbirdWSClient
import Logging
@testable import SlackAdapter
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// The real `SlackSocketModeSource` over a real WebSocket, against the fake Slack Web API and the fake
/// Socket Mode server: stored before acknowledged, nothing lost or handled twice across drops,
/// refreshes and dead sockets, and no hot loop when Slack refuses to connect.
@Suite(.serialized) struct SlackSocketModeLiveTests {
    static func dm(_ text: String, _ eventID: String) -> FakeJSON {
        FakeSlackSigner.directMessage(text, from: Slack.alice, channel: "D0ALICE", eventID: eventID)
    }

    @Test func anEventIsAcknowledgedOnlyAfterItIsStored() async throws {
        try await SocketWorld.run { world in
            let sink = TestSocketSink()
            await sink.hold()
            try await world.running(world.source(sink)) {
                let message = await world.state.sendEvent(Self.dm("today", "Ev1"))
                #expect(try await eventually { await sink.heldCount == 1 })
                // The store is still in progress: Slack must not have an ack yet.
                try await Task.sleep(for: .milliseconds(300))
                #expect(await world.state.acks.isEmpty)
                await sink.release()
                #expect(await world.state.wait { $0.isAcknowledged(message) })
            }
            #expect(await sink.stored.events.map(\.id) == ["slack:event:Ev1"])
            #expect(await world.state.refusals.isEmpty)
            // The app token went in the Authorization header, as apps.connections.open requires.
            let opens = await world.harness.state.requests(method: "apps.connections.open")
            #expect(!opens.isEmpty)
            #expect(opens.allSatisfy { $0.token == world.harness.fake.appToken && $0.error == nil })
        }
    }

    @Test func anEventThatCouldNotBeStoredIsRedeliveredAndStoredOnce() async throws {
        try await SocketWorld.run(ackTimeout: .seconds(1)) { world in
            let sink = TestSocketSink()
            await sink.stored.failNext(1)
            try await world.running(world.source(sink)) {
                let message = await world.state.sendEvent(Self.dm("tomorrow", "Ev2"))
                #expect(await world.state.wait { $0.isAcknowledged(message) })
                let envelopes = await world.state.envelopes(of: message)
                let acked = await world.state.acks.map(\.envelopeID)
                #expect(envelopes.count >= 2)
                #expect(!acked.contains(envelopes[0].envelopeID))  // the one that failed to store
                let redelivered = try #require(envelopes.first { acked.contains($0.envelopeID) })
                #expect(redelivered.retryAttempt >= 1)
                #expect(redelivered.payload == envelopes[0].payload)
            }
            #expect(await sink.stored.events.map(\.id) == ["slack:event:Ev2"])
            #expect(await world.state.refusals.isEmpty)
        }
    }

    @Test func socketDroppedMidStreamLosesNothingAndHandlesNothingTwice() async throws {
        try await SocketWorld.run { world in
            // A little work per event, so the drops land while envelopes are still flowing.
            let sink = TestSocketSink(delay: .milliseconds(10))
            let ids = (0..<50).map { "EvDrop\($0)" }
            try await world.running(world.source(sink)) {
                #expect(await world.state.wait { $0.openConnections == 1 })
                for id in ids { await world.state.sendEvent(Self.dm("today", id)) }
                #expect(await world.state.wait { $0.acks.count >= 10 })
                await world.state.dropConnections()
                #expect(await world.state.wait { $0.acks.count >= 30 && $0.connections.count >= 2 })
                await world.state.dropConnections()
                #expect(await world.state.wait(timeout: .seconds(30)) { $0.unacknowledged.isEmpty })
            }
            let state = world.state
            #expect(Set(await sink.stored.events.map(\.id)) == Set(ids.map { "slack:event:\($0)" }))
            #expect(await sink.stored.events.count == 50)
            #expect(await state.connections.count >= 3)
            #expect(await state.envelopes.count > 50)  // the drops did cut envelopes off mid-stream
            #expect(await state.maxOpenConnections == 1)
            #expect(await state.refusals.isEmpty)  // no ack for an unknown, stale or already acked envelope
            #expect(await state.abandoned.isEmpty)
            // Each envelope reached the store at most once; what was redelivered after a lost ack was dropped there.
            #expect(await sink.stored.acceptCalls <= state.envelopes.count)
            #expect(await sink.stored.acceptCalls == 50 + sink.stored.duplicates)
        }
    }

    @Test func refreshRequestedReconnectsWithOneSocketAtATime() async throws {
        try await SocketWorld.run { world in
            let sink = TestSocketSink()
            try await world.running(world.source(sink)) {
                for id in ["EvR1", "EvR2", "EvR3"] { await world.state.sendEvent(Self.dm("today", id)) }
                #expect(await world.state.wait { $0.acks.count == 3 })
                let asked = ContinuousClock.now
                // Slack would close the old socket itself after 15 s; the app must not wait for that.
                await world.state.disconnect(reason: "refresh_requested", closeAfter: .seconds(15))
                #expect(await world.state.wait { $0.connections.count == 2 && $0.connections[1].isOpen })
                #expect(ContinuousClock.now - asked < .seconds(10))
                for id in ["EvR4", "EvR5"] { await world.state.sendEvent(Self.dm("today", id)) }
                #expect(await world.state.wait { $0.acks.count == 5 })
            }
            let connections = await world.state.connections
            #expect(connections[0].ending == .byApp)
            #expect(try #require(connections[0].closedAt) <= connections[1].openedAt)
            #expect(await world.state.maxOpenConnections == 1)
            #expect(await world.state.acks.suffix(2).allSatisfy { $0.connection == 2 })
            #expect(await sink.stored.events.count == 5)
        }
    }

    @Test func aSilentSocketIsNoticedByThePingWatchdogAndReplaced() async throws {
        try await SocketWorld.run { world in
            let sink = TestSocketSink()
            try await world.running(world.source(sink, pingInterval: .milliseconds(250))) {
                let first = await world.state.sendEvent(Self.dm("today", "EvS1"))
                #expect(await world.state.wait { $0.isAcknowledged(first) })
                await world.state.silenceConnections()
                let silenced = ContinuousClock.now
                // Goes out on the dead socket and is lost there, like on a real dead network path.
                let second = await world.state.sendEvent(Self.dm("tomorrow", "EvS2"))
                #expect(await world.state.wait { $0.connections.count == 2 && $0.connections[1].isOpen })
                // Two ping intervals plus a short backoff; generous for a loaded machine.
                #expect(ContinuousClock.now - silenced < .seconds(10))
                #expect(await world.state.wait { $0.isAcknowledged(second) })
            }
            #expect(await world.state.connections[0].ending == .byApp)  // the app hung up, the fake never did
            #expect(await sink.stored.events.map(\.id) == ["slack:event:EvS1", "slack:event:EvS2"])
        }
    }

    @Test func refusedAppTokenBacksOffWithoutAHotLoop() async throws {
        try await SocketWorld.run { world in
            let source = world.source(TestSocketSink(), appToken: "xapp-1-not-the-app-token")
            // Until it has tried three times (a hot loop would have tried hundreds of times by then).
            try await world.running(source) {
                try await waitUntil { await world.harness.state.requests(method: "apps.connections.open").count >= 3 }
            }
            let opens = await world.harness.state.requests(method: "apps.connections.open")
            #expect(opens.count >= 3)  // it keeps trying…
            #expect(opens.allSatisfy { $0.error == "invalid_auth" })
            #expect(Self.gaps(opens).allSatisfy { $0 >= 0.09 })  // …but never faster than every 100 ms
            #expect(await world.state.connections.isEmpty)
        }
    }

    @Test func serverErrorsAndRateLimitsOnConnectionsOpenAreWaitedOut() async throws {
        try await SocketWorld.run { world in
            await world.harness.state.injectFault(.serverError(status: 503), times: 2, method: "apps.connections.open")
            await world.harness.state.injectFault(.rateLimited(retryAfter: 1), times: 1, method: "apps.connections.open")
            try await world.running(world.source(TestSocketSink())) {
                #expect(await world.state.wait { $0.openConnections == 1 })
            }
            let opens = await world.harness.state.requests(method: "apps.connections.open")
            #expect(opens.map(\.status) == [503, 503, 429, 200])
            let gaps = Self.gaps(opens)
            #expect(gaps.allSatisfy { $0 >= 0.09 })
            #expect(gaps[2] >= 0.95)  // Retry-After: 1
        }
    }

    @Test func commandsAndTapsAreAcknowledgedWithTheDocumentedShape() async throws {
        try await SocketWorld.run { world in
            let sink = TestSocketSink()
            try await world.running(world.source(sink)) {
                let command = await world.state.sendSlashCommand(FakeSlackSigner.slashCommand(
                    "/steward", text: "free 30m tomorrow", user: Slack.alice, channel: "D0ALICE", triggerID: "77.1"))
                let tap = await world.state.sendInteraction(FakeSlackSigner.blockActions(
                    value: "s1:ap-3:r", user: Slack.alice, channel: "D0ALICE", messageTS: "17.5", triggerID: "88.1"))
                #expect(await world.state.wait { $0.isAcknowledged(command) && $0.isAcknowledged(tap) })
            }
            let acks = await world.state.acks
            #expect(acks.first?.payload?["response_type"] == "ephemeral")  // a command's ack may carry the reply
            #expect(acks.last?.payload == nil)
            #expect(await world.state.refusals.isEmpty)
            #expect(await sink.stored.events.map(\.kind) == [.command(name: "free", arguments: "30m tomorrow"),
                                                             .action(token: "s1:ap-3:r")])
        }
    }

    /// The fake itself: one use per URL, pongs while read, and acks checked against what it sent.
    @Test func theFakeHoldsAppsToTheProtocol() async throws {
        try await SocketWorld.run { world in
            let url = try await world.harness.client.openSocketConnection(appToken: world.harness.fake.appToken)
            #expect(url.hasPrefix("ws://127.0.0.1:") && url.contains("/link/?ticket="))
            // The client closes a socket whose ping goes unanswered for a whole period: 100 ms was too tight
            // for a loaded test machine.
            let pinging = WebSocketClientConfiguration(autoPing: .enabled(timePeriod: .milliseconds(400)))
            try await WebSocketClient.connect(url: url, configuration: pinging, logger: Logger(label: "test")) { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                guard case .text(let hello)? = try await frames.next() else { throw SlackError.network("no hello") }
                #expect(FakeJSON.parse(Data(hello.utf8))?["type"] == "hello")
                // The next envelope comes only after several ping periods: the socket must stay up meanwhile.
                Task {
                    try await Task.sleep(for: .milliseconds(1_300))
                    await world.state.sendEvent(Self.dm("today", "EvF1"))
                }
                guard case .text(let text)? = try await frames.next(), let frame = FakeJSON.parse(Data(text.utf8)),
                      let id = frame["envelope_id"]?.stringValue else { throw SlackError.network("no envelope") }
                #expect(frame["type"] == "events_api" && frame["retry_attempt"] == 0)
                for ack in [#"{"envelope_id":"never-sent"}"#, #"{"envelope_id":"\#(id)","payload":{"text":"hi"}}"#,
                            #"{"envelope_id":"\#(id)"}"#, #"{"envelope_id":"\#(id)"}"#, "ok"] {
                    try await outbound.write(.text(ack))
                }
                _ = await world.state.wait { $0.refusals.count == 4 }
            }
            #expect(await world.state.refusals.map(\.reason) == ["unknown_envelope_id", "payload_not_accepted", "duplicate_ack", "malformed"])
            #expect(await world.state.acks.count == 1)
            // The ticket was used: the same URL no longer opens a socket.
            await #expect(throws: (any Error).self) {
                try await WebSocketClient.connect(url: url, logger: Logger(label: "test")) { _, _, _ in }
            }
            #expect(await world.state.refusedUpgrades == 1)
            #expect(await world.state.connections.count == 1)
        }
    }

    /// Seconds between consecutive calls.
    static func gaps(_ requests: [FakeSlackRequest]) -> [Double] {
        zip(requests, requests.dropFirst()).map { $1.at.timeIntervalSince($0.at) }
    }
}

/// The fake Web API (with a real HTTP client) plus the fake Socket Mode server, torn down after `body`.
struct SocketWorld: Sendable {
    let harness: FakeSlackHarness
    let socket: FakeSlackSocketMode
    var state: FakeSlackSocketModeState { socket.state }

    /// - Parameter ackTimeout: nil = the fake redelivers only what a closed socket left unacknowledged.
    static func run(ackTimeout: Duration? = nil, _ body: (SocketWorld) async throws -> Void) async throws {
        try await FakeSlackHarness.run { harness in
            let socket = FakeSlackSocketMode(slack: harness.state, ackTimeout: ackTimeout)
            try await socket.start()
            do {
                try await body(SocketWorld(harness: harness, socket: socket))
            } catch {
                await socket.stop()
                throw error
            }
            await socket.stop()
        }
    }

    /// The real source with test-sized timings: fast backoff (100–400 ms), a 1 s close handshake.
    func source(_ sink: any InboundSink, appToken: String? = nil, pingInterval: Duration = .seconds(10)) -> SlackSocketModeSource {
        SlackSocketModeSource(client: harness.client, appToken: appToken ?? harness.fake.appToken,
                              normalizer: SlackNormalizer(botUserID: Slack.bot), sink: sink,
                              pingInterval: pingInterval, closeTimeout: .seconds(1), minimumLifetime: .zero,
                              backoff: RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(100), maxDelay: .milliseconds(400)))
    }

    /// Runs `source` in the background while `body` runs, then cancels it and waits for it to end.
    func running(_ source: SlackSocketModeSource, _ body: () async throws -> Void) async throws {
        let task = Task { try await source.run() }
        do {
            try await body()
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
        task.cancel()
        try await task.value  // cancellation must end the loop quietly, without an error
    }
}

/// A sink that stores in memory, and can hold stores in progress (to look at what Slack saw meanwhile)
/// or make each one take a while.
actor TestSocketSink: InboundSink {
    let stored = InMemoryInboundSink()
    private let delay: Duration
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []

    init(delay: Duration = .zero) { self.delay = delay }

    var heldCount: Int { held.count }
    func hold() { holding = true }

    func release() {
        holding = false
        let waiting = held
        held = []
        for continuation in waiting { continuation.resume() }
    }

    func accept(_ batch: [InboundEvent]) async throws {
        if holding { await withCheckedContinuation { held.append($0) } }
        if delay > .zero { try await Task.sleep(for: delay) }
        try await stored.accept(batch)
    }
}

/// Polls `condition` every 20 ms; true once it holds, false after `timeout`.
func eventually(timeout: Duration = .seconds(20), _ condition: () async -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
