import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// One person on Telegram and Slack, the whole app in this process: Ana (owner on Telegram, with an .ics
/// calendar) asks for a link code on Telegram and sends it from Slack, where nobody let her in otherwise.
@Suite struct LinkAppTests {
    static let secret = "0123456789abcdef0123456789abcdef"

    /// The Slack side: the fake Web API, signed requests to the app's listener, and the answers that reach
    /// a slash command's `response_url`.
    struct Slack {
        let fake: FakeSlackServer
        let signer: FakeSlackSigner
        let port: Int

        /// `/steward <text>` from Ana's Slack account in her DM; returns the text of its answer (the
        /// acknowledgement itself when it came in time, else what reached the `response_url`).
        func command(_ text: String, trigger: String) async throws -> String {
            let form = signer.slashCommand("/steward", text: text, user: "U1", channel: "D1", triggerID: trigger)
            let (status, body) = try await post(signer.command(form))
            #expect(status == 200)
            let acknowledged = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["text"] as? String ?? ""
            guard acknowledged.hasPrefix("Working on it") || acknowledged.isEmpty else { return acknowledged }
            do {
                try await waitUntil(timeout: .seconds(20)) { await !fake.responses.responses(for: trigger).isEmpty }
            } catch {
                throw WorldFailure("no answer to /steward \(text): acknowledged \(body), DM \(await dm().map(\.text))")
            }
            return await fake.responses.responses(for: trigger).map(\.text).joined(separator: "\n")
        }

        /// A message in Ana's Slack DM (the Events API).
        func directMessage(_ text: String, id: String) async throws {
            let event = FakeSlackSigner.directMessage(text, from: "U1", channel: "D1", eventID: id)
            #expect(try await post(signer.event(event)).status == 200)
        }

        func post(_ request: FakeSlackSignedRequest) async throws -> (status: Int, body: String) {
            try await request.post(toPort: port)
        }

        func dm() async -> [FakeSlackMessage] { await fake.state.messages(in: "D1") }
    }

    @Test func linkedOnSlackTheCalendarAnswersThereAndTheDigestGoesToTheChosenHome() async throws {
        let fake = FakeSlackServer()
        try await fake.start()
        await fake.state.addChannel("D1")
        defer { Task { await fake.stop() } }
        let environment = ["SLACK_BOT_TOKEN": fake.botToken, "SLACK_API_URL": try await fake.apiURL.absoluteString,
                           "SLACK_SIGNING_SECRET": Self.secret]
        try await AppWorld.run(calendarFile: true, environment: environment) { world in
            let app = try await world.boot()
            let slack = Slack(fake: fake, signer: FakeSlackSigner(signingSecret: Self.secret,
                                                                  responseURLBase: try await fake.responseURLBase),
                              port: try await app.application.port())
            // Not let in on Slack: nothing of Ana's shows there.
            #expect(!(try await slack.command("tomorrow", trigger: "T1").contains("Design review")))

            let asked = try await world.ask("/link", answerNumber: 1).text
            let code = try #require(asked.range(of: "Your link code is ").map { String(asked[$0.upperBound...].prefix(8)) })
            #expect(try await slack.command("link \(code)", trigger: "T2").contains("✓ Linked"))
            let notice = try await world.waitForMessages(2)[1].text
            #expect(notice.contains("slack:U1") && notice.contains("/unlink"), "\(notice)")

            // One person: the Telegram calendar answers on Slack; /whoami lists both on both.
            #expect(try await slack.command("tomorrow", trigger: "T3").contains("Design review"))
            let onSlack = try await slack.command("whoami", trigger: "T4")
            #expect(onSlack.contains("telegram:100") && onSlack.contains("slack:U1 — "), "\(onSlack)")
            let onTelegram = try await world.ask("/whoami", answerNumber: 3).text
            #expect(onTelegram.contains("telegram:100") && onTelegram.contains("slack:U1"), "\(onTelegram)")

            // Home on Slack needs a Slack DM first; then the digest goes there, not to Telegram.
            #expect(try await world.ask("/settings home slack", answerNumber: 4).text.contains("no private chat"))
            try await slack.directMessage("hi", id: "Ev1")
            try await waitUntil(timeout: .seconds(20)) { await !slack.dm().isEmpty }
            #expect(try await world.ask("/settings home slack", answerNumber: 5).text.contains("home slack"))
            let formatter = DateFormatter()
            formatter.timeZone = AppWorld.berlin
            formatter.dateFormat = "HH:mm"
            _ = try await world.ask("/settings digest \(formatter.string(from: world.clock.now))", answerNumber: 6)
            try await app.runDueJobs()
            let seen = await slack.dm().map(\.text)
            #expect(seen.filter { $0.contains("Your day") }.count == 1, "\(seen)")
            #expect(await world.messages().allSatisfy { !$0.text.hasPrefix("Your day") })
        }
    }

    /// Memory follows the person: a fact remembered on Telegram reaches the model when the question comes
    /// from the linked Slack identity, and after `/forget` on Slack the same question carries it no more.
    @Test func aFactRememberedOnTelegramAnswersOnSlackUntilForgottenThere() async throws {
        let fake = FakeSlackServer()
        try await fake.start()
        await fake.state.addChannel("D1")
        let model = FakeLLMServer()
        try await model.start()
        await model.state.setFallback(.text("After lunch suits Bob."))
        defer { Task { await fake.stop(); await model.stop() } }
        let environment = ["SLACK_BOT_TOKEN": fake.botToken, "SLACK_API_URL": try await fake.apiURL.absoluteString,
                           "SLACK_SIGNING_SECRET": Self.secret, "LLM_BASE_URL": try await model.baseURL.absoluteString,
                           "LLM_MODEL": "fake-model"]
        try await AppWorld.run(environment: environment) { world in
            let app = try await world.boot()
            let slack = Slack(fake: fake, signer: FakeSlackSigner(signingSecret: Self.secret,
                                                                  responseURLBase: try await fake.responseURLBase),
                              port: try await app.application.port())
            let asked = try await world.ask("/link", answerNumber: 1).text
            let code = try #require(asked.range(of: "Your link code is ").map { String(asked[$0.upperBound...].prefix(8)) })
            #expect(try await slack.command("link \(code)", trigger: "T1").contains("✓ Linked"))
            _ = try await world.waitForMessages(2)
            let saved = try await world.ask("/remember Bob's meetings go after lunch", answerNumber: 3).text
            #expect(saved.hasPrefix("Remembered (#1)"), "\(saved)")

            try await slack.directMessage("when should the meetings with Bob go", id: "Ev1")
            try await waitUntil(timeout: .seconds(20)) { await model.state.requests.count >= 1 }
            try await app.settle()
            let first = await model.state.requests[0].messages.compactMap { $0["content"]?.stringValue }
            #expect(first.contains { $0.hasPrefix("Facts the user asked you to remember") && $0.contains("after lunch") },
                    "\(first)")

            #expect(try await slack.command("forget 1", trigger: "T2").contains("Forgotten #1"))
            try await slack.directMessage("when should the meetings with Bob go", id: "Ev2")
            try await waitUntil(timeout: .seconds(20)) { await model.state.requests.count >= 2 }
            try await app.settle()
            let second = await model.state.requests[1].messages.compactMap { $0["content"]?.stringValue }
            #expect(!second.contains { $0.contains("after lunch") }, "\(second)")
        }
    }
}
