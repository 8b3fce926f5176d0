import Foundation
import ICalendar
import StewardApp
import StewardCore
import StewardStorage
import Testing

/// One calendar file per test, behind the same directory protocol the app uses.
struct FileCalendars: CalendarDirectory {
    let accounts: any AccountRepository
    let file: URL

    func calendars(of user: User.ID) async throws -> [(account: Account, provider: any CalendarProvider)] {
        try await accounts.accounts(of: user).map { account in
            (account, ICSFileProvider(accountID: account.reference, fileURL: file,
                                      defaultTimeZone: TimeZone(identifier: "Europe/Berlin")!))
        }
    }
}

struct World {
    let store: SQLiteStore
    let directory: URL
    let file: URL
    let clock: Date
    /// A var so a test can put in one built with other dependencies (`orchestrator(…)`), as a restart would.
    var orchestrator: Orchestrator

    static let owner = ChatIdentity(platform: .telegram, userID: "100")
    static let friend = ChatIdentity(platform: .telegram, userID: "200")
    static let stranger = ChatIdentity(platform: .telegram, userID: "666")
    static let ownerDM = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static let group = ChatRef(platform: .telegram, chatID: "-1001", isPrivate: false)

    init(now: Date = Date()) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-orch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        file = directory.appendingPathComponent("cal.ics")
        try ICalendarWriter.emptyCalendar().write(to: file, atomically: true, encoding: .utf8)
        clock = now
        orchestrator = Self.orchestrator(store: store, file: file, clock: now)
        for identity in [Self.owner, Self.friend] {
            let user = try await store.ensureUser(identity: identity, displayName: identity.userID,
                                                  role: identity == Self.owner ? .owner : .member,
                                                  defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
            _ = try await store.addAccount(userID: user.id, kind: "ics", label: "Home", options: ["file": file.path],
                                           secret: nil, at: now)
        }
        // The owner has opened a DM with the bot; the friend has not.
        try await store.setHomeChat(Self.ownerDM, of: 1)
    }

    /// This world's orchestrator with what one test adds, over its database (or `store`, the same file reopened).
    func orchestrator(store: SQLiteStore? = nil, connector: (any AccountConnector)? = nil,
                      freeTextPlanner: (any FreeTextPlanner)? = nil,
                      approvalLifetime: TimeInterval = 24 * 3600) -> Orchestrator {
        Self.orchestrator(store: store ?? self.store, file: file, clock: clock, connector: connector,
                          freeTextPlanner: freeTextPlanner, approvalLifetime: approvalLifetime)
    }

    private static func orchestrator(store: SQLiteStore, file: URL, clock: Date,
                                     connector: (any AccountConnector)? = nil,
                                     freeTextPlanner: (any FreeTextPlanner)? = nil,
                                     approvalLifetime: TimeInterval = 24 * 3600) -> Orchestrator {
        let access = AccessPolicy(owners: [Self.owner], allowed: [Self.friend], defaultTimeZone: "Europe/Berlin")
        return Orchestrator(users: store, approvals: store, audit: store,
                            calendars: FileCalendars(accounts: store, file: file), status: nil, access: access,
                            digest: { data in String(data.hashValue, radix: 16) + "\(data.count)" },
                            now: { clock }, accountKinds: .standard, connector: connector,
                            freeTextPlanner: freeTextPlanner, approvalLifetime: approvalLifetime, memory: store)
    }

    func event(_ kind: InboundEvent.Kind, from sender: ChatIdentity = owner, in chat: ChatRef = ownerDM,
               id: String = UUID().uuidString, message: String? = nil) -> InboundEvent {
        InboundEvent(id: id, sender: sender, chat: chat, kind: kind, receivedAt: Date(), sourceMessageID: message,
                     actionReceipt: message.map { "cb-\($0)" })
    }

    func count(_ text: String) throws -> Int {
        try String(contentsOf: file, encoding: .utf8).components(separatedBy: text).count - 1
    }
}

extension [KeyedDelivery] {
    var texts: [String] {
        map {
            switch $0.delivery {
            case .send(_, let message), .edit(_, _, let message): message.plainText
            case .answerAction(_, _, let text): text
            }
        }
    }
}

