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
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(2))
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
