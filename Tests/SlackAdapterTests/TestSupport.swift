import Foundation
@testable import SlackAdapter
import StewardCore
import StewardHTTP
import StewardTesting

/// A running fake Slack Web API with a real HTTP client pointed at it, torn down after `body`.
struct FakeSlackHarness: Sendable {
    let fake: FakeSlackServer
    let transport: AsyncHTTPTransport
    let client: HTTPSlackClient

    var state: FakeSlackState { fake.state }

    static func run<T: Sendable>(_ body: (FakeSlackHarness) async throws -> T) async throws -> T {
        let fake = FakeSlackServer()
        try await fake.start()
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        // 30 s for calls that should succeed: the first seconds of a parallel run share two event loops among
        // hundreds of tests, and a call that takes milliseconds alone has taken over 5 s there.
        let harness = FakeSlackHarness(fake: fake, transport: transport,
                                       client: HTTPSlackClient(token: fake.botToken, baseURL: try await fake.apiURL,
                                                               transport: transport, timeout: .seconds(30)))
        return try await withCleanup { try await body(harness) } cleanup: { await harness.tearDown() }
    }

    func tearDown() async {
        await fake.stop()
        try? await transport.shutdown()
    }

    func channel(perChannel: RateLimiter.Limit = .init(count: 1, per: .milliseconds(20))) -> SlackDeliveryChannel {
        SlackDeliveryChannel(client: client, perChannel: perChannel)
    }
}

enum Slack {
    static let alice = "U0ALICE"
    static let bob = "U0BOB"
    static let bot = "UBOTSTEWARD"
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
}

func decode<T: Decodable>(_ type: T.Type, _ json: FakeJSON) throws -> T {
    try JSONDecoder().decode(T.self, from: json.data)
}
