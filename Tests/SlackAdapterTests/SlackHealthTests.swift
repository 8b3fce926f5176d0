import Foundation
@testable import SlackAdapter
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// The last Slack API error, for `/status`, from real calls against the fake Web API.
@Suite struct SlackHealthTests {
    @Test func eachDocumentedErrorGetsAStatusLineWithWhatToDo() async throws {
        try await FakeSlackHarness.run { h in
            let state = InMemoryStateRepository()
            #expect(await SlackHealth.statusLine(from: state) == "Slack: no API errors seen")

            let health = SlackHealth()
            await health.persist(to: state)
            let wrongToken = HTTPSlackClient(token: "xoxb-revoked", baseURL: try await h.fake.apiURL, transport: h.transport,
                                             health: health)
            await #expect(throws: SlackError.invalidAuth) { try await wrongToken.authTest() }
            var line = await SlackHealth.statusLine(from: state)
            #expect(line.contains("invalid_auth from auth.test"))
            #expect(line.contains("check SLACK_BOT_TOKEN"))

            let client = HTTPSlackClient(token: h.fake.botToken, baseURL: try await h.fake.apiURL, transport: h.transport,
                                         health: health)
            let channel = SlackDeliveryChannel(client: client)
            let nowhere = ChatRef(platform: .slack, chatID: "C0GONE", isPrivate: false)
            await #expect(throws: DeliveryFailure.self) {
                try await channel.deliver(.send(chat: nowhere, message: OutboundMessage(text: "hi")))
            }
            line = await SlackHealth.statusLine(from: state)
            #expect(line.contains("channel_not_found from chat.postMessage"))
            #expect(line.contains("invite the bot"))

            await h.state.addChannelWithoutBot("C0OTHERS")
            await #expect(throws: DeliveryFailure.self) {
                try await channel.deliver(.send(chat: ChatRef(platform: .slack, chatID: "C0OTHERS", isPrivate: false),
                                                message: OutboundMessage(text: "hi")))
            }
            line = await SlackHealth.statusLine(from: state)
            #expect(line.contains("not_in_channel"))
            #expect(line.contains("not a member"))

            let dm = await h.state.addUser(Slack.alice)
            await h.state.injectFault(.rateLimited(retryAfter: 1), method: "chat.postMessage")
            await #expect(throws: DeliveryFailure.retryAfter(seconds: 1)) {
                try await channel.deliver(.send(chat: ChatRef(platform: .slack, chatID: dm, isPrivate: true),
                                                message: OutboundMessage(text: "hi")))
            }
            line = await SlackHealth.statusLine(from: state)
            #expect(line.contains("ratelimited from chat.postMessage"))
            #expect(line.contains("Retry-After"))
            #expect(line.contains(" s ago"))
        }
    }

    @Test func theAppTokenGetsItsOwnHint() {
        #expect(SlackError.invalidAuth.hint(method: "apps.connections.open").contains("SLACK_APP_TOKEN"))
        #expect(SlackError.invalidAuth.hint(method: "chat.postMessage").contains("SLACK_BOT_TOKEN"))
    }

    @Test func aStormOfOneErrorIsWrittenOnceAMinute() async throws {
        let state = InMemoryStateRepository()
        let health = SlackHealth()
        await health.persist(to: state)
        let start = Date()
        let limited = SlackError.from(status: 429, error: "ratelimited", retryAfter: 5)
        for second in 0..<30 { await health.record(limited, method: "chat.postMessage", at: start.addingTimeInterval(Double(second))) }
        #expect(await state.writes(of: SlackHealth.stateKey).count == 1)
        await health.record(limited, method: "chat.postMessage", at: start.addingTimeInterval(61))
        #expect(await state.writes(of: SlackHealth.stateKey).count == 2)
        // A different error is written at once.
        await health.record(SlackError.from(status: 200, error: "not_in_channel", retryAfter: nil), method: "chat.postMessage",
                            at: start.addingTimeInterval(62))
        #expect(await state.writes(of: SlackHealth.stateKey).count == 3)
        #expect(await health.last?.error == "not_in_channel")
    }

    @Test func errorsSeenBeforeTheStoreIsAttachedAreKept() async throws {
        let health = SlackHealth()
        await health.record(SlackError.network("connection refused"), method: "auth.test")
        let state = InMemoryStateRepository()
        await health.persist(to: state)
        let line = await SlackHealth.statusLine(from: state)
        #expect(line.contains("no_response from auth.test"))
        #expect(line.contains("SLACK_API_URL"))
    }
}