@Suite struct OrchestratorTests {
    @Test func anUnknownIdentityGetsOneRefusalInTotalAndNoData() async throws {
        let world = try await World()
        // The stranger writes from their own private chat; what goes to the owner (a pairing card) is not theirs.
        let strangerDM = ChatRef(platform: .telegram, chatID: "666", isPrivate: true)
        let first = await world.orchestrator.handle(world.event(.command(name: "today", arguments: ""),
                                                                from: World.stranger, in: strangerDM))
            .filter { $0.delivery.chat == strangerDM }
        #expect(first.count == 1)
        #expect(first.texts[0].contains("private assistant"))
        let again = await world.orchestrator.handle(world.event(.message("hello?"), from: World.stranger, in: strangerDM))
        #expect(again.isEmpty)
        let tap = await world.orchestrator.handle(world.event(.action(token: "s1:abc:a"), from: World.stranger,
                                                              message: "3"))
        #expect(tap.texts == ["Not available."])
    }

    @Test func aGroupAskGetsAPointerThereAndTheDetailsInTheDM() async throws {
        let world = try await World()
        let replies = await world.orchestrator.handle(world.event(.command(name: "tomorrow", arguments: ""),
                                                                  in: World.group))
        #expect(replies.map(\.delivery.chat) == [World.group, World.ownerDM])
        #expect(replies.texts[0].contains("private message"))
    }

    @Test func aGroupAskFromSomeoneWithoutADMGetsAHintAndNoDetails() async throws {
        let world = try await World()
        let replies = await world.orchestrator.handle(world.event(.command(name: "tomorrow", arguments: ""),
                                                                  from: World.friend, in: World.group))
        #expect(replies.map(\.delivery.chat) == [World.group])
        #expect(replies.texts[0].contains("/start"))
    }

    @Test func onlyTheRequesterCanApproveAndOnlyOnce() async throws {
        let world = try await World()
        let book = world.event(.command(name: "book", arguments: "Dentist tomorrow 15:00 for 45m"), in: World.group,
                               id: "telegram:update:1")
        let replies = await world.orchestrator.handle(book)
        let card = try #require(replies.first { $0.key.hasPrefix("approval-card:") })
        guard case .send(let chat, let message) = card.delivery else { Issue.record("card is not a send"); return }
        #expect(chat == World.ownerDM)
        #expect(message.buttons.map(\.title) == ["Approve", "Reject"])
        let approve = message.buttons[0].token
        #expect(approve.utf8.count <= 64)

        // The same update handled again (crash before it was marked processed) changes nothing.
        let replay = await world.orchestrator.handle(book)
        #expect(replay.map(\.key) == replies.map(\.key))
        #expect(try await world.store.pending(of: 1).count == 1)

        let stolen = await world.orchestrator.handle(world.event(.action(token: approve), from: World.friend,
                                                                 in: World.ownerDM, message: "55"))
        #expect(stolen.texts == ["Only the person who asked can decide this."])
        #expect(try world.count("SUMMARY:Dentist") == 0)

        let approved = await world.orchestrator.handle(world.event(.action(token: approve), message: "55"))
        #expect(try world.count("SUMMARY:Dentist") == 1)
        let edit = try #require(approved.first { if case .edit = $0.delivery { true } else { false } })
        if case .edit(_, let messageID, let outcome) = edit.delivery {
            #expect(messageID == "55")
            #expect(outcome.buttons.isEmpty)
            #expect(outcome.plainText.contains("Added"))
        }
        #expect(approved.contains { if case .answerAction = $0.delivery { true } else { false } })

        let second = await world.orchestrator.handle(world.event(.action(token: approve), message: "55"))
        #expect(second.texts.count == 1)
        #expect(second.texts[0].hasPrefix("Already done"))
        #expect(try world.count("SUMMARY:Dentist") == 1)
    }

    @Test func anExpiredRequestDoesNothing() async throws {
        var world = try await World()
        world.orchestrator = world.orchestrator(approvalLifetime: -1)
        let replies = await world.orchestrator.handle(world.event(.command(name: "book", arguments: "Gym tomorrow 18:00")))
        let card = try #require(replies.first { $0.key.hasPrefix("approval-card:") })
        guard case .send(_, let message) = card.delivery else { return }
        let tap = await world.orchestrator.handle(world.event(.action(token: message.buttons[0].token), message: "9"))
        #expect(tap.texts.contains { $0.contains("expired") })
        #expect(try world.count("SUMMARY:Gym") == 0)
    }

    @Test func aForgedOrMalformedTokenIsRefused() async throws {
        let world = try await World()
        let replies = await world.orchestrator.handle(world.event(.action(token: "s1:nope:a"), message: "1"))
        #expect(replies.texts == ["This button is no longer valid."])
        let junk = await world.orchestrator.handle(world.event(.action(token: "drop table"), message: "1"))
        #expect(junk.texts == ["This button is no longer valid."])
    }
}
