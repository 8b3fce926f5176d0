import Foundation
@testable import StewardApp
import StewardCore
import StewardStorage
import Testing

/// `/link`, `/whoami`, `/unlink`, `/settings home` and approvals across linked identities, on a real
/// SQLite file (`LinkWorld`).
@Suite struct LinkCommandTests {
    @Test func aCodeFromTelegramJoinsSlackIntoOnePersonWithTheSameCalendar() async throws {
        let world = try await LinkWorld()
        try await world.addCalendar(for: LinkWorld.ana)
        // Before linking, Ana's Slack account is a stranger: refused, and shown nothing.
        let before = await world.say("/tomorrow", from: LinkWorld.anaSlack)
        #expect(!before.joined.contains("Design review"))
        let code = try await world.code()
        #expect(code.count == 8)
        let linked = await world.say("/link \(code)", from: LinkWorld.anaSlack)
        #expect(linked.texts(to: LinkWorld.anaSlackDM).joined().contains("✓ Linked"))
        #expect(linked.texts(to: LinkWorld.anaDM).joined().contains("slack:U1"), "the issuer hears of it")
        // One person: the Telegram calendar answers on Slack, and /whoami lists both identities on both.
        #expect(await world.say("/tomorrow", from: LinkWorld.anaSlack).joined.contains("Design review"))
        for sender in [LinkWorld.ana, LinkWorld.anaSlack] {
            let whoami = await world.say("/whoami", from: sender).joined
            #expect(whoami.contains("telegram:100") && whoami.contains("slack:U1"), "\(whoami)")
            #expect(whoami.contains("\(sender) — \(LinkWorld.name(of: sender)) (asking now)"), "\(whoami)")
        }
    }

