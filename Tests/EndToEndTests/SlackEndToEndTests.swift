import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// The real binary on Slack's Events API: signed requests in, Web API calls out to the fake.
@Suite(.serialized) struct SlackEndToEndTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"

    struct World {
        let fake = FakeSlackServer()
        let workspace: URL
        let calendarFile: URL
        let port: Int
        let signer = FakeSlackSigner(signingSecret: SlackEndToEndTests.secret)
        let environment: [String: String]

        init() async throws {
            try await fake.start()
            port = try freeLoopbackPort()
            environment = [
                "SLACK_BOT_TOKEN": fake.botToken, "SLACK_API_URL": try await fake.apiURL.absoluteString,
                "SLACK_SIGNING_SECRET": SlackEndToEndTests.secret, "STEWARD_OWNERS": "slack:U100",
                "STEWARD_HTTP_PORT": "\(port)", "STEWARD_LOG_LEVEL": "warning",
            ]
            await fake.state.addChannel("D100")
            workspace = try makeWorkspace()
            calendarFile = try writeCalendar(in: workspace)
            let add = try StewardProcess(["accounts", "add", "ics", "--user", "slack:U100", "--file", calendarFile.path],
                                         environment: environment, directory: workspace)
            guard try await add.exitStatus() == 0 else { throw ProcessFailure(add.stderr) }
        }

        /// Sends a signed request to Steward's listener; returns the status and body.
        func post(_ request: FakeSlackSignedRequest) async throws -> (Int, String) {
            try await request.post(toPort: port)
        }

        func messages() async -> [FakeSlackMessage] { await fake.state.messages(in: "D100") }

        func waitForMessages(_ count: Int, _ steward: StewardProcess) async throws -> [FakeSlackMessage] {
            do {
                try await waitUntil { await messages().count >= count }
            } catch {
                throw ProcessFailure("expected \(count) Slack message(s), got \(await messages().map(\.text)); "
                                     + "stderr: \(steward.stderr)")
            }
            return await messages()
        }
    }

    @Test func dmsCommandsAndApprovalsOverTheEventsAPI() async throws {
        let world = try await World()
        let steward = try StewardProcess(environment: world.environment, directory: world.workspace)
        defer {
            steward.kill9()
            Task { await world.fake.stop() }
            try? FileManager.default.removeItem(at: world.workspace)
        }
        try await waitUntil { (try? await world.post(world.signer.event(FakeSlackSigner.urlVerification(challenge: "c1")))) != nil }
        let (status, body) = try await world.post(world.signer.event(FakeSlackSigner.urlVerification(challenge: "abc123")))
        #expect(status == 200)
        #expect(body.contains("abc123"))

        // A forged signature is refused and nothing happens.
        let forged = FakeSlackSigner(signingSecret: "not-the-secret")
        let dm = FakeSlackSigner.directMessage("what's on tomorrow", from: "U100", channel: "D100", eventID: "Ev1")
        #expect(try await world.post(forged.event(dm)).0 == 401)
        let stale = world.signer.event(dm, at: Date().addingTimeInterval(-600))
        #expect(try await world.post(stale).0 == 401)
        // An event is stored before its 200, so anything these two had stored would be answered and sent by now.
        try await MetricsProbe(environment: world.environment).waitForDrain()
        #expect(await world.messages().isEmpty)

        // The real event, then Slack's retry of it: answered once.
        #expect(try await world.post(world.signer.event(dm)).0 == 200)
        #expect(try await world.post(world.signer.event(dm, retryNum: 1)).0 == 200)
        let agenda = try await world.waitForMessages(1, steward)
        #expect(agenda[0].text.contains("Design review"))

        // A slash command is acknowledged at once; the answer follows.
        let started = ContinuousClock.now
        let command = world.signer.command(FakeSlackSigner.slashCommand("/steward", text: "book Dentist tomorrow 15:00 for 45m",
                                                                         user: "U100", channel: "D100", triggerID: "T1"))
        let ack = try await world.post(command)
        #expect(ack.0 == 200)
        #expect(ContinuousClock.now - started < .seconds(3))
        let card = try await world.waitForMessages(2, steward)[1]
        let approve = try #require(card.buttonValues.first { $0.hasSuffix(":a") })
        #expect(card.buttonValues.count == 2)
        #expect(try occurrences(of: "SUMMARY:Dentist", in: world.calendarFile) == 0)

        let tap = world.signer.interaction(FakeSlackSigner.blockActions(value: approve, user: "U100", channel: "D100",
                                                                          messageTS: card.ts, triggerID: "T2"))
        #expect(try await world.post(tap).0 == 200)
        try await waitUntil { await world.messages().first { $0.ts == card.ts }?.editCount == 1 }
        let edited = try #require(await world.messages().first { $0.ts == card.ts })
        #expect(edited.text.contains("Added"))
        #expect(edited.buttonValues.isEmpty)
        #expect(try occurrences(of: "SUMMARY:Dentist", in: world.calendarFile) == 1)

        // A second tap does nothing more.
        let again = world.signer.interaction(FakeSlackSigner.blockActions(value: approve, user: "U100", channel: "D100",
                                                                            messageTS: card.ts, triggerID: "T3"))
        #expect(try await world.post(again).0 == 200)
        // The tap was stored before its 200: once it is handled (and its answers sent), any second write is done.
        try await MetricsProbe(environment: world.environment).waitForDrain()
        #expect(try occurrences(of: "SUMMARY:Dentist", in: world.calendarFile) == 1)
    }
}
