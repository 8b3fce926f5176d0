import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

/// Webhook mode with the real binary: Steward registers its URL and secret with Telegram at start, and its
/// HTTP listener refuses any delivery without that secret.
@Suite struct TelegramWebhookEndToEndTests {
    @Test func webhookModeChecksTheSecretAndAnswers() async throws {
        let world = try await TelegramWorld()
        let port = try freeLoopbackPort()
        var environment = world.environment
        environment["TELEGRAM_MODE"] = "webhook"
        environment["TELEGRAM_WEBHOOK_SECRET"] = "correct-horse_battery"
        environment["STEWARD_HTTP_PORT"] = "\(port)"
        environment["STEWARD_PUBLIC_URL"] = "http://127.0.0.1:\(port)"
        let steward = try StewardProcess(environment: environment, directory: world.workspace)
        defer { Task { await world.finish(steward) } }

        try await waitUntil { await world.fake.state.webhookInfo() != nil }
        let webhook = try #require(await world.fake.state.webhookInfo())
        #expect(webhook.url == "http://127.0.0.1:\(port)/telegram/webhook")
        #expect(webhook.secretToken == "correct-horse_battery")

        let update = """
            {"update_id": 900001, "message": {"message_id": 5, "date": 1790000000,
             "from": {"id": 100, "is_bot": false, "first_name": "Ana"},
             "chat": {"id": 100, "type": "private", "first_name": "Ana"},
             "text": "/tomorrow", "entities": [{"type": "bot_command", "offset": 0, "length": 9}]}}
            """
        await world.fake.state.registerChat(FakeTelegramChat.privateChat(with: TelegramWorld.owner),
                                            user: TelegramWorld.owner)
        let url = URL(string: "http://127.0.0.1:\(port)/telegram/webhook")!
        try await waitUntil { (try? await post(update, to: url, secret: nil)) != nil }
        #expect(try await post(update, to: url, secret: nil) == 401)
        #expect(try await post(update, to: url, secret: "wrong") == 401)
        // An update is stored before its 200: had either been stored, it would be answered and sent by now.
        let metrics = try MetricsProbe(environment: environment)
        try await metrics.waitForDrain()
        #expect(await world.messages(to: 100).isEmpty)

        #expect(try await post(update, to: url, secret: "correct-horse_battery") == 200)
        #expect(try await post(update, to: url, secret: "correct-horse_battery") == 200)
        let replies = try await world.waitForMessages(1, to: 100, steward)
        #expect(replies[0].text.contains("Design review"))
        // Both deliveries were stored (or dropped as duplicates) before their 200s; everything handled and sent.
        try await metrics.waitForDrain()
        #expect(await world.messages(to: 100).count == 1)
        #expect(await world.fake.requests(method: "getUpdates").isEmpty)

        let health = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        #expect((health.1 as? HTTPURLResponse)?.statusCode == 200)
    }
}

private func post(_ body: String, to url: URL, secret: String?) async throws -> Int {
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.httpBody = Data(body.utf8)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let secret { request.setValue(secret, forHTTPHeaderField: "X-Telegram-Bot-Api-Secret-Token") }
    let (_, response) = try await URLSession.shared.data(for: request)
    return (response as? HTTPURLResponse)?.statusCode ?? 0
}
