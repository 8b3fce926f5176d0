import Foundation
import Testing
@testable import StewardCore

/// Core decides from what a platform or account declares it can do, never from its name: the same
/// platform value behaves differently when it declares different capabilities, and an account kind that
/// Core has never heard of is connected with the words its registration gives.
@Suite struct CapabilityDecisionTests {
    static let owner = ChatIdentity(platform: .matrix, userID: "@owner:example.org")
    static let dm = ChatRef(platform: .matrix, chatID: "!dm:example.org", isPrivate: true)
    static let group = ChatRef(platform: .matrix, chatID: "!team:example.org", isPrivate: false)

    /// The owner on one platform declaring `capabilities`, with one calendar.
    struct World {
        let store = MemoryStore()
        let calendar: FakeCalendar
        let orchestrator: Orchestrator

        init(_ capabilities: ChannelCapabilities, canNotifyAttendees: Bool = true,
             kinds: AccountKinds = AccountKinds(), connector: (any AccountConnector)? = nil) {
            calendar = FakeCalendar(accountID: "cal:1", events: [], canNotifyAttendees: canNotifyAttendees)
            let account = Account(id: 1, userID: 1, kind: "cal", label: "Work", options: [:], createdAt: CoreWorld.now)
            orchestrator = Orchestrator(
                users: store, approvals: store, audit: store, calendars: FakeDirectory(entries: [(account, calendar)]),
                status: nil, access: AccessPolicy(owners: [CapabilityDecisionTests.owner], allowed: [],
                                                  defaultTimeZone: "Europe/Berlin"),
                digest: { data in String(UInt64(bitPattern: Int64(data.hashValue)), radix: 16) + "-\(data.count)" },
                now: { CoreWorld.now }, channels: PlatformKinds([.matrix: capabilities]), accountKinds: kinds,
                connector: connector)
        }

