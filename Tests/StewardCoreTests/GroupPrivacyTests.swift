import Foundation
import Testing
@testable import StewardCore

/// Two people who both use Steward, each with a DM, in one Telegram group; a Gmail account with mail,
/// a calendar URL that carries a token, and a dentist appointment today.
struct TwoMemberGroup {
    static let alice = ChatIdentity(platform: .telegram, userID: "100")
    static let bob = ChatIdentity(platform: .telegram, userID: "200")
    static let aliceDM = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static let bobDM = ChatRef(platform: .telegram, chatID: "200", isPrivate: true)
    static let group = ChatRef(platform: .telegram, chatID: "-1001", isPrivate: false)
    static let secretURL = "https://calendar.example/private-7f3a9c/basic.ics"

    let store = MemoryStore()
    let calendar = FakeCalendar(accountID: "google:1", events: [
        CoreWorld.event("dentist", "Dentist with Dr Who", CoreWorld.at(2026, 11, 21, 15)),
    ])
    let orchestrator: Orchestrator

    init(owners: Set<ChatIdentity> = [alice], allowed: Set<ChatIdentity> = [bob],
         channels: PlatformKinds = PlatformKinds()) {
        let entries: [(account: Account, provider: any CalendarProvider)] = [
            (Account(id: 1, userID: 1, kind: "google", label: "Work", options: ["mail": "on"], createdAt: CoreWorld.now),
             calendar),
            (Account(id: 2, userID: 1, kind: "ics", label: "Club", options: ["url": Self.secretURL], createdAt: CoreWorld.now),
             FakeCalendar(accountID: "ics:2", events: [], canChangeEvents: false)),
        ]
        orchestrator = Orchestrator(
            users: store, approvals: store, audit: store, calendars: FakeDirectory(entries: entries), status: nil,
            access: AccessPolicy(owners: owners, allowed: allowed, defaultTimeZone: "Europe/Berlin"),
            digest: { data in String(UInt64(bitPattern: Int64(data.hashValue)), radix: 16) + "-\(data.count)" },
            now: { CoreWorld.now }, channels: channels, mail: MailAlertTests.MailLog([MailAlertTests.mail]))
    }

    /// Both members have opened their DM with the bot (`/start`), as Telegram requires before it can write.
    func startDMs() async {
        for (person, dm) in [(Self.alice, Self.aliceDM), (Self.bob, Self.bobDM)] {
            _ = await send(.command(name: "start", arguments: ""), from: person, in: dm)
        }
    }

    func send(_ kind: InboundEvent.Kind, from sender: ChatIdentity, in chat: ChatRef = group,
              route: String? = nil) async -> [KeyedDelivery] {
        await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: sender, chat: chat, kind: kind,
                                               receivedAt: CoreWorld.now, replyRoute: route))
    }
}

extension [KeyedDelivery] {
    /// The text of every message sent to `chat`.
    func sent(to chat: ChatRef) -> [String] {
        compactMap {
            if case .send(let target, let message) = $0.delivery, target == chat { return message.plainText }
            return nil
        }
    }
}

@Suite struct GroupPrivacyTests {
    static let pointer = "I've sent you the details in a private message."

    /// What each command's answer names (the private part that must not reach the group).
    static let asks: [(command: String, arguments: String, detail: String)] = [
        ("accounts", "", "private-7f3a9c"),
        ("settings", "", "hours"),
        ("status", "", "pending approvals"),
        ("approvals", "", "Nothing is waiting"),
        ("inbox", "", "Contract by EOD"),
        ("today", "", "Dentist with Dr Who"),
    ]

    @Test(arguments: asks.map(\.command))
    func eachMemberGetsOnlyAPointerInTheGroupAndTheDetailsInTheirOwnDM(_ command: String) async throws {
        let world = TwoMemberGroup()
        await world.startDMs()
        let detail = try #require(Self.asks.first { $0.command == command }?.detail)
        for (person, dm, other) in [(TwoMemberGroup.alice, TwoMemberGroup.aliceDM, TwoMemberGroup.bobDM),
                                    (TwoMemberGroup.bob, TwoMemberGroup.bobDM, TwoMemberGroup.aliceDM)] {
            let replies = await world.send(.command(name: command, arguments: ""), from: person)
            #expect(replies.sent(to: TwoMemberGroup.group) == [Self.pointer], "/\(command) from \(person)")
            #expect(replies.sent(to: dm).joined().contains(detail), "/\(command) from \(person)")
            #expect(replies.sent(to: other).isEmpty)
        }
    }

