import Foundation
import StewardTesting
import Testing

/// The real binary in Slack Socket Mode: no public endpoint, events arrive over the fake's WebSocket and
/// answers go out through the fake Web API.
@Suite(.serialized) struct SlackSocketModeEndToEndTests {
    /// The Events API world (fake Web API, calendar, owner U100 in D100) with an app token instead of a
    /// signing secret, and the fake Socket Mode server behind `apps.connections.open`.
    struct World {
        let slack: SlackEndToEndTests.World
        let socket: FakeSlackSocketMode
        let environment: [String: String]

        var state: FakeSlackSocketModeState { socket.state }

        init() async throws {
            slack = try await SlackEndToEndTests.World()
            socket = FakeSlackSocketMode(slack: slack.fake.state)
            try await socket.start()
            var environment = slack.environment
            environment["SLACK_SIGNING_SECRET"] = nil
            environment["SLACK_APP_TOKEN"] = slack.fake.appToken
            self.environment = environment
        }

        func finish(_ steward: StewardProcess) async {
            steward.kill9()
            await socket.stop()
            await slack.fake.stop()
            try? FileManager.default.removeItem(at: slack.workspace)
        }

        func dm(_ text: String, _ eventID: String) -> FakeJSON {
            FakeSlackSigner.directMessage(text, from: "U100", channel: "D100", eventID: eventID)
        }

        /// Fails with Steward's stderr when `condition` does not hold in time.
        func expect(_ what: String, _ steward: StewardProcess, timeout: Duration = .seconds(30),
                    _ condition: @Sendable (isolated FakeSlackSocketModeState) -> Bool) async throws {
            guard await state.wait(timeout: timeout, until: condition) else {
                throw ProcessFailure("\(what) did not happen; stderr: \(steward.stderr)")
            }
        }
    }

    @Test func dmsAreAnsweredExactlyOnceAcrossADroppedSocket() async throws {
        let world = try await World()
        let steward = try StewardProcess(environment: world.environment, directory: world.slack.workspace)
        do {
            try await world.expect("a Socket Mode connection", steward) { $0.openConnections == 1 }
            let today = await world.state.sendEvent(world.dm("today", "EvS1"))
            let first = try await world.slack.waitForMessages(1, steward)
            #expect(first[0].text.contains("No events"))  // the calendar's only meeting is tomorrow
            try await world.expect("the ack of the first event", steward) { $0.isAcknowledged(today) }

            // The network path dies: two events vanish into it, then the socket drops.
            await world.state.silenceConnections()
            let lost = [await world.state.sendEvent(world.dm("tomorrow", "EvS2")),
                        await world.state.sendEvent(world.dm("next", "EvS3"))]
            await world.state.dropConnections()
            try await world.expect("a new connection", steward) { $0.connections.count == 2 && $0.connections[1].isOpen }
            // Slack sends them again (new envelope ids) on the new socket; plus one fresh event and a
            // redelivery of the first, which was answered already.
            let fresh = await world.state.sendEvent(world.dm("week", "EvS4"))
            let again = await world.state.sendEvent(world.dm("today", "EvS1"))
            try await world.expect("acks of every event", steward) { state in
                (lost + [fresh, again]).allSatisfy { state.isAcknowledged($0) }
            }
            let answers = try await world.slack.waitForMessages(4, steward)
            #expect(answers.contains { $0.text.contains("Design review") })
            // Every acknowledged event answered and sent: a second answer would be among them by now.
            try await MetricsProbe(environment: world.environment).waitForDrain()
            #expect(await world.slack.messages().count == 4)
            #expect(await world.state.envelopes(of: lost[0]).map(\.retryAttempt) == [0, 1])
            #expect(await world.state.refusals.isEmpty)
            #expect(await world.state.maxOpenConnections == 1)
            let opens = await world.slack.fake.state.requests(method: "apps.connections.open")
            #expect(opens.allSatisfy { $0.token == world.slack.fake.appToken })
        } catch {
            await world.finish(steward)
            throw error
        }
        await world.finish(steward)
    }
}
