import Foundation
import StewardHTTP
import StewardTesting
import Testing
@testable import TelegramAdapter

/// The fake must refuse what the real Bot API refuses, or adapter tests prove nothing.
@Suite("FakeTelegramServer: behaves like the documented Bot API")
struct FakeTelegramServerTests {
    @Test func wrongTokenAndUnknownMethodAnswerLikeTelegram() async throws {
        try await FakeTelegramHarness.run { h in
            let wrong = h.baseURL.appendingPathComponent("bot1:wrong").appendingPathComponent("getMe")
            let response = try await h.transport.send(HTTPRequestSpec(method: "POST", url: wrong))
            #expect(response.status == 401)
            #expect(FakeJSON.parse(response.body) == ["ok": false, "error_code": 401, "description": "Unauthorized"])
            let unknown = h.baseURL.appendingPathComponent("bot\(h.fake.token)").appendingPathComponent("sendTelepathy")
            #expect(try await h.transport.send(HTTPRequestSpec(method: "POST", url: unknown)).status == 404)
            let mixedCase = h.baseURL.appendingPathComponent("bot\(h.fake.token)").appendingPathComponent("GETME")
            #expect(try await h.transport.send(HTTPRequestSpec(method: "GET", url: mixedCase)).status == 200)
        }
    }

