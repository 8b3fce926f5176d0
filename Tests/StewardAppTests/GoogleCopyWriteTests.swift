import Foundation
import GoogleWorkspace
import Logging
@testable import StewardApp
import StewardCore
import StewardHTTP
import StewardStorage
import StewardTesting
import Testing

/// Steward reads its own writes: right after it moves or cancels a Google event, answers from the local
/// copy show the change — also when a sync that asked Google before the write finishes after it, and after
/// a restart, before the next sync.
@Suite(.serialized) struct GoogleCopyWriteTests {
    static let email = "ana@example.com"
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// A fake Google with Ana's account, a store, and Steward's Google side connected to it.
    final class World: Sendable {
        let fake = FakeGoogleServer()
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let store: SQLiteStore
        let gate = SyncGate()
        let oauth: GoogleOAuth
        let apiURL: URL

        init() async throws {
            try await fake.start()
            await fake.state.addAccount(email: GoogleCopyWriteTests.email, timeZone: "Europe/Berlin")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-gcopy-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path,
                                    secrets: try SecretBox(keyData: Data(repeating: 7, count: 32)))
            apiURL = try await fake.apiURL
            oauth = GoogleOAuth(credentials: GoogleClientCredentials(clientID: fake.clientID, clientSecret: fake.clientSecret),
                                redirectURI: URL(string: "http://127.0.0.1:8080/oauth/google/callback")!,
                                endpoints: GoogleEndpoints(authorizationURL: try await fake.authorizationURL,
                                                           tokenURL: try await fake.tokenURL, apiURL: apiURL),
                                transport: transport)
        }

        /// Steward's Google side as one process run sees it (a new one is a restart).
        func calendars() -> GoogleCalendars {
            GoogleCalendars(oauth: oauth, apiURL: apiURL, transport: transport, accounts: store,
                            copies: GatedCopies(store: store, gate: gate), syncInterval: 60,
                            logger: Logger(label: "test"))
        }

        /// Connects Ana through the fake's consent flow; returns her account.
        func connect(_ google: GoogleCalendars) async throws -> Account {
            let user = try await store.ensureUser(identity: ChatIdentity(platform: .telegram, userID: "100"),
                                                  displayName: "Ana", role: .owner,
                                                  defaultSettings: UserSettings(timeZone: "Europe/Berlin"))
            let pkce = PKCE.random()
            let url = oauth.authorizationURL(scopes: GoogleScope.calendarConnection, state: "s-\(UUID().uuidString)", pkce: pkce)
            let consent = try await fake.state.authorize(url, as: GoogleCopyWriteTests.email)
            let tokens = try await oauth.exchange(code: try #require(consent.code), verifier: pkce.verifier)
            return try await google.connect(tokens, user: user.id).account
        }

        func tearDown() async {
            await fake.stop()
            try? await transport.shutdown()
        }
    }

    /// `hour:00` in Berlin, `days` from today.
    static func day(_ days: Int, _ hour: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        let start = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
        return calendar.date(bySettingHour: hour, minute: 0, second: 0, of: start)!
    }

    static func wholeDay(_ days: Int) -> DateInterval {
        DateInterval(start: day(days, 0), end: day(days + 1, 0))
    }

    static func titles(_ copy: GoogleCalendarCopy, on days: Int) async throws -> [String] {
        try await copy.events(in: wholeDay(days)).map(\.title)
    }

