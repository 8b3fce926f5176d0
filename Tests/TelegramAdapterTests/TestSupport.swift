import Foundation
import StewardCore
import StewardHTTP
import StewardTesting
@testable import TelegramAdapter

/// People and chats the tests talk about.
enum People {
    static let alice = FakeTelegramUser(id: 1001, firstName: "Alice", lastName: "Archer", username: "alice")
    static let bob = FakeTelegramUser(id: 1002, firstName: "Bob", username: "bob")
    static let team = FakeTelegramChat.group(id: -4001, title: "Team")
    static let aliceChat = ChatRef(platform: .telegram, chatID: "1001", isPrivate: true)
    static let teamChat = ChatRef(platform: .telegram, chatID: "-4001", isPrivate: false)
}

/// A running fake Bot API with a real HTTP client pointed at it, torn down after `body`.
struct FakeTelegramHarness: Sendable {
    let fake: FakeTelegramServer
    let transport: AsyncHTTPTransport
    let client: HTTPTelegramClient
    let baseURL: URL

    var state: FakeTelegramState { fake.state }
    var normalizer: TelegramNormalizer { TelegramNormalizer(botUsername: fake.bot.username!, botID: fake.bot.id) }

    static func run<T: Sendable>(_ body: (FakeTelegramHarness) async throws -> T) async throws -> T {
        let fake = FakeTelegramServer()
        try await fake.start()
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let baseURL = try await fake.baseURL
        // 30 s for calls that should succeed: the first seconds of a parallel run share two event loops among
        // hundreds of tests, and a call that takes milliseconds alone has taken over 5 s there.
        let harness = FakeTelegramHarness(
            fake: fake, transport: transport,
            client: HTTPTelegramClient(token: fake.token, baseURL: baseURL, transport: transport, defaultTimeout: .seconds(30)),
            baseURL: baseURL)
        return try await withCleanup { try await body(harness) } cleanup: { await harness.tearDown() }
    }

    func tearDown() async {
        await fake.stop()
        try? await transport.shutdown()
    }

    /// A delivery channel with limits small enough for fast tests unless told otherwise.
    func channel(limits: TelegramDeliveryChannel.Limits = .init(perChat: .init(count: 1, per: .milliseconds(20)),
                                                                perGroup: .init(count: 1, per: .milliseconds(20)),
                                                                globalPerSecond: 0),
                 limiter: RateLimiter = RateLimiter()) -> TelegramDeliveryChannel {
        TelegramDeliveryChannel(client: client, limiter: limiter, limits: limits)
    }
}

/// Polls `condition` until it holds or `timeout` passes; true when it held.
func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

func decodeUpdate(_ json: String) throws -> TelegramUpdate {
    try JSONDecoder().decode(TelegramUpdate.self, from: Data(json.utf8))
}

extension Duration {
    var inSeconds: Double { seconds }
}