    @Test func malformedHTMLIsRefused() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            for bad in ["<b>bold", "Tom & Jerry", "1 < 2", "<blink>hi</blink>", "<b>x</i>", "x</b>", "&bogus;",
                        "<span>spoiler</span>"] {
                let error = await #expect(throws: TelegramError.badRequest) {
                    try await h.client.sendMessage(.init(chatID: 1001, text: bad))
                }
                #expect(error?.message.hasPrefix("Bad Request: can't parse entities: ") == true, "\(bad)")
            }
            for good in ["<b>bold</b> &amp; <i>it</i>", "a &gt; b &lt; c &quot;q&quot; &#128512; &#x1F600;",
                         "<a href=\"https://x.org/?a=1&amp;b=2\">link</a>", "2 > 1", "<span class=\"tg-spoiler\">s</span>",
                         "<pre><code class=\"language-swift\">let x = 1</code></pre>"] {
                _ = try await h.client.sendMessage(.init(chatID: 1001, text: good))
            }
            let shown = await h.state.sentMessages(chat: 1001).map(\.text)
            #expect(shown[1] == "a > b < c \"q\" 😀 😀")
            #expect(await h.state.sentMessages(chat: 1001).first?.entities.map(\.type) == ["bold", "italic"])
        }
    }

    @Test func lengthIsCountedAfterParsingInUTF16() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            _ = try await h.client.sendMessage(.init(chatID: 1001, text: String(repeating: "&amp;", count: 4096)))
            let error = await #expect(throws: TelegramError.badRequest) {
                try await h.client.sendMessage(.init(chatID: 1001, text: String(repeating: "😀", count: 2049)))
            }
            #expect(error?.message == "Bad Request: message is too long")
            let empty = await #expect(throws: TelegramError.badRequest) {
                try await h.client.sendMessage(.init(chatID: 1001, text: "<b> </b>"))
            }
            #expect(empty?.message == "Bad Request: message text is empty")
        }
    }

    @Test func callbackDataOver64BytesIsRefused() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let long = InlineKeyboardMarkup(inlineKeyboard: [[.init(text: "Go", callbackData: String(repeating: "é", count: 33))]])
            let error = await #expect(throws: TelegramError.badRequest) {
                try await h.client.sendMessage(.init(chatID: 1001, text: "card", replyMarkup: long))
            }
            #expect(error?.message == "Bad Request: BUTTON_DATA_INVALID")
            let fits = InlineKeyboardMarkup(inlineKeyboard: [[.init(text: "Go", callbackData: String(repeating: "é", count: 32))]])
            _ = try await h.client.sendMessage(.init(chatID: 1001, text: "card", replyMarkup: fits))
        }
    }

    @Test func getUpdatesLongPollsAndOffsetConfirms() async throws {
        try await FakeTelegramHarness.run { h in
            let clock = ContinuousClock()
            let waiting = Task { try await h.client.getUpdates(.init(offset: nil, timeout: 20, allowedUpdates: nil), timeout: .seconds(30)) }
            // Wait until the poll is really waiting at the server; a loaded machine can take a while.
            try await waitUntil(timeout: .seconds(30)) { await h.state.waitingPollCount() > 0 }
            #expect(await h.state.waitingPollCount() == 1)
            let start = clock.now
            let first = await h.state.sendText("one", from: People.alice).updateID
            let woken = try await waiting.value
            #expect(woken.map(\.updateID) == [first])
            // Not answered at the poll's end (20 s): the margin is for a loaded machine.
            #expect(clock.now - start < .seconds(10), "answered as soon as an update arrived")

            let second = await h.state.sendText("two", from: People.alice).updateID
            let third = await h.state.sendText("three", from: People.alice).updateID
            #expect(try await h.client.getUpdates(.init(offset: nil, limit: 2, timeout: 0, allowedUpdates: nil)).map(\.updateID) == [first, second])
            #expect(try await h.client.getUpdates(.init(offset: second, timeout: 0, allowedUpdates: nil)).map(\.updateID) == [second, third])
            #expect(try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: nil)).map(\.updateID) == [second, third],
                    "updates below the last offset were confirmed and are gone")
            #expect(try await h.client.getUpdates(.init(offset: third + 1, timeout: 0, allowedUpdates: nil)).isEmpty)

            let quiet = clock.now
            #expect(try await h.client.getUpdates(.init(offset: third + 1, timeout: 1, allowedUpdates: nil)).isEmpty)
            #expect(clock.now - quiet >= .milliseconds(900), "an empty long poll waits its timeout")
        }
    }

    @Test func aNewerLongPollTerminatesTheOlderOne() async throws {
        try await FakeTelegramHarness.run { h in
            let older = Task { try await h.client.getUpdates(.init(offset: nil, timeout: 20, allowedUpdates: nil), timeout: .seconds(30)) }
            // Wait until the older poll is really waiting at the server; a loaded machine can take a while.
            try await waitUntil(timeout: .seconds(30)) { await h.state.waitingPollCount() > 0 }
            #expect(await h.state.waitingPollCount() == 1)
            _ = try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: nil))
            let error = await #expect(throws: TelegramError.conflict) { try await older.value }
            #expect(error?.message.contains("terminated by other getUpdates request") == true)
        }
    }

    @Test func allowedUpdatesFilterWhatIsQueued() async throws {
        try await FakeTelegramHarness.run { h in
            _ = try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: ["callback_query"]))
            await h.state.sendText("ignored", from: People.alice)
            #expect(await h.state.pendingUpdateCount() == 0)
        }
    }

    @Test func userMessagesCarryTelegramsEntities() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.sendText("/today@StewardTestBot please", from: People.bob, in: People.team)
            await h.state.sendText("hey @StewardTestBot 😀 and @bob", from: People.bob, in: People.team)
            let updates = try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: nil))
            #expect(updates[0].message?.entities == [.init(type: "bot_command", offset: 0, length: 21)])
            #expect(updates[1].message?.entities == [.init(type: "mention", offset: 4, length: 15),
                                                     .init(type: "mention", offset: 27, length: 4)])
            #expect(updates[1].message?.chat.type == "group")
            #expect(updates.compactMap { h.normalizer.normalize($0)?.kind } ==
                    [.command(name: "today", arguments: "please"), .message("hey 😀 and @bob")])
        }
    }

    @Test func aFakeInAnotherProcessIsDrivenOverHTTP() async throws {
        try await FakeTelegramHarness.run { h in
            func control(_ path: String, _ body: FakeJSON? = nil) async throws -> FakeJSON? {
                let url = URL(string: h.baseURL.absoluteString + "/_fake/" + path)!
                let response = try await h.transport.send(HTTPRequestSpec(
                    method: body == nil ? "GET" : "POST", url: url,
                    headers: [(name: "Content-Type", value: "application/json")], body: body?.data))
                #expect(response.status == 200, "\(path)")
                return FakeJSON.parse(response.body)
            }
            let enqueued = try await control("message", ["text": "/today", "user": ["id": 1001, "first_name": "Alice"]])
            let updateID = try #require(enqueued?["update_id"]?.intValue)
            let updates = try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: nil))
            #expect(updates.map(\.updateID) == [updateID])
            #expect(await h.state.servedAt(update: updateID) != nil)

            let card = try await h.client.sendMessage(.init(chatID: 1001, text: "<b>Today</b>: nothing",
                                                     replyMarkup: .init(inlineKeyboard: [[.init(text: "OK", callbackData: "s1:q:a")]])))
            let sent = try await control("sent?chat_id=1001")
            #expect(sent?.arrayValue?.first?["text"] == "Today: nothing")
            let tap = try await control("tap", ["chat_id": 1001, "message_id": .int(card.messageID), "user": ["id": 1001]])
            #expect(tap?["callback_query_id"] != nil)

            _ = try await control("fault", ["kind": "429", "retry_after": 2, "method": "getMe"])
            let error = await #expect(throws: TelegramError.retryAfter) { try await h.client.getMe() }
            #expect(error?.retryAfterSeconds == 2)
        }
    }
}
