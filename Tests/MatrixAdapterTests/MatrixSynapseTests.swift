import Foundation
import MatrixAdapter
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// The adapter's promises that only a real homeserver can confirm (Synapse from `scripts/matrix-test-server.sh`).
@Suite struct MatrixSynapseTests {
    actor SessionBox: MatrixSessionStore {
        var session: MatrixStoredSession?
        func load() async throws -> MatrixStoredSession? { session }
        func save(_ session: MatrixStoredSession) async throws { self.session = session }
    }

    /// A signed-in client for `user`, and its channel.
    func channel(for user: MatrixTestUser, http: AsyncHTTPTransport) async throws -> (MatrixDeliveryChannel, InMemoryStateRepository) {
        let client = HTTPMatrixClient(homeserver: user.synapse.url, accessToken: user.accessToken, transport: http)
        let state = InMemoryStateRepository()
        return (MatrixDeliveryChannel(client: client, state: state, identity: MatrixIdentity(userID: user.userID)), state)
    }

    @Test func theSameOutboxKeyPostsOneMessageHoweverOftenItIsSent() async throws {
        let synapse = try await Synapse.running()
        let http = AsyncHTTPTransport()
        defer { Task { try? await http.shutdown() } }
        let bot = try await synapse.register("steward")
        let ana = try await synapse.register("ana")
        let room = try await ana.createDirectChat(with: bot.userID)
        try await bot.join(room)
        let (channel, _) = try await channel(for: bot, http: http)
        let delivery = Delivery.send(chat: ChatRef(platform: .matrix, chatID: room, isPrivate: true),
                                     message: OutboundMessage(text: "Your agenda"))
        // A crash after the homeserver took it and before the outbox recorded it: the retry sends it again.
        let first = try await channel.deliver(delivery, key: "evt-1#0", resumingAfter: 0)
        let again = try await channel.deliver(delivery, key: "evt-1#0", resumingAfter: 0)
        #expect(first != nil && first == again)
        let other = try await channel.deliver(delivery, key: "evt-2#0", resumingAfter: 0)
        #expect(other != first)
        let messages = try await ana.events(in: room).filter { $0.sender == bot.userID && $0.isMessage }
        #expect(messages.count == 2)
    }

    @Test func aCardIsSeededWithItsReactionsAndItsChoicesAreStored() async throws {
        let synapse = try await Synapse.running()
        let http = AsyncHTTPTransport()
        defer { Task { try? await http.shutdown() } }
        let bot = try await synapse.register("steward")
        let ana = try await synapse.register("ana")
        let room = try await ana.createDirectChat(with: bot.userID)
        try await bot.join(room)
        let (channel, state) = try await channel(for: bot, http: http)
        let card = OutboundMessage(title: "Add this event?", text: "Dentist", buttons: [
            Button(title: "Approve", token: "s1:ab12:a"), Button(title: "Reject", token: "s1:ab12:r")])
        let id = try #require(try await channel.deliver(.send(chat: ChatRef(platform: .matrix, chatID: room, isPrivate: true),
                                                              message: card), key: "approval-card:ab12", resumingAfter: 0))
        let reactions = try await ana.events(in: room).filter { $0.type == "m.reaction" && $0.relatedEventID == id }
        #expect(Set(reactions.compactMap(\.reactionKey)) == ["✅", "❌"])
        let stored = try #require(try await state.value(MatrixDeliveryChannel.cardKey(id)))
        #expect(try JSONDecoder().decode([String: String].self, from: Data(stored.utf8)) == ["✅": "s1:ab12:a", "❌": "s1:ab12:r"])
    }

    @Test func aRoomStewardIsNotInStopsPushes() async throws {
        let synapse = try await Synapse.running()
        let http = AsyncHTTPTransport()
        defer { Task { try? await http.shutdown() } }
        let bot = try await synapse.register("steward")
        let ana = try await synapse.register("ana")
        let room = try await ana.createRoom(name: "Not for bots", invite: [])
        let (channel, _) = try await channel(for: bot, http: http)
        await #expect(throws: DeliveryFailure.self) {
            _ = try await channel.deliver(.send(chat: ChatRef(platform: .matrix, chatID: room, isPrivate: false),
                                                message: OutboundMessage(text: "hello")), key: "k", resumingAfter: 0)
        }
        do {
            _ = try await channel.deliver(.send(chat: ChatRef(platform: .matrix, chatID: room, isPrivate: false),
                                                message: OutboundMessage(text: "hello")), key: "k", resumingAfter: 0)
        } catch let failure as DeliveryFailure {
            guard case .chatUnavailable = failure else { Issue.record("expected chatUnavailable, got \(failure)"); return }
        }
    }

    @Test func aPasswordLoginHappensOnceAndARestartReusesItsDevice() async throws {
        let synapse = try await Synapse.running()
        let http = AsyncHTTPTransport()
        defer { Task { try? await http.shutdown() } }
        let bot = try await synapse.register("steward")
        let store = SessionBox()
        for _ in 1...3 {
            let client = HTTPMatrixClient(homeserver: synapse.url, accessToken: nil, transport: http)
            let me = try await MatrixSession(client: client, homeserver: synapse.url,
                                             credentials: .password(userID: bot.userID, password: bot.password), store: store).start()
            #expect(me.userID == bot.userID)
        }
        // The registration's device and exactly one of Steward's own.
        #expect(try await bot.devices().count == 2)
        // A revoked token: Steward logs in again, on the same device.
        let device = try #require(await store.session?.deviceID)
        let client = HTTPMatrixClient(homeserver: synapse.url, accessToken: nil, transport: http)
        try await store.save(MatrixStoredSession(homeserver: synapse.url.absoluteString, userID: bot.userID,
                                             accessToken: "revoked", deviceID: device))
        _ = try await MatrixSession(client: client, homeserver: synapse.url,
                                    credentials: .password(userID: bot.userID, password: bot.password), store: store).start()
        #expect(await store.session?.deviceID == device)
        #expect(try await bot.devices().count == 2)
    }
}