    @Test func settingsChangedInTheGroupAreConfirmedInTheDM() async throws {
        let world = TwoMemberGroup()
        await world.startDMs()
        let saved = await world.send(.command(name: "settings", arguments: "hours 08:30-17:00"), from: TwoMemberGroup.bob)
        #expect(saved.sent(to: TwoMemberGroup.group) == [Self.pointer])
        #expect(saved.sent(to: TwoMemberGroup.bobDM).joined().contains("08:30"))
        let refused = await world.send(.command(name: "settings", arguments: "hours 18:00-09:00"), from: TwoMemberGroup.bob)
        #expect(refused.sent(to: TwoMemberGroup.group) == [Self.pointer])
    }

    @Test func aTypedApproveInTheGroupIsAnsweredInTheDM() async throws {
        let world = TwoMemberGroup()
        await world.startDMs()
        let asked = await world.send(.command(name: "book", arguments: "Biopsy results tomorrow 15:00"),
                                     from: TwoMemberGroup.alice)
        #expect(!asked.sent(to: TwoMemberGroup.group).joined().contains("Biopsy"))
        #expect(asked.sent(to: TwoMemberGroup.aliceDM).joined().contains("Biopsy"))

        let approved = await world.send(.message("approve"), from: TwoMemberGroup.alice)
        #expect(approved.sent(to: TwoMemberGroup.group) == [Self.pointer])
        #expect(approved.sent(to: TwoMemberGroup.aliceDM).joined().contains("Biopsy"))
        #expect(approved.sent(to: TwoMemberGroup.aliceDM).joined().contains("Added"))
        #expect(await world.calendar.created.map(\.title) == ["Biopsy results"])
    }

    @Test func aSlashCommandInADMBetweenTwoPeopleAnswersOnlyTheAskerAndSendsTheCardToTheirDMWithTheBot() async throws {
        let alice = ChatIdentity(platform: .slack, userID: "U0ALICE")
        let theirDM = ChatRef(platform: .slack, chatID: "D0ALICEBOB", isPrivate: true)
        let route = "https://hooks.slack.com/commands/T0/1/abc"
        // A platform whose bot may open a DM with anyone in the workspace.
        let world = TwoMemberGroup(owners: [alice], allowed: [], channels: PlatformKinds([
            .slack: ChannelCapabilities(opensPrivateChats: true, ephemeralReplies: true),
        ]))

        let today = await world.send(.command(name: "today", arguments: ""), from: alice, in: theirDM, route: route)
        // Only through the response_url (ephemeral): nothing is posted into the two people's DM.
        #expect(today.count == 1)
        #expect(today.messages.allSatisfy { $0.replyRoute == route })
        #expect(today.text.contains("Dentist with Dr Who"))

        let booked = await world.send(.command(name: "book", arguments: "Dinner tomorrow 19:00"), from: alice,
                                      in: theirDM, route: route)
        let card = try #require(booked.first { $0.key.hasPrefix("approval-card:") })
        guard case .send(let chat, let message) = card.delivery else { Issue.record("the card is not a send"); return }
        #expect(chat == ChatRef(platform: .slack, chatID: "U0ALICE", isPrivate: true))
        #expect(message.replyRoute == nil)
        #expect(!message.buttons.isEmpty)
        // What is posted into the chat where she asked goes through the route only.
        for delivery in booked where delivery.delivery.chat == theirDM {
            if case .send(_, let sent) = delivery.delivery { #expect(sent.replyRoute == route) }
        }
        let pending = try #require(await world.store.pending(of: 1).first)
        #expect(pending.cardChat == ChatRef(platform: .slack, chatID: "U0ALICE", isPrivate: true))
    }
}