    @Test func wrongExpiredReusedAndGuessedCodesChangeNothing() async throws {
        let world = try await LinkWorld()
        let code = try await world.code()
        #expect(await world.say("/link ABCDEFGH", from: LinkWorld.anaSlack).joined.contains("isn't right"))
        #expect(await world.say("/link 12", from: LinkWorld.anaSlack).joined.contains("isn't a link code"))
        world.advance(minutes: 11)
        #expect(await world.say("/link \(code)", from: LinkWorld.anaSlack).joined.contains("expired"))
        #expect(try await world.store.user(for: LinkWorld.anaSlack) == nil)

        // A fresh code works once; the same code from someone else is used up.
        let fresh = try await world.code()
        #expect(await world.say("/link \(fresh.lowercased())", from: LinkWorld.anaSlack).joined.contains("✓ Linked"))
        let other = ChatIdentity(platform: .slack, userID: "U9")
        #expect(await world.say("/link \(fresh)", from: other).joined.contains("used already"))
        #expect(try await world.store.user(for: other) == nil)

        // Guessing: after five wrong codes in ten minutes even the right one is refused, until the window passes.
        let guesser = ChatIdentity(platform: .slack, userID: "U7")
        for guess in ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"] {
            #expect(await world.say("/link \(guess)", from: guesser).joined.contains("isn't right"))
        }
        let right = try await world.code()
        #expect(await world.say("/link \(right)", from: guesser).joined.contains("Too many"))
        #expect(try await world.store.user(for: guesser) == nil)
        world.advance(minutes: 10.5)
        let later = try await world.code()
        #expect(await world.say("/link \(later)", from: guesser).joined.contains("✓ Linked"))
    }

    @Test func aCodeTypedInAGroupIsCancelledAndACodeIsOnlyShownPrivately() async throws {
        let world = try await LinkWorld()
        _ = await world.say("/start")
        let asked = await world.say("/link", from: LinkWorld.ana, in: LinkWorld.group)
        #expect(asked.texts(to: LinkWorld.group).allSatisfy { LinkHandlerProbe.code(in: $0) == nil })
        let code = try #require(asked.texts(to: LinkWorld.anaDM).compactMap(LinkHandlerProbe.code(in:)).first)
        _ = await world.say("/start", from: LinkWorld.ben)
        let posted = await world.say("/link \(code)", from: LinkWorld.ben, in: LinkWorld.group)
        #expect(posted.joined.contains("cancelled"))
        #expect(await world.say("/link \(code)", from: LinkWorld.ben).joined.contains("isn't right"))
    }

    @Test func ownersOnTwoPlatformsAreTwoPeopleUntilOneTypesTheOthersCode() async throws {
        let world = try await LinkWorld(owners: [LinkWorld.ana, LinkWorld.anaSlack])
        try await world.addCalendar(for: LinkWorld.ana)
        let slackWhoami = await world.say("/whoami", from: LinkWorld.anaSlack).joined
        #expect(!slackWhoami.contains("telegram:100"))
        #expect(!(await world.say("/tomorrow", from: LinkWorld.anaSlack).joined.contains("Design review")))
        let ana = try #require(try await world.store.user(for: LinkWorld.ana))
        let slackBefore = try #require(try await world.store.user(for: LinkWorld.anaSlack))
        #expect(ana.id != slackBefore.id)
        // Linking moves the Slack person's own things over and removes the empty person.
        try await world.addCalendar(for: LinkWorld.anaSlack)
        let code = try await world.code()
        #expect(await world.say("/link \(code)", from: LinkWorld.anaSlack).joined.contains("moved over"))
        #expect(try await world.store.user(for: LinkWorld.anaSlack)?.id == ana.id)
        #expect(try await world.store.accounts(of: ana.id).count == 2)
        #expect(try await world.store.allUsers().allSatisfy { $0.id != slackBefore.id })
    }

    @Test func aMemberTypingAnOwnersCodeIsNotAnOwnerOnItsOwnAndTheOwnerTypingAMembersCodeStaysOwner() async throws {
        let world = try await LinkWorld(owners: [LinkWorld.ana, LinkWorld.anaSlack])
        _ = await world.say("/start", from: LinkWorld.anaSlack)
        // Ben (a member) asks for a code; Ana's Slack (an owner) types it: each keeps the role configured for it.
        let code = try await world.code(from: LinkWorld.ben)
        #expect(await world.say("/link \(code)", from: LinkWorld.anaSlack).joined.contains("✓ Linked"))
        #expect(await world.say("/whoami", from: LinkWorld.ben).joined.contains("(member)"))
        #expect(await world.say("/whoami", from: LinkWorld.anaSlack).joined.contains("(owner)"))
    }

    @Test func unlinkSeparatesOneIdentityAndItsDataStaysWithThePerson() async throws {
        var world = try await LinkWorld()
        try await world.addCalendar(for: LinkWorld.ana)
        let code = try await world.code()
        _ = await world.say("/link \(code)", from: LinkWorld.anaSlack)
        #expect(await world.say("/unlink", from: LinkWorld.ana).joined.contains("Usage: /unlink"))
        #expect(await world.say("/unlink slack:U404", from: LinkWorld.ana).joined.contains("isn't one of your identities"))
        // A restart keeps the link.
        try world.restart()
        #expect(await world.say("/whoami", from: LinkWorld.ana).joined.contains("slack:U1"))
        let unlinked = await world.say("/unlink slack:U1", from: LinkWorld.ana).joined
        #expect(unlinked.contains("✓ Unlinked slack:U1"))
        #expect(unlinked.contains("steward users allow slack:U1"), "not let in on its own: it is told how")
        let whoami = await world.say("/whoami", from: LinkWorld.ana).joined
        #expect(!whoami.contains("slack:U1"))
        #expect(try await world.store.accounts(of: 1).count == 1)
        // Not configured on its own, the Slack account is a stranger again and sees nothing.
        #expect(!(await world.say("/tomorrow", from: LinkWorld.anaSlack).joined.contains("Design review")))
        #expect(await world.say("/unlink telegram:100", from: LinkWorld.ana).joined.contains("only identity"))
        // Unlinking the identity that types: it leaves, the rest of the person keeps everything.
        _ = await world.say("/link \(try await world.code())", from: LinkWorld.anaSlack)
        let left = await world.say("/unlink slack:U1", from: LinkWorld.anaSlack).joined
        #expect(left.contains("stay with telegram:100"), "\(left)")
        #expect(try await world.store.accounts(of: 1).count == 1)
    }

    @Test func settingsHomeMovesPushesToAPlatformWithAPrivateChat() async throws {
        let world = try await LinkWorld()
        _ = await world.say("/start", from: LinkWorld.ana)
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaDM)
        let code = try await world.code()
        _ = await world.say("/link \(code)", from: LinkWorld.anaSlack)
        // The Slack DM has not been written in yet: nothing to move to.
        #expect(await world.say("/settings home slack").joined.contains("no private chat with me on slack"))
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaDM)
        // The private chat used last becomes home…
        _ = await world.say("hello", from: LinkWorld.anaSlack)
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaSlackDM)
        _ = await world.say("hello", from: LinkWorld.ana)
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaDM)
        // …unless one is pinned: then writing from Telegram leaves it on Slack.
        #expect(await world.say("/settings home slack").joined.contains("home slack"))
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaSlackDM)
        _ = await world.say("hello", from: LinkWorld.ana)
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaSlackDM)
        #expect(await world.say("/settings").joined.contains("home slack"))
        #expect(await world.say("/settings home pigeon").joined.contains("no private chat with me on pigeon"))
        #expect(await world.say("/settings home last").joined.contains("home last"))
        _ = await world.say("hello", from: LinkWorld.ana)
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaDM)
    }

    @Test func aCardsButtonsAnswerOnlyItsPlatformButApproveByIdWorksFromAnyLinkedIdentity() async throws {
        let world = try await LinkWorld()
        try await world.addCalendar(for: LinkWorld.ana)
        let code = try await world.code()
        _ = await world.say("/link \(code)", from: LinkWorld.anaSlack)
        let replies = await world.say("/book Dentist tomorrow 15:00 for 45m", from: LinkWorld.ana)
        let card = try #require(replies.first { $0.key.hasPrefix("approval-card:") })
        guard case .send(_, let message) = card.delivery else { Issue.record("card is not a send"); return }
        let approve = try #require(message.buttons.first?.token)
        let id = try #require(ButtonToken(parsing: approve)?.approvalID)
        // The Telegram card's button, tapped from Slack: refused, nothing written.
        #expect(await world.tap(approve, from: LinkWorld.anaSlack).joined.contains("Only the person who asked"))
        #expect(try String(contentsOf: world.file, encoding: .utf8).contains("Dentist") == false)
        // Typed from Slack with the card's id: done, once.
        let typed = await world.say("approve \(id)", from: LinkWorld.anaSlack).joined
        #expect(typed.contains("Dentist"), "\(typed)")
        #expect(try String(contentsOf: world.file, encoding: .utf8).components(separatedBy: "SUMMARY:Dentist").count == 2)
    }
}

