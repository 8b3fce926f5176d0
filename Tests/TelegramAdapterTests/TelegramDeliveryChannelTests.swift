import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import TelegramAdapter

@Suite("TelegramDeliveryChannel: throttling and failure mapping")
struct TelegramDeliveryChannelTests {
    @Test func a429PausesAllSendsThenDeliveryResumesInOrder() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            await h.state.registerChat(.privateChat(with: People.bob), user: People.bob)
            let bobChat = ChatRef(platform: .telegram, chatID: "1002", isPrivate: true)
            let channel = h.channel()
            await h.state.injectFault(.tooManyRequests(retryAfter: 1), times: 1, method: "sendMessage")

            // An outbox sends one chat's items in order and retries the failed one first.
            await #expect(throws: DeliveryFailure.retryAfter(seconds: 1)) {
                try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "first")))
            }
            let clock = ContinuousClock()
            let start = clock.now
            let otherChat = Task { try await channel.deliver(.send(chat: bobChat, message: .init(text: "for bob"))) }
            for text in ["first", "second", "third"] {
                _ = try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: text)))
            }
            _ = try await otherChat.value
            #expect(clock.now - start >= .milliseconds(900), "every send waited out retry_after")
            #expect(await h.state.sentMessages(chat: 1001).map(\.text) == ["first", "second", "third"])
            #expect(await h.state.sentMessages(chat: 1002).map(\.text) == ["for bob"])
            let bobSent = try #require(await h.state.sentMessages(chat: 1002).first)
            let refused = try #require(await h.state.requests(method: "sendMessage").first { $0.status == 429 })
            #expect(bobSent.date.timeIntervalSince(refused.at) >= 0.9, "the pause held the other chat too")
        }
    }

    @Test func aBlockedBotMeansTheChatIsUnavailable() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            await h.state.blockBot(inChat: 1001)
            await #expect(throws: DeliveryFailure.chatUnavailable("Forbidden: bot was blocked by the user")) {
                try await h.channel().deliver(.send(chat: People.aliceChat, message: .init(text: "digest")))
            }
            await #expect(throws: DeliveryFailure.chatUnavailable("Bad Request: chat not found")) {
                try await h.channel().deliver(.send(chat: .init(platform: .telegram, chatID: "55", isPrivate: true),
                                                    message: .init(text: "digest")))
            }
        }
    }

    @Test func serverErrorsAndDroppedConnectionsAreTransientAndBadRequestsRejected() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let channel = h.channel()
            await h.state.injectFault(.serverError(status: 500), method: "sendMessage")
            let server = await #expect(throws: DeliveryFailure.self) {
                try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "x")))
            }
            guard case .transient? = server else { Issue.record("expected transient, got \(String(describing: server))"); return }
            await h.state.injectFault(.dropConnection, method: "sendMessage")
            let dropped = await #expect(throws: DeliveryFailure.self) {
                try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "x")))
            }
            guard case .transient? = dropped else { Issue.record("expected transient, got \(String(describing: dropped))"); return }
            let rejected = await #expect(throws: DeliveryFailure.self) {
                try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "x", buttons: [
                    Button(title: "Too long", token: String(repeating: "z", count: 65)),
                ])))
            }
            guard case .rejected? = rejected else { Issue.record("expected rejected, got \(String(describing: rejected))"); return }
            #expect(await h.state.sentMessages(chat: 1001).isEmpty)
        }
    }

    @Test func aMigratedGroupNamesItsNewID() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(People.team)
            await h.state.migrateGroup(-4001, to: -1_009_876_543_210)
            await #expect(throws: DeliveryFailure.chatMigrated(newChatID: "-1009876543210")) {
                try await h.channel().deliver(.send(chat: People.teamChat, message: .init(text: "hello team")))
            }
        }
    }

    @Test func editsSucceedRemoveButtonsAndNotModifiedCountsAsSuccess() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let channel = h.channel()
            let card = OutboundMessage(title: "Add Lunch?", text: "Friday 12:00–13:00",
                                       buttons: [.init(title: "Approve", token: "s1:ap1:a"), .init(title: "Reject", token: "s1:ap1:r")])
            let id = try #require(try await channel.deliver(.send(chat: People.aliceChat, message: card)))
            #expect(await h.state.message(Int64(id)!, inChat: 1001)?.buttons.first?.count == 2)

            let outcome = OutboundMessage(title: "Add Lunch?", text: "Approved: added to Work")
            #expect(try await channel.deliver(.edit(chat: People.aliceChat, messageID: id, message: outcome)) == id)
            let edited = try #require(await h.state.message(Int64(id)!, inChat: 1001))
            #expect(edited.text == "Add Lunch?\nApproved: added to Work")
            #expect(edited.buttons.isEmpty, "the outcome card has no buttons")

            // A retried edit (the outbox after a crash) asks for what is already shown.
            #expect(try await channel.deliver(.edit(chat: People.aliceChat, messageID: id, message: outcome)) == id)
            #expect(await h.state.requests(method: "editMessageText").last?.status == 400)
            #expect(await h.state.edits(chat: 1001).count == 1)
        }
    }

    @Test func buttonTapsAreAnsweredOnce() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let channel = h.channel()
            let id = try #require(try await channel.deliver(.send(chat: People.aliceChat, message: .init(
                text: "Add Lunch?", buttons: [.init(title: "Approve", token: "s1:ap1:a")]))))
            let tap = try #require(await h.state.tapButton(messageID: Int64(id)!, inChat: 1001, from: People.alice))
            #expect(try await channel.deliver(.answerAction(platform: .telegram, receipt: tap.callbackQueryID, text: "Approved")) == nil)
            #expect(await h.state.answeredCallbacks().map(\.text) == ["Approved"])
            let again = await #expect(throws: DeliveryFailure.self) {
                try await channel.deliver(.answerAction(platform: .telegram, receipt: tap.callbackQueryID, text: "Approved"))
            }
            guard case .rejected? = again else { Issue.record("expected rejected, got \(String(describing: again))"); return }
        }
    }

    @Test func typingIsBestEffort() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let channel = h.channel()
            await channel.showTyping(in: People.aliceChat)
            await channel.showTyping(in: .init(platform: .telegram, chatID: "31337", isPrivate: true))  // unknown: ignored
            let actions = await h.state.sentChatActions()
            #expect(actions.count == 1)
            #expect(actions.first?.chatID == 1001)
            #expect(actions.first?.action == "typing")
        }
    }

    @Test func atMostOneMessagePerSecondPerChatWhileOtherChatsGoAhead() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            await h.state.registerChat(People.team)
            // Telegram-like flood control in the fake: a second message within a second would be a 429.
            await h.state.setFloodControl(perChatPerSecond: 1)
            let channel = TelegramDeliveryChannel(client: h.client)  // the production limits
            #expect(channel.keys(for: -4001).map(\.name) == ["telegram:chat:-4001", "telegram:group:-4001", "telegram:global"])
            #expect(TelegramDeliveryChannel(client: h.client, limits: .init(globalPerSecond: 0)).keys(for: 5).count == 1)

            let group = Task {
                for index in 1...2 {
                    _ = try await channel.deliver(.send(chat: People.teamChat, message: .init(text: "team \(index)")))
                }
            }
            for index in 1...3 {
                _ = try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "alice \(index)")))
            }
            try await group.value
            let alice = await h.state.sentMessages(chat: 1001)
            #expect(alice.map(\.text) == ["alice 1", "alice 2", "alice 3"])
            for (earlier, later) in zip(alice, alice.dropFirst()) {
                #expect(later.date.timeIntervalSince(earlier.date) >= 1.0, "spaced as received, not just as sent")
            }
            let team = await h.state.sentMessages(chat: -4001)
            #expect(team.count == 2)
            // Another chat does not wait behind Alice's one-second spacing: the team's first message goes out
            // before Alice's second (an order, so a loaded machine can't make it flaky).
            #expect(team[0].date < alice[1].date, "another chat does not wait behind Alice")
            #expect(await h.state.floodControlRefusals() == 0)
        }
    }

    @Test func theBreakerStopsSendingToADeadService() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            // A cool-down long enough that a loaded machine can't let it pass between the attempts below.
            let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(2))
            let channel = TelegramDeliveryChannel(client: h.client, limits: .init(perChat: .init(count: 1, per: .milliseconds(10)), globalPerSecond: 0),
                                                  breaker: breaker)
            await h.state.injectFault(.serverError(status: 503), times: 2, method: "sendMessage")
            for _ in 0..<3 {
                await #expect(throws: DeliveryFailure.self) {
                    try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "x")))
                }
            }
            #expect(await h.state.requests(method: "sendMessage").count == 2, "the third was not even sent")
            try await Task.sleep(for: .milliseconds(2_100))
            _ = try await channel.deliver(.send(chat: People.aliceChat, message: .init(text: "back")))
            #expect(await breaker.state == .closed)
        }
    }
}