    @Test func aMoveShowsAtOnceEvenWhenASyncThatAskedGoogleBeforeItFinishesAfterIt() async throws {
        let world = try await World()
        defer { Task { await world.tearDown() } }
        let eventID = try await world.fake.state.addTimedEvent(calendarID: Self.email, summary: "Planning",
                                                               start: Self.day(2, 10), end: Self.day(2, 11),
                                                               timeZone: "Europe/Berlin", attendees: ["carol@example.com"])
        let google = world.calendars()
        let account = try await world.connect(google)
        await google.sync(account)
        let copy = GoogleCalendarCopy(account: account, google: google, zone: Self.berlin)
        #expect(try await Self.titles(copy, on: 2) == ["Planning"])

        // A scheduled sync gets Google's answer (the old time), then waits before storing it.
        await world.gate.arm()
        let sync = Task { await google.sync(account) }
        try await waitUntil { await world.gate.isHolding }
        let moved = try await copy.moveEvent(id: eventID, calendarID: Self.email, start: Self.day(1, 15), end: Self.day(1, 16),
                                             timeZone: "Europe/Berlin", notifyAttendees: false)
        #expect(moved.start.instant(in: Self.berlin) == Self.day(1, 15))
        await world.gate.release()
        await sync.value

        let tomorrow = try await copy.events(in: Self.wholeDay(1)).filter { $0.title == "Planning" }
        #expect(tomorrow.map { $0.start.instant(in: Self.berlin) } == [Self.day(1, 15)])
        #expect(try await Self.titles(copy, on: 2).isEmpty, "not on its old day any more")
        // The next sync (which sees the move at Google) agrees.
        await google.sync(account)
        #expect(try await Self.titles(copy, on: 1) == ["Planning"])
        #expect(try await Self.titles(copy, on: 2).isEmpty)
    }

    @Test func afterARestartAMoveAndACancelShowBeforeTheNextSync() async throws {
        let world = try await World()
        defer { Task { await world.tearDown() } }
        let planning = try await world.fake.state.addTimedEvent(calendarID: Self.email, summary: "Planning",
                                                                start: Self.day(2, 10), end: Self.day(2, 11),
                                                                timeZone: "Europe/Berlin")
        let standup = try await world.fake.state.addTimedEvent(calendarID: Self.email, summary: "Standup",
                                                               start: Self.day(3, 9), end: Self.day(3, 10),
                                                               timeZone: "Europe/Berlin")
        let before = world.calendars()
        let account = try await world.connect(before)
        await before.sync(account)

        // A new process: its first act is an approved change (say, one resumed after a crash).
        let google = world.calendars()
        let copy = GoogleCalendarCopy(account: account, google: google, zone: Self.berlin)
        _ = try await copy.moveEvent(id: planning, calendarID: Self.email, start: Self.day(1, 15), end: Self.day(1, 16),
                                     timeZone: "Europe/Berlin", notifyAttendees: false)
        try await copy.cancelEvent(id: standup, calendarID: Self.email, notifyAttendees: false)
        #expect(try await Self.titles(copy, on: 1) == ["Planning"])
        #expect(try await Self.titles(copy, on: 2).isEmpty)
        #expect(try await Self.titles(copy, on: 3).isEmpty)
        // And the stored copy (what the next restart reads) has the change too.
        let restarted = GoogleCalendarCopy(account: account, google: world.calendars(), zone: Self.berlin)
        #expect(try await Self.titles(restarted, on: 1) == ["Planning"])
        #expect(try await Self.titles(restarted, on: 3).isEmpty)
    }

    /// The whole path a user sees: a card made before a restart, approved after it, then `/tomorrow`.
    @Test func aMoveApprovedAfterARestartShowsInTheNextAnswer() async throws {
        let world = try await World()
        defer { Task { await world.tearDown() } }
        _ = try await world.fake.state.addTimedEvent(calendarID: Self.email, summary: "Planning", start: Self.day(2, 10),
                                                     end: Self.day(2, 11), timeZone: "Europe/Berlin")
        let before = world.calendars()
        let account = try await world.connect(before)
        await before.sync(account)
        let card = await world.orchestrator(before).handle(world.event(.command(name: "move",
                                                                                  arguments: "Planning to tomorrow 15:00")))
        let tokens = card.compactMap { delivery -> String? in
            guard case .send(_, let message) = delivery.delivery else { return nil }
            return message.buttons.first { $0.title == "Approve" }?.token
        }
        let approve = try #require(tokens.first, "no card: \(card.texts)")

        let after = world.orchestrator(world.calendars())
        let outcome = await after.handle(world.event(.action(token: approve)))
        #expect(outcome.texts.joined().contains("✓ Moved"), "\(outcome.texts)")
        let tomorrow = await after.handle(world.event(.command(name: "tomorrow", arguments: "")))
        #expect(tomorrow.texts.joined().contains("15:00–16:00 Planning"), "\(tomorrow.texts)")
        let dayAfter = await after.handle(world.event(.command(name: "agenda", arguments: GoogleCopyWriteTests.isoDay(2))))
        #expect(!dayAfter.texts.joined().contains("Planning"), "\(dayAfter.texts)")
    }