extension LinkCommandTests {
    @Test func aCodeSentAsPlainTextLinksToo() async throws {
        let world = try await LinkWorld()
        // Where a platform has no /link of its own (a chat app that takes one slash command), the code is text.
        let code = try await world.code()
        #expect(await world.say("link \(code)", from: LinkWorld.anaSlack).joined.contains("✓ Linked"))
        // A known sender's "/link CODE" that reached Steward as text is read the same way.
        let ben = try await world.code(from: LinkWorld.ben)
        let text = await world.orchestrator.handle(InboundEvent(
            id: UUID().uuidString, sender: ChatIdentity(platform: .slack, userID: "UBEN"), chat: LinkWorld.anaSlackDM,
            kind: .message("/link \(ben)"), receivedAt: Date())).joined
        #expect(text.contains("✓ Linked"), "\(text)")
        #expect(await world.say("link whatever you want", from: LinkWorld.anaSlack).joined.contains("Link") == false)
    }

    @Test func anIdentityThatCameInByALinkLosesAccessWithItsPerson() async throws {
        var world = try await LinkWorld()
        try await world.addCalendar(for: LinkWorld.ana)
        _ = await world.say("/link \(try await world.code())", from: LinkWorld.anaSlack)
        #expect(await world.say("/tomorrow", from: LinkWorld.anaSlack).joined.contains("Design review"))
        // Ana is no longer configured (a restart with other owners): her linked Slack account is refused too.
        try world.restart(owners: [ChatIdentity(platform: .telegram, userID: "999")])
        let refused = await world.say("/tomorrow", from: LinkWorld.anaSlack).joined
        #expect(!refused.contains("Design review"), "\(refused)")
    }

