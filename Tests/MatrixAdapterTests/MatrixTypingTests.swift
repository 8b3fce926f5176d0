import Foundation
import MatrixAdapter
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// While a slow answer runs, the runtime asks the channel to show Steward typing; on Matrix the person in the
/// room must really see it (Synapse's `m.typing`), and a room Steward can't type in changes nothing.
@Suite struct MatrixTypingTests {
    @Test func showTypingMakesThePersonSeeStewardTyping() async throws {
        let synapse = try await Synapse.running()
        let http = AsyncHTTPTransport()
        defer { Task { try? await http.shutdown() } }
        let bot = try await synapse.register("steward")
        let ana = try await synapse.register("ana")
        let room = try await ana.createDirectChat(with: bot.userID)
        try await bot.join(room)
        let client = HTTPMatrixClient(homeserver: synapse.url, accessToken: bot.accessToken, transport: http)
        let channel = MatrixDeliveryChannel(client: client, state: InMemoryStateRepository(),
                                            identity: MatrixIdentity(userID: bot.userID))
        #expect(try await ana.typingUsers(in: room).isEmpty)

        await channel.showTyping(in: ChatRef(platform: .matrix, chatID: room, isPrivate: true))
        try await waitUntil(timeout: .seconds(25)) { (try? await ana.typingUsers(in: room)) == [bot.userID] }

        // A room Steward is not in: the notification fails quietly (typing is a courtesy, never an error).
        let elsewhere = try await ana.createRoom(name: "Elsewhere", invite: [])
        await channel.showTyping(in: ChatRef(platform: .matrix, chatID: elsewhere, isPrivate: false))
        #expect(try await ana.typingUsers(in: elsewhere).isEmpty)
    }
}
