import Foundation
import StewardHTTP
import StewardTesting
import Testing
@testable import TelegramAdapter

@Suite("TelegramClient: envelope and error mapping against the fake Bot API")
struct TelegramClientTests {
    @Test func getMeReturnsTheBot() async throws {
        try await FakeTelegramHarness.run { h in
            let me = try await h.client.getMe()
            #expect(me.username == "StewardTestBot")
            #expect(me.isBot)
            let request = try #require(await h.state.requests(method: "getMe").first)
            #expect(request.status == 200)
        }
    }

    @Test func sendMessageSendsTheDocumentedJSONShape() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let keyboard = InlineKeyboardMarkup(inlineKeyboard: [[.init(text: "Approve", callbackData: "s1:abc:a")]])
            let sent = try await h.client.sendMessage(.init(chatID: 1001, text: "<b>Hi</b> there", replyMarkup: keyboard))
            #expect(sent.chatID == 1001)
            #expect(await h.state.message(sent.messageID, inChat: 1001)?.text == "Hi there")
            let parameters = try #require(await h.state.requests(method: "sendMessage").first?.parameters)
            #expect(parameters["chat_id"] == .int(1001))
            #expect(parameters["parse_mode"] == "HTML")
            #expect(parameters["text"] == "<b>Hi</b> there")
            #expect(parameters["reply_markup"]?["inline_keyboard"] == [[["text": "Approve", "callback_data": "s1:abc:a"]]])
            #expect(parameters["link_preview_options"]?["is_disabled"] == true)
        }
    }

    @Test func wrongTokenIsUnauthorizedAndTheTokenIsNeverInTheError() async throws {
        try await FakeTelegramHarness.run { h in
            let secretToken = "999:wrong-token-SECRET"
            let client = HTTPTelegramClient(token: secretToken, baseURL: h.baseURL, transport: h.transport)
            let error = await #expect(throws: TelegramError.unauthorized) { try await client.getMe() }
            #expect(error?.errorCode == 401)
            #expect(error.map { !String(describing: $0).contains(secretToken) } ?? false)
        }
    }

    @Test func floodControlBecomesRetryAfterWithItsSeconds() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.injectFault(.tooManyRequests(retryAfter: 3), method: "getMe")
            let error = await #expect(throws: TelegramError.retryAfter) { try await h.client.getMe() }
            #expect(error?.retryAfterSeconds == 3)
            #expect(error?.isTransient == true)
            _ = try await h.client.getMe()  // only the next call was refused
        }
    }

    @Test func serverErrorsAndDroppedConnectionsAreTransient() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.injectFault(.serverError(status: 502), method: "getMe")
            let server = await #expect(throws: TelegramError.server) { try await h.client.getMe() }
            #expect(server?.errorCode == 502)
            await h.state.injectFault(.dropConnection, method: "getMe")
            let network = await #expect(throws: TelegramError.network) { try await h.client.getMe() }
            #expect(network?.isTransient == true)
        }
    }

    @Test func blockedUnknownAndMigratedChatsMapToTheirErrors() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            await h.state.blockBot(inChat: 1001)
            let blocked = await #expect(throws: TelegramError.forbidden) {
                try await h.client.sendMessage(.init(chatID: 1001, text: "hello"))
            }
            #expect(blocked?.message == "Forbidden: bot was blocked by the user")

            let unknown = await #expect(throws: TelegramError.badRequest) {
                try await h.client.sendMessage(.init(chatID: 424242, text: "hello"))
            }
            #expect(unknown?.message == "Bad Request: chat not found")

            await h.state.registerChat(People.team)
            await h.state.migrateGroup(-4001, to: -1_001_234_567_890)
            let migrated = await #expect(throws: TelegramError.chatMigrated) {
                try await h.client.sendMessage(.init(chatID: -4001, text: "hello"))
            }
            #expect(migrated?.migrateToChatID == -1_001_234_567_890)
            _ = try await h.client.sendMessage(.init(chatID: -1_001_234_567_890, text: "hello again"))
        }
    }

    @Test func editingToTheSameContentIsNotModified() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let sent = try await h.client.sendMessage(.init(chatID: 1001, text: "Card"))
            let edit = EditMessageTextRequest(chatID: 1001, messageID: sent.messageID, text: "Card: approved")
            _ = try await h.client.editMessageText(edit)
            await #expect(throws: TelegramError.notModified) { try await h.client.editMessageText(edit) }
        }
    }

    @Test func getUpdatesWhileAWebhookIsSetIsAConflict() async throws {
        try await FakeTelegramHarness.run { h in
            try await h.client.setWebhook(.init(url: "https://steward.example/telegram/webhook", secretToken: "s3cret",
                                                allowedUpdates: ["message"]))
            await #expect(throws: TelegramError.conflict) {
                try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: nil))
            }
            try await h.client.deleteWebhook()
            #expect(try await h.client.getUpdates(.init(offset: nil, timeout: 0, allowedUpdates: nil)).isEmpty)
        }
    }

    @Test func aResponseThatIsNotAnEnvelopeIsAServerError() async throws {
        struct HTMLProxy: HTTPTransport {
            func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
                HTTPResponseSpec(status: 502, body: Data("<html>Bad gateway</html>".utf8))
            }
        }
        let client = HTTPTelegramClient(token: "1:x", transport: HTMLProxy())
        let error = await #expect(throws: TelegramError.server) { try await client.getMe() }
        #expect(error?.errorCode == 502)
    }

    @Test func theURLIsBaseBotTokenMethodAndTheTokenStaysOutOfNetworkErrors() async throws {
        final class Recorder: HTTPTransport, @unchecked Sendable {
            var urls: [URL] = []
            func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
                urls.append(request.url)
                throw HTTPTransportError.connection("could not reach \(request.url.absoluteString)")
            }
        }
        let recorder = Recorder()
        let client = HTTPTelegramClient(token: "123:SECRET", baseURL: URL(string: "http://tg.local:8081/api/")!,
                                        transport: recorder)
        let error = await #expect(throws: TelegramError.network) { try await client.getMe() }
        #expect(recorder.urls.map(\.absoluteString) == ["http://tg.local:8081/api/bot123:SECRET/getMe"])
        #expect(error.map { !String(describing: $0).contains("SECRET") } ?? false)
    }

    @Test func theFakeAcceptsFormEncodedBodiesLikeTheRealAPI() async throws {
        try await FakeTelegramHarness.run { h in
            await h.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let url = h.baseURL.appendingPathComponent("bot\(h.fake.token)").appendingPathComponent("sendMessage")
            let markup = #"{"inline_keyboard":[[{"text":"OK","callback_data":"s1:x:a"}]]}"#
            let form = "chat_id=1001&text=Tom+%26+Jerry&reply_markup=" + markup.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await h.transport.send(HTTPRequestSpec(
                method: "POST", url: url,
                headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")], body: Data(form.utf8)))
            #expect(response.status == 200)
            let sent = try #require(await h.state.sentMessages(chat: 1001).first)
            #expect(sent.text == "Tom & Jerry")
            #expect(sent.buttons == [[FakeTelegramButton(text: "OK", callbackData: "s1:x:a", url: nil)]])
        }
    }
}
