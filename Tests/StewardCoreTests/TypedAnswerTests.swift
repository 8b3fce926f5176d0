import Foundation
import Testing
@testable import StewardCore

/// A bare number or "yes" answers a card only while one of the user's cards is waiting (pending and
/// unexpired); otherwise it says so, and nothing old is decided or run.
@Suite struct TypedAnswerTests {
    static let nothing = "Nothing is waiting for your answer."
    static let tester = ChatIdentity(platform: .console, userID: "tester")
    static let terminal = ChatRef(platform: .console, chatID: "tester", isPrivate: true)
    /// What a terminal declares: numbered choices, printed lines that stay, never a home chat.
    static let terminalCapabilities = ChannelCapabilities(editsMessages: false, choices: .numbered, keepsHomeChat: false)

    /// The owner on the console (where a card's choices are numbered), with one writable calendar.
    struct Console {
        let store = MemoryStore()
        let calendar = FakeCalendar(accountID: "google:1", events: [])
        let orchestrator: Orchestrator

        init(approvalLifetime: TimeInterval = 24 * 3600) {
            let account = Account(id: 1, userID: 1, kind: "google", label: "Work", options: [:], createdAt: CoreWorld.now)
            orchestrator = Orchestrator(
                users: store, approvals: store, audit: store, calendars: FakeDirectory(entries: [(account, calendar)]),
                status: nil, access: AccessPolicy(owners: [TypedAnswerTests.tester], allowed: [],
                                                  defaultTimeZone: "Europe/Berlin"),
                digest: { data in String(UInt64(bitPattern: Int64(data.hashValue)), radix: 16) + "-\(data.count)" },
                now: { CoreWorld.now }, channels: PlatformKinds([.console: TypedAnswerTests.terminalCapabilities]),
                approvalLifetime: approvalLifetime)
        }

        func type(_ line: String) async -> String {
            let kind: InboundEvent.Kind = line.hasPrefix("/")
                ? .command(name: String(line.dropFirst().prefix { $0 != " " }),
                           arguments: String(line.drop { $0 != " " }.dropFirst()))
                : .message(line)
            return await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: TypedAnswerTests.tester,
                                                          chat: TypedAnswerTests.terminal, kind: kind,
                                                          receivedAt: CoreWorld.now)).text
        }
    }

    @Test func aNumberOrYesWithNoCardEverSaysNothingIsWaiting() async throws {
        let console = Console()
        for line in ["2", "1", "yes", "approve", "Yes!"] {
            #expect(await console.type(line) == Self.nothing, "\(line)")
        }
        #expect(await console.calendar.created.isEmpty)
    }

    @Test func aStrayNumberAfterTheCardWasDecidedSaysNothingIsWaitingNotAlreadyDone() async throws {
        let console = Console()
        let card = await console.type("/book Gym tomorrow 18:00")
        #expect(card.contains("Gym"))
        #expect(await console.type("1").contains("Added"))
        #expect(await console.type("2") == Self.nothing)
        #expect(await console.type("yes") == Self.nothing)
        #expect(await console.type("approve") == Self.nothing)
        #expect(await console.calendar.created.count == 1)
    }

    @Test func aNumberPicksThatChoiceOfTheWaitingCard() async throws {
        let console = Console()
        _ = await console.type("/book Gym tomorrow 18:00")
        #expect(await console.type("3") == "That card's choices are 1 to 2.")
        #expect(await console.type("2").contains("Rejected"))
        #expect(await console.type("1") == Self.nothing)
        #expect(await console.calendar.created.isEmpty)
    }

    @Test func yesApprovesTheWaitingCardOnce() async throws {
        let console = Console()
        _ = await console.type("/book Gym tomorrow 18:00")
        #expect(await console.type("yes").contains("Added"))
        #expect(await console.type("yes") == Self.nothing)
        #expect(await console.calendar.created.count == 1)
    }

    @Test func anExpiredCardIsNotWaiting() async throws {
        let console = Console(approvalLifetime: -1)
        _ = await console.type("/book Gym tomorrow 18:00")
        for line in ["1", "yes", "approve"] {
            #expect(await console.type(line) == Self.nothing, "\(line)")
        }
        #expect(await console.type("/approvals") == "Nothing is waiting for your approval.")
        #expect(await console.calendar.created.isEmpty)
    }

    @Test func anotherMembersCardIsNotWaitingForYou() async throws {
        let world = TwoMemberGroup()
        await world.startDMs()
        _ = await world.send(.command(name: "book", arguments: "Lunch tomorrow 12:00"), from: TwoMemberGroup.alice,
                             in: TwoMemberGroup.aliceDM)
        for line in ["yes", "approve", "2"] {
            let answer = await world.send(.message(line), from: TwoMemberGroup.bob, in: TwoMemberGroup.bobDM)
            #expect(answer.text == Self.nothing, "\(line)")
        }
        #expect(await world.calendar.created.isEmpty)
        #expect(try await world.store.pending(of: 1).count == 1)
    }

    @Test func onAChatWithButtonsANumberPointsToTheButtonsAndDecidesNothing() async throws {
        let world = CoreWorld([(label: "Work", kind: "google", provider: FakeCalendar(accountID: "google:1", events: []))])
        _ = await world.send(.command(name: "book", arguments: "Lunch tomorrow 12:00"))
        #expect(await world.say("1").text == "Tap a button on the card, or type approve or reject.")
        #expect(try await world.store.pending(of: 1).count == 1)
    }
}