        func send(_ kind: InboundEvent.Kind, in chat: ChatRef = CapabilityDecisionTests.dm,
                  sourceMessageID: String? = nil) async -> [KeyedDelivery] {
            await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: CapabilityDecisionTests.owner,
                                                   chat: chat, kind: kind, receivedAt: CoreWorld.now,
                                                   sourceMessageID: sourceMessageID))
        }

        func command(_ name: String, _ arguments: String = "", in chat: ChatRef = CapabilityDecisionTests.dm)
            async -> [KeyedDelivery] {
            await send(.command(name: name, arguments: arguments), in: chat)
        }
    }

    static func isEdit(_ delivery: KeyedDelivery) -> Bool {
        if case .edit = delivery.delivery { return true }
        return false
    }

    @Test func aChannelThatCantEditGetsTheCardsOutcomeAsANewMessage() async throws {
        for editsMessages in [true, false] {
            let world = World(ChannelCapabilities(editsMessages: editsMessages))
            let card = await world.command("book", "Lunch tomorrow 12:30 for 1h")
            let token = try #require(card.approveToken)
            let tapped = await world.send(.action(token: token), sourceMessageID: "$card")
            #expect(await world.calendar.created.map(\.title) == ["Lunch"])
            #expect(tapped.contains(where: Self.isEdit) == editsMessages, "\(tapped)")
            // Either way the outcome reaches the chat once, with the card's buttons gone.
            let outcome = try #require(tapped.first { $0.delivery.chat == Self.dm && $0.delivery.message?.text.contains("Lunch") == true })
            #expect(outcome.delivery.message?.buttons.isEmpty == true)
        }
    }

    @Test func anAccountThatCantNotifyAttendeesOffersNoNotifyChoice() async throws {
        for canNotify in [true, false] {
            let world = World(.basic, canNotifyAttendees: canNotify)
            let card = await world.command("book", "Review tomorrow 15:00 with bob@x.com")
            let titles = card.messages.flatMap(\.buttons).map(\.title)
            #expect(titles.contains("Approve, don't notify") == canNotify, "\(titles)")
            #expect(titles.contains("Approve") && titles.contains("Reject"))
        }
    }

    @Test func aChannelThatCantOpenPrivateChatsAsksForOneInsteadOfWritingToAStranger() async throws {
        let closed = World(ChannelCapabilities(opensPrivateChats: false))
        let refused = await closed.command("today", in: Self.group)
        #expect(refused.map(\.delivery.chat) == [Self.group])
        #expect(refused.text.contains("haven't started one with me yet"), "\(refused.text)")

        let open = World(ChannelCapabilities(opensPrivateChats: true))
        let answered = await open.command("today", in: Self.group)
        let ownDM = ChatRef(platform: .matrix, chatID: Self.owner.userID, isPrivate: true)
        #expect(answered.map(\.delivery.chat) == [Self.group, ownDM])
        #expect(answered.text.contains("I've sent you the details in a private message."))
    }

    @Test func aTypedNumberAnswersACardOnlyWhereChoicesAreNumbered() async throws {
        for choices in [ChannelCapabilities.Choices.numbered, .buttons, .reactions] {
            let world = World(ChannelCapabilities(choices: choices))
            _ = await world.command("book", "Lunch tomorrow 12:30 for 1h")
            let answer = await world.send(.message("1"))
            let created = await world.calendar.created.map(\.title)
            #expect(created == (choices == .numbered ? ["Lunch"] : []), "\(choices)")
            if choices != .numbered { #expect(answer.text == "Tap a button on the card, or type approve or reject.") }
        }
    }

    @Test func aPrivateChatThatCantReceivePushesLaterIsNeverTheHomeChat() async throws {
        for keepsHomeChat in [true, false] {
            let world = World(ChannelCapabilities(keepsHomeChat: keepsHomeChat))
            _ = await world.command("start")
            let home = try await world.store.homeChat(of: 1)
            #expect((home?.chat == Self.dm) == keepsHomeChat)
        }
    }

    /// A provider Core has never heard of: its registration alone words the answers.
    @Test func anAccountKindIsConnectedWithTheWordsItsRegistrationGives() async throws {
        let kinds = AccountKinds([
            AccountKind(name: "fastmail", features: [.calendar, .mail], linkPurpose: "read your Fastmail calendar",
                        unavailable: "Fastmail isn't set up on this server."),
            AccountKind(name: "file", features: [.calendar], serverCommand: { "steward accounts add file --user \($0)" }),
        ])
        let unset = World(.basic, kinds: kinds)
        #expect(await unset.command("connect", "fastmail").text == "Fastmail isn't set up on this server.")
        #expect(await unset.command("connect", "file").text == "Connecting file from chat isn't "
            + "available in this version yet. For a calendar file or URL, run on the server: "
            + "steward accounts add file --user \(Self.owner)")
        #expect(await unset.command("connect", "carrier-pigeon").text
                == "I can't connect \"carrier-pigeon\"; use fastmail. Usage: /connect fastmail, e.g. /connect fastmail")

        let connector = LinkConnector(kinds: ["fastmail"])
        let set = World(.basic, kinds: kinds, connector: connector)
        let link = await set.command("connect", "fastmail").text
        #expect(link.hasPrefix("Open this link to let me read your Fastmail calendar. It works once"), "\(link)")
        #expect(link.hasSuffix("https://auth.example/fastmail"))
    }

    @Test func withoutARegisteredMailKindInboxSaysOnlyThatMailIsNotConnected() async throws {
        let bare = World(.basic)
        #expect(await bare.command("inbox").text == "Mail isn't connected yet.")
        let kinds = AccountKinds([AccountKind(name: "post", features: [.mail], linkPurpose: "read your mail", addsTo: "Work")])
        let registered = World(.basic, kinds: kinds)
        #expect(await registered.command("inbox").text == "Mail isn't connected yet: send /connect post to add it to your Work account.")
    }

    @Test func anUndeclaredPlatformIsTreatedAsTheLeastCapable() {
        let kinds = PlatformKinds([.slack: ChannelCapabilities(opensPrivateChats: true)])
        #expect(kinds[.telegram] == .basic)
        #expect(!kinds[.telegram].opensPrivateChats && kinds[.slack].opensPrivateChats)
        let edit = Delivery.edit(chat: Self.dm, messageID: "m1", message: OutboundMessage(text: "done"))
        #expect(PlatformKinds([.matrix: ChannelCapabilities(editsMessages: false)]).adapted(edit)
                == .send(chat: Self.dm, message: OutboundMessage(text: "done")))
        #expect(PlatformKinds().adapted(edit) == edit)
    }
}

/// A connector for the kinds it is given, with a fixed link.
struct LinkConnector: AccountConnector {
    let kinds: Set<String>
    func canConnect(_ kind: String) -> Bool { kinds.contains(kind) }
    func authorizationLink(for kind: String, user: User.ID, chat: ChatRef) async throws -> URL {
        URL(string: "https://auth.example/\(kind)")!
    }
}

extension Delivery {
    var message: OutboundMessage? {
        switch self {
        case .send(_, let message), .edit(_, _, let message): message
        case .answerAction: nil
        }
    }
}
