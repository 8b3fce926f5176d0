import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StewardTesting
import Testing

extension MatrixWorld {
    /// Steward on Matrix with the owner's Google Calendar (the fake Google APIs) instead of an .ics file:
    /// Google sends invitations, so a booking with attendees offers a third choice, "Approve, don't notify".
    init(google: FakeGoogleServer) async throws {
        synapse = try await Synapse.running()
        bot = try await synapse.register("steward", limited: true)
        owner = try await synapse.register("ana")
        friend = try await synapse.register("ben")
        stranger = try await synapse.register("eve")
        workspace = try makeWorkspace()
        calendarFile = workspace.appendingPathComponent("no-calendar.ics")
        let port = try freeLoopbackPort()
        environment = [
            "MATRIX_HOMESERVER_URL": synapse.url.absoluteString,
            "MATRIX_USER_ID": bot.userID,
            "MATRIX_PASSWORD": bot.password,
            "STEWARD_SECRET_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
            "STEWARD_OWNERS": owner.identity,
            "STEWARD_ALLOWED_USERS": friend.identity,
            "STEWARD_HTTP_PORT": "\(port)",
            "STEWARD_PUBLIC_URL": "http://127.0.0.1:\(port)",
            "STEWARD_LOG_LEVEL": "info",
            "STEWARD_TIMEZONE": "Europe/Berlin",
            "GOOGLE_CLIENT_ID": google.clientID,
            "GOOGLE_CLIENT_SECRET": google.clientSecret,
            "GOOGLE_AUTH_URL": try await google.authorizationURL.absoluteString,
            "GOOGLE_TOKEN_URL": try await google.tokenURL.absoluteString,
            "GOOGLE_API_URL": try await google.apiURL.absoluteString,
        ]
        await google.state.registerRedirectURI("http://127.0.0.1:\(port)/oauth/google/callback")
        await google.state.addAccount(email: GoogleWorld.email, timeZone: "Europe/Berlin")
    }
}

/// A card with more than two choices on Matrix: one emoji per choice is seeded on it, the requester's
/// reaction to one choice carries out that choice once, and nobody else's reaction changes anything.
@Suite(.serialized) struct MatrixMultiChoiceEndToEndTests {
    @Test func theRequestersReactionToTheThirdChoiceCarriesItOutOnce() async throws {
        let google = FakeGoogleServer()
        try await google.start()
        let world = try await MatrixWorld(google: google)
        let steward = try world.start()
        defer {
            world.finish(steward)
            Task { await google.stop() }
        }
        let room = try await world.directChat(of: world.owner, steward)
        try await world.owner.invite(world.friend.userID, to: room)
        try await world.friend.join(room)

        // Connect Google as Ana's browser would: the link Steward sent, Google's consent, the callback.
        try await world.owner.say("/connect google", in: room)
        let prompt = try await world.waitForMessages(1, in: room, steward)[0].body
        let link = try #require(prompt.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("http") }
            .flatMap { URL(string: String($0)) }, "no link in \(prompt)")
        let consent = try await google.state.authorize(link, as: GoogleWorld.email)
        _ = try await URLSession.shared.data(from: consent.redirect)
        let connected = try await world.waitForMessages(2, in: room, steward)[1].body
        #expect(connected.contains("Connected ana@example.com"), "\(connected)")

        try await world.owner.say("/book Retro tomorrow 17:00 with bob@example.com", in: room)
        let card = try await world.waitForMessages(3, in: room, steward)[2]
        #expect(card.body.contains("React ✅ Approve, 🔕 Approve, don't notify, ❌ Reject"), "\(card.body)")
        try await waitUntil(timeout: .seconds(20)) {
            (try? await world.stewardReactions(on: card.eventID, in: room).sorted()) == ["✅", "🔕", "❌"].sorted()
        }

        // Ben's tap on the quiet choice changes nothing; his next message is handled after it.
        try await world.friend.react("🔕", to: card.eventID, in: room)
        try await world.friend.say("!help", in: room)
        try await world.waitForMessages(4, in: room, steward)
        #expect(await google.state.requests("calendar.events.insert").isEmpty)
        #expect(try await world.edits(of: card.eventID, in: room).isEmpty)

        // Ana's: Bob is invited without an email, once, and the card says so.
        try await world.owner.react("🔕", to: card.eventID, in: room)
        try await waitUntil(timeout: .seconds(20)) { (try? await world.edits(of: card.eventID, in: room).count) == 1 }
        let edit = try await world.edits(of: card.eventID, in: room)[0]
        #expect(edit.newBody?.contains("Added") == true, "\(edit.newBody ?? "")")
        #expect(edit.newBody?.contains("React ✅") == false)
        let inserts = await google.state.requests("calendar.events.insert")
        #expect(inserts.count == 1)
        #expect(inserts.first?.query("sendUpdates") == "none")
        #expect(inserts.first?.body?["attendees"] == [["email": "bob@example.com"]])

        // Her later ✅ on the decided card does nothing more.
        try await world.owner.react("✅", to: card.eventID, in: room)
        try await world.owner.say("!help", in: room)
        try await world.waitForMessages(5, in: room, steward)
        #expect(await google.state.requests("calendar.events.insert").count == 1)
        #expect(try await world.edits(of: card.eventID, in: room).count == 1)
    }
}
