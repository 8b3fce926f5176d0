import Foundation
import StewardTesting
import Testing

/// Steward in a Matrix room with several people, and `steward doctor` against the homeserver.
@Suite(.serialized) struct MatrixRoomEndToEndTests {
    @Test func inARoomOnlyCommandsAndMentionsCountAndDetailsGoToTheDM() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let dm = try await world.directChat(of: world.owner, steward)
        try await world.owner.say("/start", in: dm)
        try await world.waitForMessages(1, in: dm, steward)
        let group = try await world.owner.createRoom(name: "Team", invite: [world.bot.userID, world.friend.userID])
        try await world.friend.join(group)
        try await world.waitForJoin(group, steward)

        try await world.friend.say("lunch anyone?", in: group)
        try await world.owner.say("!tomorrow", in: group)
        let pointer = try await world.waitForMessages(1, in: group, steward)[0]
        #expect(pointer.body.contains("private message"))
        #expect(!pointer.body.contains("Design review"))
        let details = try await world.waitForMessages(2, in: dm, steward)[1]
        #expect(details.body.contains("10:00–11:00 Design review"))

        let localpart = String(world.bot.userID.dropFirst().prefix { $0 != ":" })
        try await world.owner.say("\(localpart): /book Review tomorrow 17:00 for 30m", in: group, mentioning: [world.bot.userID])
        try await world.waitForMessages(2, in: group, steward)
        let card = try await world.waitForMessages(3, in: dm, steward)[2]
        #expect(card.body.contains("React ✅ to approve"))
        try await waitUntil(timeout: .seconds(20)) { (try? await world.stewardReactions(on: card.eventID, in: dm).count) == 2 }
        // Only the two asks were answered in the room: the chatter was not.
        #expect(try await world.stewardMessages(in: group).count == 2)

        // doctor, beside the running Steward: whoami, versions, rooms.
        let doctor = try StewardProcess(["doctor"], environment: world.environment, directory: world.workspace)
        _ = try await doctor.exitStatus()
        #expect(doctor.stdout.contains("ok   matrix: signed in as \(world.bot.userID)"))
        #expect(doctor.stdout.contains("speaks v1."))
        #expect(doctor.stdout.contains("matrix: in 2 room(s), 1 direct chat(s)"))
    }
}
