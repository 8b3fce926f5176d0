import Foundation
@testable import SlackAdapter
import StewardCore
import StewardTesting
import Testing

/// The delivery channel and client against the fake Web API.
@Suite struct SlackDeliveryChannelTests {
    @Test func authTestAndBadToken() async throws {
        try await FakeSlackHarness.run { h in
            #expect(try await h.client.authTest().userID == h.fake.botUserID)
            let wrong = HTTPSlackClient(token: "xoxb-wrong", baseURL: try await h.fake.apiURL, transport: h.transport)
            await #expect(throws: SlackError.invalidAuth) { try await wrong.authTest() }
            let requests = await h.state.requests(method: "auth.test")
            #expect(requests.map(\.token) == [h.fake.botToken, "xoxb-wrong"])
        }
    }

    @Test func postsACardAndEditsItWithoutButtons() async throws {
        try await FakeSlackHarness.run { h in
            let dm = await h.state.addUser(Slack.alice)
            let chat = ChatRef(platform: .slack, chatID: dm, isPrivate: true)
            let card = OutboundMessage(title: "Add event?", text: "Lunch <Fri>", buttons: [
                Button(title: "Approve", token: "s1:ap-1:a", style: .primary), Button(title: "Reject", token: "s1:ap-1:r", style: .danger)])
            let ts = try #require(try await h.channel().deliver(.send(chat: chat, message: card)))
            var stored = try #require(await h.state.messages(in: dm).first)
            #expect(stored.ts == ts)
            #expect(stored.buttonValues == ["s1:ap-1:a", "s1:ap-1:r"])
            #expect(stored.text.contains("Lunch &lt;Fri&gt;"))
            let edited = try await h.channel().deliver(.edit(chat: chat, messageID: ts, message: OutboundMessage(text: "Approved.")))
            #expect(edited == ts)
            stored = try #require(await h.state.messages(in: dm).first)
            #expect(stored.buttonValues.isEmpty)
            #expect(stored.editCount == 1)
            #expect(try await h.channel().deliver(.answerAction(platform: .slack, receipt: "r", text: "ok")) == nil)
        }
    }

    @Test func aUserIDIsOpenedAsADMOnce() async throws {
        try await FakeSlackHarness.run { h in
            let dm = await h.state.addUser(Slack.alice)
            let channel = h.channel()
            let home = ChatRef(platform: .slack, chatID: Slack.alice, isPrivate: true)
            _ = try await channel.deliver(.send(chat: home, message: OutboundMessage(text: "Good morning")))
            _ = try await channel.deliver(.send(chat: home, message: OutboundMessage(text: "Digest")))
            #expect(await h.state.messages(in: dm).map(\.text) == ["Good morning", "Digest"])
            #expect(await h.state.requests(method: "conversations.open").count == 1)
            #expect(await h.state.requests(method: "chat.postMessage").allSatisfy { $0.parameters["channel"]?.stringValue == dm })
        }
    }

    @Test func failuresAreSortedForTheOutbox() async throws {
        try await FakeSlackHarness.run { h in
            let dm = await h.state.addUser(Slack.alice)
            let chat = ChatRef(platform: .slack, chatID: dm, isPrivate: true)
            let message = OutboundMessage(text: "hi")
            await h.state.injectFault(.rateLimited(retryAfter: 2), method: "chat.postMessage")
            await #expect(throws: DeliveryFailure.retryAfter(seconds: 2)) { try await h.channel().deliver(.send(chat: chat, message: message)) }
            await h.state.injectFault(.serverError(status: 503))
            await #expect(throws: DeliveryFailure.transient("Slack HTTP 503 (HTTP 503)")) { try await h.channel().deliver(.send(chat: chat, message: message)) }
            let gone = ChatRef(platform: .slack, chatID: "C0GONE", isPrivate: false)
            do {
                _ = try await h.channel().deliver(.send(chat: gone, message: message))
                Issue.record("expected chatUnavailable")
            } catch let DeliveryFailure.chatUnavailable(reason) {
                #expect(reason.contains("channel_not_found"))
            }
            let wrong = SlackDeliveryChannel(client: HTTPSlackClient(token: "xoxb-revoked", baseURL: try await h.fake.apiURL, transport: h.transport))
            do {
                _ = try await wrong.deliver(.send(chat: chat, message: message))
                Issue.record("expected rejected")
            } catch let DeliveryFailure.rejected(reason) {
                #expect(reason.contains("invalid_auth"))
            }
        }
    }

    @Test func sendsToOneChannelAreSpacedByTheLimit() async throws {
        try await FakeSlackHarness.run { h in
            let dm = await h.state.addUser(Slack.alice)
            let chat = ChatRef(platform: .slack, chatID: dm, isPrivate: true)
            let channel = h.channel(perChannel: .init(count: 1, per: .milliseconds(200)))
            for index in 0..<3 { _ = try await channel.deliver(.send(chat: chat, message: OutboundMessage(text: "m\(index)"))) }
            let times = await h.state.requests(method: "chat.postMessage").map(\.at)
            #expect(times.count == 3)
            for (a, b) in zip(times, times.dropFirst()) { #expect(b.timeIntervalSince(a) >= 0.18) }
        }
    }
}
