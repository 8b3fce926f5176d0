import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
import Testing
@testable import TelegramAdapter

/// Forwards to the real client; from the `failFrom`-th `sendMessage` on, the fake Bot API answers 500.
private struct FailingLaterChunks: TelegramClient {
    let inner: HTTPTelegramClient
    let state: FakeTelegramState
    let failFrom: Int
    let sends = Locked(0)

    func call<Body: Encodable & Sendable, Result: Decodable & Sendable>(
        _ method: String, _ body: Body, timeout: Duration?
    ) async throws -> Result {
        if method == "sendMessage", sends.withLock({ $0 += 1; return $0 }) == failFrom {
            await state.injectFault(.serverError(status: 500), times: 100, method: "sendMessage")
        }
        return try await inner.call(method, body, timeout: timeout)
    }
}

@Suite struct LongMessageResumeTests {
    /// Three chunks; the second one keeps failing. The outbox is told one chunk went out, and the retry
    /// sends the second and third only: the chat shows each chunk exactly once.
    @Test func aRetryAfterALaterChunkFailedSendsOnlyTheRest() async throws {
        try await FakeTelegramHarness.run { harness in
            let chat = People.aliceChat
            await harness.state.registerChat(.privateChat(with: People.alice), user: People.alice)
            let client = FailingLaterChunks(inner: harness.client, state: harness.state, failFrom: 2)
            let channel = TelegramDeliveryChannel(
                client: client, limits: .init(perChat: .init(count: 100, per: .milliseconds(10)),
                                              perGroup: .init(count: 100, per: .milliseconds(10)), globalPerSecond: 0),
                chunkRetries: 1)
            let lines = (1...3).map { part in "part \(part) " + String(repeating: "x", count: 4_000) }
            let delivery = Delivery.send(chat: chat, message: OutboundMessage(text: lines.joined(separator: "\n")))

            let partial = await #expect(throws: PartialDelivery.self) { _ = try await channel.deliver(delivery) }
            #expect(partial?.sent == 1)
            guard case .transient? = partial?.failure else {
                Issue.record("a 500 is worth retrying, got \(String(describing: partial))")
                return
            }
            #expect(await harness.state.sentMessages(chat: 1001).map { String($0.text.prefix(6)) } == ["part 1"])

            await harness.state.clearFaults()
            let lastID = try await channel.deliver(delivery, key: "digest-1", resumingAfter: 1)
            let shown = await harness.state.sentMessages(chat: 1001)
            #expect(shown.map { String($0.text.prefix(6)) } == ["part 1", "part 2", "part 3"])
            #expect(lastID == shown.last.map { String($0.messageID) })
        }
    }
}
