import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import TelegramAdapter

@Suite("TelegramWebhookReceiver: secret, body, storage")
struct TelegramWebhookReceiverTests {
    let normalizer = TelegramNormalizer(botUsername: "StewardTestBot", botID: 7_000_000_001)
    let body = Data(RecordedUpdate.privateText.rawValue.utf8)

    @Test func aMissingOrWrongSecretIs401AndNothingIsStored() async {
        let sink = InMemoryInboundSink()
        let receiver = TelegramWebhookReceiver(secret: "s3cret-Token_1", normalizer: normalizer, sink: sink)
        #expect(await receiver.receive(secretHeader: nil, body: body) == 401)
        #expect(await receiver.receive(secretHeader: "s3cret-Token_2", body: body) == 401)
        #expect(await receiver.receive(secretHeader: "s3cret-Token_1 ", body: body) == 401)
        #expect(await receiver.receive(secretHeader: "", body: body) == 401)
        #expect(await sink.acceptCalls == 0)
        let unconfigured = TelegramWebhookReceiver(secret: "", normalizer: normalizer, sink: sink)
        #expect(await unconfigured.receive(secretHeader: "", body: body) == 401, "no secret configured accepts nothing")
    }

    @Test func aBodyThatIsNoUpdateIs400() async {
        let sink = InMemoryInboundSink()
        let receiver = TelegramWebhookReceiver(secret: "s3cret", normalizer: normalizer, sink: sink)
        #expect(await receiver.receive(secretHeader: "s3cret", body: Data("{not json".utf8)) == 400)
        #expect(await receiver.receive(secretHeader: "s3cret", body: Data(#"{"message":{}}"#.utf8)) == 400)
        #expect(await sink.acceptCalls == 0)
    }

    @Test func aGoodUpdateIsStoredBefore200AndAStorageErrorIs500() async {
        let sink = InMemoryInboundSink()
        let receiver = TelegramWebhookReceiver(secret: "s3cret", normalizer: normalizer, sink: sink)
        await sink.failNext(1)
        #expect(await receiver.receive(secretHeader: "s3cret", body: body) == 500, "Telegram will redeliver")
        #expect(await receiver.receive(secretHeader: "s3cret", body: body) == 200)
        #expect(await receiver.receive(secretHeader: "s3cret", body: body) == 200, "a redelivery is fine")
        #expect(await sink.events.map(\.id) == ["telegram:update:812345001"])
        let chatter = Data(RecordedUpdate.groupChatter.rawValue.utf8)
        #expect(await receiver.receive(secretHeader: "s3cret", body: chatter) == 200)
        #expect(await sink.events.count == 1)
    }

    @Test func secretsCompareExactly() {
        #expect(TelegramWebhookReceiver.constantTimeEquals("abc", "abc"))
        #expect(!TelegramWebhookReceiver.constantTimeEquals("abc", "abd"))
        #expect(!TelegramWebhookReceiver.constantTimeEquals("abc", "abcd"))
        #expect(!TelegramWebhookReceiver.constantTimeEquals("", "a"))
    }
}

@Suite("TelegramBootstrap: identity, commands, webhook or polling")
struct TelegramBootstrapTests {
    @Test func pollingModeSetsCommandsAndDeletesTheWebhookKeepingUpdates() async throws {
        try await FakeTelegramHarness.run { h in
            try await h.client.setWebhook(.init(url: "https://old.example/hook", secretToken: nil, allowedUpdates: nil))
            await h.state.sendText("sent while on webhook", from: People.alice)
            await h.state.injectFault(.serverError(status: 500), times: 1, method: "getMe")
            let bootstrap = TelegramBootstrap(client: h.client, mode: .polling,
                                              backoff: RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20)))
            let me = try await bootstrap.run()
            #expect(me.username == "StewardTestBot")
            let commands = await h.state.botCommands()
            #expect(commands.map(\.command) == ChatCommand.all.map(\.name))
            #expect(commands.first { $0.command == "free" }?.description == "Find free time, e.g. /free 30m tomorrow")
            #expect(await h.state.webhookInfo() == nil)
            #expect(await h.state.requests(method: "deleteWebhook").last?.parameters["drop_pending_updates"] == false)
            #expect(await h.state.pendingUpdateCount() == 1, "switching to polling lost nothing")
        }
    }

    @Test func webhookModeRegistersURLSecretAndUpdateTypes() async throws {
        try await FakeTelegramHarness.run { h in
            let url = URL(string: "https://steward.example/telegram/webhook")!
            _ = try await TelegramBootstrap(client: h.client, mode: .webhook(url: url, secretToken: "s3cret_Token-1")).run()
            let webhook = try #require(await h.state.webhookInfo())
            #expect(webhook.url == url.absoluteString)
            #expect(webhook.secretToken == "s3cret_Token-1")
            #expect(webhook.allowedUpdates == ["message", "callback_query"])
            let info = try await h.client.getWebhookInfo()
            #expect(info.url == url.absoluteString)
        }
    }

    @Test func aWrongTokenStopsTheBootstrap() async throws {
        try await FakeTelegramHarness.run { h in
            let client = HTTPTelegramClient(token: "1:nope", baseURL: h.baseURL, transport: h.transport)
            await #expect(throws: TelegramError.unauthorized) {
                try await TelegramBootstrap(client: client, mode: .polling).run()
            }
        }
    }

    @Test func commandsKeepTelegramsLimits() {
        let long = TelegramBootstrap.botCommand(name: "Free-Time", summary: String(repeating: "d", count: 300), usage: "/free-time")
        #expect(long?.command == "freetime")
        #expect(long?.description.count == 256)
        #expect(TelegramBootstrap.botCommand(name: "x", summary: " ", usage: "/x <y>")?.description == "/x <y>")
        #expect(TelegramBootstrap.botCommand(name: "--", summary: "s", usage: "/--") == nil)
        #expect(TelegramBootstrap.botCommands(from: ChatCommand.all).count == ChatCommand.all.count)
    }
}
