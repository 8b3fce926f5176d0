import Foundation
import ICalendar
import StewardApp
import StewardCore
import StewardStorage
import StewardTesting
import Testing

/// One person across platforms (issue 16 item 1), through the orchestrator on a real SQLite file: Ana is
/// the owner on Telegram; her Slack account (U1) is let in by nothing but the link code she asks for.
struct LinkWorld {
    let directory: URL
    let file: URL
    let clock = Locked(Date())
    var store: SQLiteStore
    var orchestrator: Orchestrator

    static let ana = ChatIdentity(platform: .telegram, userID: "100")
    static let anaDM = ChatRef(platform: .telegram, chatID: "100", isPrivate: true)
    static let anaSlack = ChatIdentity(platform: .slack, userID: "U1")
    static let anaSlackDM = ChatRef(platform: .slack, chatID: "D1", isPrivate: true)
    static let ben = ChatIdentity(platform: .telegram, userID: "200")
    static let benDM = ChatRef(platform: .telegram, chatID: "200", isPrivate: true)
    static let group = ChatRef(platform: .telegram, chatID: "-1001", isPrivate: false)

    /// `owners`: the configured owners (Ana on Telegram unless a test says more).
    init(owners: Set<ChatIdentity> = [ana]) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Tomorrow's "Design review", shown to whoever has an account on it.
        file = try writeCalendar(in: directory)
        store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        orchestrator = Self.orchestrator(store: store, file: file, clock: clock, owners: owners)
    }

    static func orchestrator(store: SQLiteStore, file: URL, clock: Locked<Date>,
                             owners: Set<ChatIdentity>) -> Orchestrator {
        let access = AccessPolicy(owners: owners, allowed: [ben], defaultTimeZone: "Europe/Berlin")
        return Orchestrator(users: store, approvals: store, audit: store,
                            calendars: FileCalendars(accounts: store, file: file), status: nil, access: access,
                            digest: { data in String(data.hashValue, radix: 16) + "\(data.count)" },
                            now: { clock.withLock { $0 } }, accountKinds: .standard, memory: store)
    }

    /// The same database file opened again, as after a restart.
    mutating func restart(owners: Set<ChatIdentity> = [ana]) throws {
        store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path, secrets: nil)
        orchestrator = Self.orchestrator(store: store, file: file, clock: clock, owners: owners)
    }

    func advance(minutes: Double) { clock.withLock { $0 += minutes * 60 } }

    @discardableResult
    func say(_ text: String, from sender: ChatIdentity = ana, in chat: ChatRef? = nil) async -> [KeyedDelivery] {
        let chat = chat ?? Self.dm(of: sender)
        let kind: InboundEvent.Kind
        if text.hasPrefix("/") {
            let body = text.dropFirst()
            let name = body.prefix { $0 != " " }
            kind = .command(name: String(name), arguments: String(body.dropFirst(name.count)).trimmingCharacters(in: .whitespaces))
        } else {
            kind = .message(text)
        }
        return await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: sender, senderName: Self.name(of: sender),
                                                      chat: chat, kind: kind, receivedAt: Date()))
    }

    func tap(_ token: String, from sender: ChatIdentity) async -> [KeyedDelivery] {
        await orchestrator.handle(InboundEvent(id: UUID().uuidString, sender: sender, chat: Self.dm(of: sender),
                                               kind: .action(token: token), receivedAt: Date(), sourceMessageID: "7",
                                               actionReceipt: "cb-7"))
    }

    static func dm(of identity: ChatIdentity) -> ChatRef {
        switch identity {
        case anaSlack: anaSlackDM
        case ben: benDM
        default: ChatRef(platform: identity.platform, chatID: identity.platform == .slack ? "D-" + identity.userID
                         : identity.userID, isPrivate: true)
        }
    }

    static func name(of identity: ChatIdentity) -> String {
        [ana: "Ana", anaSlack: "Ana (Slack)", ben: "Ben"][identity] ?? identity.description
    }

    /// `/link` on `issuer`'s DM: the code in its answer.
    func code(from issuer: ChatIdentity = ana) async throws -> String {
        let text = await say("/link", from: issuer).texts.joined()
        return try #require(LinkHandlerProbe.code(in: text), "no code in: \(text)")
    }

    /// An .ics account (tomorrow's "Design review") for the person behind `identity`, as `steward accounts add` adds it.
    func addCalendar(for identity: ChatIdentity) async throws {
        let user = try await store.ensureUser(identity: identity, displayName: Self.name(of: identity),
                                              role: identity == Self.ana ? .owner : .member,
                                              defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
        _ = try await store.addAccount(userID: user.id, kind: "ics", label: "Work", options: ["file": file.path],
                                       secret: nil, at: Date())
    }
}

extension [KeyedDelivery] {
    var joined: String { texts.joined(separator: "\n") }
    func texts(to chat: ChatRef) -> [String] { filter { $0.delivery.chat == chat }.texts }
}
