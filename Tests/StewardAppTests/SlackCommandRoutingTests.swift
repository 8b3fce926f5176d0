import Foundation
import ICalendar
import SlackAdapter
import StewardCore
import StewardStorage
import Testing

/// Where the orchestrator sends the answers to a Slack slash command (an event with a reply route):
/// answers in place through the route, only seen by the asker; cards to the asker's DM, never in place.
@Suite struct SlackCommandRoutingTests {
    static let alice = ChatIdentity(platform: .slack, userID: "U0ALICE")
    static let general = ChatRef(platform: .slack, chatID: "C0GENERAL", isPrivate: false)
    static let route = "https://hooks.slack.com/commands/T0/1/abc"

    let store: SQLiteStore
    let orchestrator: Orchestrator

    init() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-slack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        let file = directory.appendingPathComponent("cal.ics")
        try ICalendarWriter.emptyCalendar().write(to: file, atomically: true, encoding: .utf8)
        orchestrator = Orchestrator(
            users: store, approvals: store, audit: store, calendars: FileCalendars(accounts: store, file: file), status: nil,
            access: AccessPolicy(owners: [Self.alice], allowed: [], defaultTimeZone: "Europe/Berlin"),
            digest: { data in String(data.hashValue, radix: 16) + "\(data.count)" }, now: { Date() },
            channels: PlatformKinds([.slack: SlackDeliveryChannel.capabilities]))
        let user = try await store.ensureUser(identity: Self.alice, displayName: "Alice", role: .owner,
                                              defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        _ = try await store.addAccount(userID: user.id, kind: "ics", label: "Home", options: ["file": file.path],
                                       secret: nil, at: Date())
    }

    func command(_ name: String, _ arguments: String, in chat: ChatRef = general, route: String? = route) -> InboundEvent {
        InboundEvent(id: "slack:command:\(UUID().uuidString)", sender: Self.alice, chat: chat,
                     kind: .command(name: name, arguments: arguments), receivedAt: Date(), replyRoute: route)
    }

    func messages(_ replies: [KeyedDelivery]) -> [(chat: ChatRef, message: OutboundMessage)] {
        replies.compactMap {
            if case .send(let chat, let message) = $0.delivery { return (chat, message) }
            return nil
        }
    }

    @Test func freeSlotsAskedInAChannelAreAnsweredInPlaceNotInTheChannel() async throws {
        // Alice never opened a DM with the bot: the answer still reaches her, privately, where she asked.
        let sent = messages(await orchestrator.handle(command("free", "30m tomorrow")))
        #expect(sent.count == 1)
        #expect(sent.first?.chat == Self.general)
        #expect(sent.first?.message.replyRoute == Self.route)
        #expect(sent.first?.message.title?.contains("Free for 30 min") == true)
    }

    @Test func aCardGoesToTheDMWithAPointerInPlace() async throws {
        let sent = messages(await orchestrator.handle(command("book", "Dentist tomorrow 15:00 for 45m")))
        #expect(sent.count == 2)
        #expect(sent.first?.chat == Self.general)
        #expect(sent.first?.message.replyRoute == Self.route)
        #expect(sent.first?.message.text.contains("private message") == true)
        // The card must stay editable: a real message in her DM (Slack opens it from the user id).
        let card = try #require(sent.last)
        #expect(card.chat == ChatRef(platform: .slack, chatID: "U0ALICE", isPrivate: true))
        #expect(card.message.buttons.count == 2)
        #expect(card.message.replyRoute == nil)
    }

    @Test func withoutARouteAChannelAnswerIsAnOrdinaryMessage() async throws {
        let sent = messages(await orchestrator.handle(command("help", "", route: nil)))
        #expect(sent.count == 1)
        #expect(sent.first?.chat == Self.general)
        #expect(sent.first?.message.replyRoute == nil)
    }
}