    /// A platform that must decide before any message (Matrix accepting a DM invite) asks `isLetIn`: the
    /// configured, those allowed since, and identities linked to them are in; a stranger is not.
    @Test func configuredAllowedSinceAndLinkedIdentitiesAreLetInAndAStrangerIsNot() async throws {
        let world = try await LinkWorld()
        let bob = ChatIdentity(platform: .matrix, userID: "@bob:example.org")
        #expect(try await world.orchestrator.isLetIn(LinkWorld.ana))
        #expect(try await !world.orchestrator.isLetIn(bob))
        try await world.store.grantAccess(AccessGrant(identity: bob, role: .member, displayName: "Bob", grantedAt: Date()))
        #expect(try await world.orchestrator.isLetIn(bob))
        #expect(try await !world.orchestrator.isLetIn(LinkWorld.anaSlack))
        _ = await world.say("/link \(try await world.code())", from: LinkWorld.anaSlack)
        #expect(try await world.orchestrator.isLetIn(LinkWorld.anaSlack))
    }

    /// `steward users list` shows who is joined to whom, beside who is let in.
    @Test func usersListShowsLinkedIdentities() async throws {
        let world = try await LinkWorld()
        let configuration = try Configuration.load(environment: ["STEWARD_OWNERS": "telegram:100"], envFile: nil)
        _ = await world.say("/start")
        #expect(try await UsersCommand.List.lines(configuration, store: world.store) == ["telegram:100\towner\tconfigured"])
        _ = await world.say("/link \(try await world.code())", from: LinkWorld.anaSlack)
        let lines = try await UsersCommand.List.lines(configuration, store: world.store)
        #expect(lines == ["telegram:100\towner\tconfigured", "linked\ttelegram:100 + slack:U1"], "\(lines)")
    }

    @Test func whatIsRememberedOnTelegramIsInMemoryOnSlack() async throws {
        let world = try await LinkWorld()
        _ = await world.say("/link \(try await world.code())", from: LinkWorld.anaSlack)
        _ = await world.say("/remember I prefer tea over coffee")
        #expect(await world.say("/memory", from: LinkWorld.anaSlack).joined.contains("I prefer tea over coffee"))
        #expect(await world.say("/memory tea", from: LinkWorld.anaSlack).joined.contains("I prefer tea over coffee"))
    }

    @Test func aGroupAskFromTelegramUsesTheTelegramDMWhileTheHomeIsOnSlack() async throws {
        let world = try await LinkWorld()
        try await world.addCalendar(for: LinkWorld.ana)
        _ = await world.say("/start")
        _ = await world.say("/link \(try await world.code())", from: LinkWorld.anaSlack)
        _ = await world.say("hello", from: LinkWorld.anaSlack)
        #expect(try await world.store.homeChat(of: 1)?.chat == LinkWorld.anaSlackDM)
        let replies = await world.say("/tomorrow", in: LinkWorld.group)
        #expect(replies.texts(to: LinkWorld.group) == ["I've sent you the details in a private message."])
        #expect(replies.texts(to: LinkWorld.anaDM).joined().contains("Design review"))
        // Linking and unlinking are in the audit log, with who did it.
        _ = await world.say("/unlink slack:U1")
        let actions = try await world.store.recent(limit: 50).map { "\($0.actor) \($0.action)" }
        #expect(actions.contains("slack:U1 identity_linked") && actions.contains("telegram:100 identity_unlinked"), "\(actions)")
    }
}

/// Reads a link code out of an answer, the way a person would.
enum LinkHandlerProbe {
    static func code(in text: String) -> String? {
        guard let range = text.range(of: "Your link code is ") else { return nil }
        return String(text[range.upperBound...].prefix(8))
    }
}
