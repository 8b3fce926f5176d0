import Foundation
import StewardTesting
import Testing

/// What a Matrix user sees of the real binary on a real Synapse.
@Suite(.serialized) struct MatrixEndToEndTests {
    @Test func aDirectChatGetsAnswersAsEscapedNoticesAndIsRecordedAsDirect() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let room = try await world.directChat(of: world.owner, steward)

        try await world.owner.say("/tomorrow", in: room)
        let first = try await world.waitForMessages(1, in: room, steward)
        #expect(first[0].body.contains("10:00–11:00 Design review"))
        #expect(first[0].msgtype == "m.notice")
        #expect(first[0].formattedBody?.contains("Design review") == true)
        try await world.owner.say("!tomorrow", in: room)
        try await world.owner.say("what's on tomorrow", in: room)
        let answers = try await world.waitForMessages(3, in: room, steward)
        #expect(answers[1].body.contains("Design review"))
        #expect(answers[2].body.contains("Design review"))
        // The DM is in Steward's m.direct, so its clients and a restart know it as the owner's direct chat.
        let direct = try await world.bot.accountData("m.direct", of: world.bot.userID)
        #expect((direct[world.owner.userID] as? [String])?.contains(room) == true)
    }

    @Test func aCardCarriesItsReactionsAndOnlyTheRequestersTapDecidesOnce() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let room = try await world.directChat(of: world.owner, steward)
        // Ben is in the room too: his reactions must change nothing.
        try await world.owner.invite(world.friend.userID, to: room)
        try await world.friend.join(room)

        try await world.owner.say("/book Dentist tomorrow 15:00 for 45m", in: room)
        let card = try await world.waitForMessages(1, in: room, steward)[0]
        #expect(card.body.contains("React ✅ to approve, ❌ to reject (or reply !approve "))
        try await waitUntil(timeout: .seconds(20)) { (try? await world.stewardReactions(on: card.eventID, in: room).sorted()) == ["✅", "❌"].sorted() }

        try await world.friend.react("✅", to: card.eventID, in: room)
        // Ben's next message is handled after his reaction (one sender's events stay in order).
        try await world.friend.say("!help", in: room)
        try await world.waitForMessages(2, in: room, steward)
        #expect(try world.occurrences("SUMMARY:Dentist") == 0)
        #expect(try await world.edits(of: card.eventID, in: room).isEmpty)

        try await world.owner.react("✅", to: card.eventID, in: room)
        try await waitUntil(timeout: .seconds(20)) { (try? await world.edits(of: card.eventID, in: room).count) == 1 }
        let edit = try await world.edits(of: card.eventID, in: room)[0]
        #expect(edit.newBody?.contains("Added") == true)
        #expect(edit.newBody?.contains("React ✅") == false)
        #expect(try world.occurrences("SUMMARY:Dentist") == 1)

        // A second yes (👍 counts as ✅) does nothing more.
        try await world.owner.react("👍", to: card.eventID, in: room)
        try await world.owner.say("!help", in: room)
        try await world.waitForMessages(3, in: room, steward)
        #expect(try world.occurrences("SUMMARY:Dentist") == 1)
        #expect(try await world.edits(of: card.eventID, in: room).count == 1)
    }

    @Test func typedApproveByIdDecidesTheCard() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let room = try await world.directChat(of: world.owner, steward)
        try await world.owner.say("/book Physio tomorrow 16:00 for 30m", in: room)
        let card = try await world.waitForMessages(1, in: room, steward)[0]
        let id = try #require(card.body.components(separatedBy: "!approve ").last?.prefix { $0 != ")" })
        try await world.owner.say("!approve \(id)", in: room)
        let answers = try await world.waitForMessages(2, in: room, steward)
        #expect(answers[1].body.contains("Added"))
        #expect(try world.occurrences("SUMMARY:Physio") == 1)
        // Plain "reject" afterwards: nothing is waiting any more, nothing changes.
        try await world.owner.say("reject", in: room)
        let third = try await world.waitForMessages(3, in: room, steward)[2]
        #expect(third.body.contains("Nothing is waiting"))
        #expect(try world.occurrences("SUMMARY:Physio") == 1)
    }

    @Test func anInviteFromAStrangerIsLeftWithNothingSaid() async throws {
        let world = try await MatrixWorld()
        let steward = try world.start()
        defer { world.finish(steward) }
        let strangersRoom = try await world.stranger.createDirectChat(with: world.bot.userID)
        try await waitUntil(timeout: .seconds(30)) {
            (try? await world.stranger.membership(of: world.bot.userID, in: strangersRoom)) == "leave"
        }
        // The owner's invite, made after, is accepted: the loop is alive and simply refused the stranger.
        let room = try await world.directChat(of: world.owner, steward)
        try await world.owner.say("/help", in: room)
        try await world.waitForMessages(1, in: room, steward)
        #expect(try await world.stewardMessages(in: strangersRoom, as: world.stranger).isEmpty)
    }

    @Test func theFirstStartAnswersNoHistory() async throws {
        let world = try await MatrixWorld()
        let room = try await world.owner.createDirectChat(with: world.bot.userID)
        try await world.bot.join(room)
        try await world.owner.say("/tomorrow", in: room)
        let steward = try world.start()
        defer { world.finish(steward) }
        // /healthz turns 200 once the first sync is stored (before that it names Matrix).
        try await world.waitForHealthy(steward)
        try await world.owner.say("/week", in: room)
        try await world.waitForMessages(1, in: room, steward)
        try await world.owner.say("!help", in: room)
        let answers = try await world.waitForMessages(2, in: room, steward)
        // Two questions after the start, two answers: the /tomorrow from before the first start stays unanswered.
        #expect(answers.count == 2)
        #expect(answers[1].body.contains("/today"))
    }
}