    static func isoDay(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = berlin
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: day(days, 12))
    }
}

extension GoogleCopyWriteTests.World {
    /// The orchestrator over Steward's real calendar directory, as `steward run` builds it.
    func orchestrator(_ google: GoogleCalendars) -> Orchestrator {
        let directory = AccountCalendarDirectory(accounts: store, users: store, http: NoFeeds(),
                                                 dataDirectory: FileManager.default.temporaryDirectory, google: google)
        return Orchestrator(users: store, approvals: store, audit: store, calendars: directory, status: nil,
                            access: AccessPolicy(owners: [Self.owner], allowed: [], defaultTimeZone: "Europe/Berlin"),
                            digest: { data in String(data.hashValue, radix: 16) + "\(data.count)" }, now: { Date() })
    }

    static let owner = ChatIdentity(platform: .telegram, userID: "100")

    func event(_ kind: InboundEvent.Kind) -> InboundEvent {
        InboundEvent(id: UUID().uuidString, sender: Self.owner,
                     chat: ChatRef(platform: .telegram, chatID: "100", isPrivate: true), kind: kind, receivedAt: Date(),
                     sourceMessageID: "1", actionReceipt: "cb")
    }
}

private struct NoFeeds: HTTPFetching {
    func get(_ url: URL, etag: String?) async throws -> (status: Int, etag: String?, body: Data) {
        throw CalendarError("offline")
    }
}

/// Holds the next sync between Google's answer and storing it, until released.
actor SyncGate {
    private var armed = false
    private var waiter: CheckedContinuation<Void, Never>?

    func arm() { armed = true }
    var isHolding: Bool { waiter != nil }

    func pass() async {
        guard armed else { return }
        armed = false
        await withCheckedContinuation { waiter = $0 }
    }

    func release() {
        waiter?.resume()
        waiter = nil
    }
}

/// The store's calendar copy, with a gate before each sync's write.
struct GatedCopies: CalendarCacheRepository {
    let store: SQLiteStore
    let gate: SyncGate

    func replaceEvents(_ events: [CalendarEvent], account: Int64, calendar: String, syncToken: String?,
                       at date: Date) async throws {
        await gate.pass()
        try await store.replaceEvents(events, account: account, calendar: calendar, syncToken: syncToken, at: date)
    }

    func applyChanges(_ changed: [CalendarEvent], removed: [String], account: Int64, calendar: String,
                      syncToken: String?, at date: Date) async throws {
        await gate.pass()
        try await store.applyChanges(changed, removed: removed, account: account, calendar: calendar,
                                     syncToken: syncToken, at: date)
    }

    func storeWrittenEvents(_ changed: [CalendarEvent], removed: [String], account: Int64,
                            calendar: String) async throws {
        try await store.storeWrittenEvents(changed, removed: removed, account: account, calendar: calendar)
    }

    func cachedEvents(account: Int64) async throws -> [CalendarEvent] { try await store.cachedEvents(account: account) }
    func syncStates(account: Int64) async throws -> [CalendarSyncState] { try await store.syncStates(account: account) }
    func recordSyncFailure(_ error: String, account: Int64, calendar: String) async throws {
        try await store.recordSyncFailure(error, account: account, calendar: calendar)
    }
    func forgetCalendars(account: Int64, except keep: Set<String>) async throws {
        try await store.forgetCalendars(account: account, except: keep)
    }
}
