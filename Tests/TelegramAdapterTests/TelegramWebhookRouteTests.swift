import Foundation
import Hummingbird
import HummingbirdTesting
import StewardServer
import StewardTesting
import Testing
@testable import TelegramAdapter

/// The webhook route as Telegram calls it: the secret token header decides before anything is stored.
@Suite struct TelegramWebhookRouteTests {
    @Test func onlyTheRightSecretStoresAnUpdate() async throws {
        let sink = InMemoryInboundSink()
        let receiver = TelegramWebhookReceiver(secret: "s3cret", normalizer: TelegramNormalizer(botUsername: "StewardTestBot"),
                                               sink: sink)
        let router = Router()
        router.addTelegramWebhook(receiver: receiver)
        let app = Application(router: router)
        let update = ByteBuffer(string: RecordedUpdate.privateText.rawValue)
        try await app.test(.router) { client in
            let missing = try await client.execute(uri: "/telegram/webhook", method: .post, body: update)
            #expect(missing.status == .unauthorized)
            let wrong = try await client.execute(uri: "/telegram/webhook", method: .post,
                                                 headers: [.init("X-Telegram-Bot-Api-Secret-Token")!: "nope"], body: update)
            #expect(wrong.status == .unauthorized)
            #expect(await sink.events.isEmpty)
            let malformed = try await client.execute(uri: "/telegram/webhook", method: .post,
                                                     headers: [.init("X-Telegram-Bot-Api-Secret-Token")!: "s3cret"],
                                                     body: ByteBuffer(string: "{"))
            #expect(malformed.status == .badRequest)
            let good = try await client.execute(uri: "/telegram/webhook", method: .post,
                                                headers: [.init("X-Telegram-Bot-Api-Secret-Token")!: "s3cret"], body: update)
            #expect(good.status == .ok)
            let replay = try await client.execute(uri: "/telegram/webhook", method: .post,
                                                  headers: [.init("X-Telegram-Bot-Api-Secret-Token")!: "s3cret"], body: update)
            #expect(replay.status == .ok)
            let huge = try await client.execute(uri: "/telegram/webhook", method: .post,
                                                headers: [.init("X-Telegram-Bot-Api-Secret-Token")!: "s3cret"],
                                                body: ByteBuffer(repeating: 32, count: 2 << 20))
            #expect(huge.status == .contentTooLarge)
        }
        // A redelivered update (same update_id) is stored once.
        #expect(await sink.events.count == 1)
    }
}
