import Foundation
import Testing
@testable import StewardCore

/// A reply's life: the draft is written before the card (To, Cc, Subject, Body), Approve sends that draft
/// once, Reject or expiry deletes it, and Edit takes the owner's next message as the new text on a new card.
@Suite struct MailReplyFlowTests {
    typealias World = (world: CoreWorld, orchestrator: Orchestrator, sender: MailAlertTests.Sender)

    static func world() async -> World {
        let (world, orchestrator, sender) = MailAlertTests.world()
        _ = await orchestrator.handle(InboundEvent(id: "hello", sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                   kind: .command(name: "start", arguments: ""), receivedAt: CoreWorld.now))
        return (world, orchestrator, sender)
    }

    static func say(_ text: String, _ world: World, id: String = UUID().uuidString) async -> [KeyedDelivery] {
        await world.orchestrator.handle(InboundEvent(id: id, sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                     kind: .message(text), receivedAt: CoreWorld.now))
    }

    static func tap(_ card: OutboundMessage, _ title: String, _ world: World) async throws -> [KeyedDelivery] {
        try await MailAlertTests.tap(world.orchestrator, card, title)
    }

    static func replyCard(_ answers: [KeyedDelivery]) throws -> OutboundMessage {
        try #require(answers.messages.first { $0.title == "Send this reply?" && !$0.buttons.isEmpty }, "\(answers.text)")
    }

    @Test func theDraftExistsBeforeTheCardAndRejectDeletesIt() async throws {
        let world = await Self.world()
        let card = try Self.replyCard(await Self.say("reply to 1 saying Sure, tonight.", world))
        #expect(card.text == "To: Dana Boss <Dana@Acme.example>\nCc: nobody\nSubject: Re: Contract by EOD\n\nSure, tonight.")
        #expect(card.buttons.map(\.title) == ["Approve", "Edit", "Reject"])
        #expect(card.buttons.allSatisfy { $0.token.utf8.count <= 64 && $0.token.hasPrefix("s1:") })
        #expect(await world.sender.drafts.count == 1, "written before the card, unsent")
        #expect(await world.sender.sent.isEmpty)

        let rejected = try await Self.tap(card, "Reject", world)
        #expect(rejected.text.contains("✗ Rejected — nothing was done. The draft was deleted."), "\(rejected.text)")
        #expect(await world.sender.discarded == ["draft-1"])
        #expect(await world.sender.drafts.isEmpty)
        _ = try await Self.tap(card, "Approve", world)
        #expect(await world.sender.sent.isEmpty, "a rejected reply is never sent")
    }

    @Test func replyAllShowsTheCopiesAndApproveSendsTheDraftOnce() async throws {
        let world = await Self.world()
        let card = try Self.replyCard(await Self.say("reply all to 1 saying Done.", world))
        #expect(card.text.contains("\nCc: Ops <ops@acme.example>\n"), "\(card.text)")
        _ = try await Self.tap(card, "Approve", world)
        _ = try await Self.tap(card, "Approve", world)
        let sent = await world.sender.sent
        #expect(sent.count == 1 && sent.first?.cc == ["Ops <ops@acme.example>"] && sent.first?.draftID == "draft-1")
    }

    @Test func editTakesTheNextMessageAsTheNewTextOnANewCard() async throws {
        let world = await Self.world()
        let first = try Self.replyCard(await Self.say("reply all to 1 saying Tomorrow works.", world))
        let prompt = try await Self.tap(first, "Edit", world)
        #expect(prompt.text.contains("Send me the corrected reply as your next message"), "\(prompt.text)")
        // Words that would otherwise be a schedule question are the reply's text now.
        let answers = await Self.say("Actually, Friday at 9 works better.", world, id: "correction")
        let second = try Self.replyCard(answers)
        // The same message handled again (a restart before it was marked done): the same card, no new draft.
        let replayed = try Self.replyCard(await Self.say("Actually, Friday at 9 works better.", world, id: "correction"))
        #expect(replayed.buttons.map(\.token) == second.buttons.map(\.token))
        #expect(second.text.hasSuffix("\n\nActually, Friday at 9 works better."))
        #expect(second.text.contains("Cc: Ops <ops@acme.example>"), "the copies stay as the card showed them")
        #expect(await world.sender.discarded == ["draft-1"], "the old draft is gone")
        #expect(await world.sender.drafts.keys.sorted() == ["draft-2"])

        // The old card's Approve does nothing now; the new one sends the corrected text, once.
        #expect(try await Self.tap(first, "Approve", world).text.contains("Already done"))
        _ = try await Self.tap(second, "Approve", world)
        #expect(await world.sender.sent.map(\.body) == ["Actually, Friday at 9 works better."])
        // Editing is over: the next message is an ordinary one again.
        let after = await Self.say("reply to 1 saying One more thing.", world)
        #expect(try Self.replyCard(after).text.hasSuffix("One more thing."))
    }

    struct Writer: ReplyWriter {
        func replyText(to mail: TriagedMail, owner: User) async -> String? { "Hi Dana, signed copy attached by 5." }
    }

    @Test func aReplyWithoutTextIsWrittenByTheWriterOrAskedFor() async throws {
        let world = await Self.world()
        let asked = await Self.say("reply to 1", world)
        #expect(asked.text == "What should the reply say? e.g. reply to 1 saying Thanks, I'll send it tonight")
        #expect(await world.sender.drafts.isEmpty)

        var written = world
        written.orchestrator = MailAlertTests.orchestrator(world.world, sender: world.sender, replyWriter: Writer())
        let card = try Self.replyCard(await Self.say("reply to 1", written))
        #expect(card.text.hasSuffix("\n\nHi Dana, signed copy attached by 5."))
        #expect(await world.sender.sent.isEmpty)
    }

    @Test func anEditAfterTheReplyWasDecidedOrLongAgoChangesNothing() async throws {
        let world = await Self.world()
        let card = try Self.replyCard(await Self.say("reply to 1 saying Yes.", world))
        _ = try await Self.tap(card, "Edit", world)
        let later = MailAlertTests.orchestrator(world.world, sender: world.sender,
                                                clock: CoreWorld.now.addingTimeInterval(Orchestrator.editWindow + 60))
        let answers = await later.handle(InboundEvent(id: "late", sender: CoreWorld.owner, chat: CoreWorld.dm,
                                                      kind: .message("hmm, sorry"), receivedAt: CoreWorld.now))
        #expect(!answers.messages.contains { $0.title == "Send this reply?" }, "an hour later it is a new message")
        #expect(await world.sender.drafts.count == 1)

        _ = try await Self.tap(card, "Approve", world)
        let edit = try await Self.tap(card, "Edit", world)
        #expect(edit.text.contains("already decided"))
        #expect(await world.sender.sent.count == 1)
    }

    @Test func theSameMessageHandledTwiceWritesOneDraftAndExpiryDeletesIt() async throws {
        let world = await Self.world()
        let once = try Self.replyCard(await Self.say("reply to 1 saying Noted.", world, id: "replayed"))
        let twice = try Self.replyCard(await Self.say("reply to 1 saying Noted.", world, id: "replayed"))
        #expect(once.buttons.map(\.token) == twice.buttons.map(\.token))
        #expect(await world.sender.drafts.count == 1)

        let lifetime = world.orchestrator.approvalLifetime
        let later = MailAlertTests.orchestrator(world.world, sender: world.sender,
                                                clock: CoreWorld.now.addingTimeInterval(lifetime + 60))
        _ = try await later.expireOverdue()
        #expect(await world.sender.discarded == ["draft-1"])
        #expect(await world.sender.sent.isEmpty)
    }
}
