import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// Slash commands where the bot is not a member, and `/status` after Slack errors, with the real binary.
@Suite(.serialized) struct SlackCommandEndToEndTests {
    /// The command's answer as the user sees it: the acknowledgement itself when it carried the answer,
    /// else the one answer POSTed to its response_url.
    func answer(to request: FakeSlackSignedRequest, id: String, in world: SlackEndToEndTests.World,
                _ steward: StewardProcess) async throws -> (text: String, acknowledgedIn: Duration) {
        let started = ContinuousClock.now
        let (status, body) = try await world.post(request)
        let elapsed = ContinuousClock.now - started
        #expect(status == 200)
        let ack = try #require(FakeJSON.parse(Data(body.utf8)), "the acknowledgement is not JSON: \(body)")
        #expect(ack["response_type"]?.stringValue == "ephemeral")
        let text = ack["text"]?.stringValue ?? ""
        guard text == "Working on it…" else { return (text, elapsed) }
        do {
            try await waitUntil { await !world.fake.responses.responses(for: id).isEmpty }
        } catch {
            throw ProcessFailure("no answer via response_url \(id); stderr: \(steward.stderr)")
        }
        let answers = await world.fake.responses.responses(for: id)
        #expect(answers.count == 1)
        #expect(answers.allSatisfy { $0.responseType == "ephemeral" && !$0.hadAuthorization })
        return (answers[0].text, elapsed)
    }

    @Test func aSlashCommandInAChannelWithoutTheBotIsAnsweredInPlace() async throws {
        let world = try await SlackEndToEndTests.World()
        await world.fake.state.addChannelWithoutBot("C0GENERAL")
        await world.fake.state.addUser("U100")  // Slack can open the DM with U100: it is D100
        let steward = try StewardProcess(environment: world.environment, directory: world.workspace)
        defer {
            steward.kill9()
            Task { await world.fake.stop() }
            try? FileManager.default.removeItem(at: world.workspace)
        }
        try await waitUntil { (try? await world.post(world.signer.event(FakeSlackSigner.urlVerification(challenge: "c")))) != nil }
        let signer = FakeSlackSigner(signingSecret: SlackEndToEndTests.secret,
                                     responseURLBase: try await world.fake.responseURLBase)

        let free = signer.command(signer.slashCommand("/steward", text: "free 30m tomorrow", user: "U100",
                                                      channel: "C0GENERAL", triggerID: "T10"))
        let (text, acknowledgedIn) = try await answer(to: free, id: "T10", in: world, steward)
        #expect(acknowledgedIn < .seconds(3))
        #expect(text.contains("Free for 30 min"))
        let viaResponseURL = await !world.fake.responses.responses(for: "T10").isEmpty
        print("/steward free answered \(viaResponseURL ? "via response_url" : "in the acknowledgement") after \(acknowledgedIn)")

        // A card asked for in the channel goes to the DM; the channel gets a pointer only she sees.
        let book = signer.command(signer.slashCommand("/steward", text: "book Lunch tomorrow 12:30 for 1h", user: "U100",
                                                      channel: "C0GENERAL", triggerID: "T11"))
        let pointer = try await answer(to: book, id: "T11", in: world, steward)
        #expect(pointer.acknowledgedIn < .seconds(3))
        #expect(pointer.text.contains("private message"))
        let card = try #require(try await world.waitForMessages(1, steward).first)
        #expect(card.channel == "D100")
        #expect(card.buttonValues.count == 2)

        // Nothing was ever posted to the channel the bot is not in, and every answer had the documented shape.
        // Both commands were stored before their acknowledgements: once they are handled and every answer is
        // sent, a post to the channel or another response would have been made.
        try await MetricsProbe(environment: world.environment).waitForDrain()
        let posts = await world.fake.state.requests(method: "chat.postMessage")
        #expect(posts.allSatisfy { $0.parameters["channel"]?.stringValue != "C0GENERAL" })
        #expect(await world.fake.responses.refusals.isEmpty)
        #expect(await world.fake.responses.responses().count <= 2)
    }

    @Test func statusNamesTheLastSlackErrorAndWhatToDo() async throws {
        let world = try await SlackEndToEndTests.World()
        await world.fake.state.addChannelWithoutBot("C0GENERAL")
        let steward = try StewardProcess(environment: world.environment, directory: world.workspace)
        defer {
            steward.kill9()
            Task { await world.fake.stop() }
            try? FileManager.default.removeItem(at: world.workspace)
        }
        try await waitUntil { (try? await world.post(world.signer.event(FakeSlackSigner.urlVerification(challenge: "c")))) != nil }
        let signer = FakeSlackSigner(signingSecret: SlackEndToEndTests.secret,
                                     responseURLBase: try await world.fake.responseURLBase)

        let healthy = try await answer(to: signer.command(signer.slashCommand("/steward", text: "status", user: "U100",
                                                                              channel: "C0GENERAL", triggerID: "T20")),
                                       id: "T20", in: world, steward)
        #expect(healthy.text.contains("Slack: no API errors seen"))

        // Slack rate-limits the answer to a DM once: it still arrives, after Retry-After.
        await world.fake.state.injectFault(.rateLimited(retryAfter: 1), method: "chat.postMessage")
        let dm = FakeSlackSigner.directMessage("what's on tomorrow", from: "U100", channel: "D100", eventID: "Ev20")
        #expect(try await world.post(world.signer.event(dm)).0 == 200)
        let agenda = try await world.waitForMessages(1, steward)
        #expect(agenda[0].text.contains("Design review"))

        let status = try await answer(to: signer.command(signer.slashCommand("/steward", text: "status", user: "U100",
                                                                             channel: "C0GENERAL", triggerID: "T21")),
                                      id: "T21", in: world, steward)
        #expect(status.text.contains("Slack: last API error ratelimited from chat.postMessage"))
        #expect(status.text.contains("Retry-After"))
        // The log says the same.
        #expect(steward.stderr.contains("ratelimited"))
    }
}
