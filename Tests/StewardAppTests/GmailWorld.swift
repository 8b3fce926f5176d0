import Foundation
import GoogleWorkspace
import Logging
import StewardCore
import StewardHTTP
import StewardStorage
import StewardTesting
import Testing
@testable import StewardApp
import StewardRuntime

/// A running fake Gmail and a database holding Ana's connected Google account with mail on, through the
/// fake's real consent flow; Steward's triage and reply sender point at it. Torn down after `body`.
struct GmailWorld: Sendable {
    static let email = "ana@example.com"
    static let owner = ChatIdentity(platform: .telegram, userID: "100")

    let fake: FakeGoogleServer
    let transport: AsyncHTTPTransport
    let store: SQLiteStore
    let directory: URL
    let google: GoogleCalendars
    let account: Account
    let user: User
    let apiURL: URL
    let accessToken: String
    /// The test clock's file (`STEWARD_TEST_CLOCK_FILE`): Steward's idea of now.
    let clockFile: URL

    var state: FakeGoogleState { fake.state }
    var clock: StewardClock { StewardClock(file: clockFile) }

    static func run(_ body: (GmailWorld) async throws -> Void) async throws {
        let fake = FakeGoogleServer()
        try await fake.start()
        await fake.state.addAccount(email: email, timeZone: "Europe/Berlin", calendarName: "Ana")
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-gmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let world = try await make(fake, transport, directory)
            try await world.setClock(Date())
            try await body(world)
        } catch {
            await tearDown(fake, transport, directory)
            throw error
        }
        await tearDown(fake, transport, directory)
    }

    private static func tearDown(_ fake: FakeGoogleServer, _ transport: AsyncHTTPTransport, _ directory: URL) async {
        await fake.stop()
        try? await transport.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func make(_ fake: FakeGoogleServer, _ transport: AsyncHTTPTransport, _ directory: URL) async throws -> GmailWorld {
        let store = try SQLiteStore(path: directory.appendingPathComponent("db.sqlite").path,
                                    secrets: try SecretBox(keyData: Data(repeating: 7, count: 32)))
        var settings = UserSettings(timeZone: "Europe/Berlin")
        settings.triageMinutes = 1
        settings.vips = ["boss@example.com"]
        let user = try await store.ensureUser(identity: owner, displayName: "Ana", role: .owner, defaultSettings: settings)
        try await store.setHomeChat(ChatRef(platform: .telegram, chatID: "100", isPrivate: true), of: user.id)
        let apiURL = try await fake.apiURL
        let endpoints = GoogleEndpoints(authorizationURL: try await fake.authorizationURL, tokenURL: try await fake.tokenURL,
                                        apiURL: apiURL)
        let oauth = GoogleOAuth(credentials: GoogleClientCredentials(clientID: fake.clientID, clientSecret: fake.clientSecret),
                                redirectURI: URL(string: "http://127.0.0.1:8080/oauth/google/callback")!,
                                endpoints: endpoints, transport: transport)
        let google = GoogleCalendars(oauth: oauth, apiURL: apiURL, transport: transport, accounts: store, copies: store,
                                     syncInterval: 300, logger: Logger(label: "test"))
        let pkce = PKCE.random()
        let link = oauth.authorizationURL(scopes: GoogleScope.mailConnection, state: "state-\(UUID().uuidString)", pkce: pkce)
        let consent = try await fake.state.authorize(link, as: email)
        let tokens = try await oauth.exchange(code: try #require(consent.code), verifier: pkce.verifier)
        let connected = try await google.connect(tokens, user: user.id).account
        try await google.enableMail(on: connected)
        let account = try #require(try await store.allAccounts().first { $0.id == connected.id })
        return GmailWorld(fake: fake, transport: transport, store: store, directory: directory, google: google,
                          account: account, user: user, apiURL: apiURL, accessToken: tokens.accessToken,
                          clockFile: directory.appendingPathComponent("clock"))
    }

    func setClock(_ date: Date) async throws {
        try ISO8601DateFormatter().string(from: date).write(to: clockFile, atomically: true, encoding: .utf8)
    }

    func advanceClock(by seconds: TimeInterval) async throws {
        try await setClock(clock.now().addingTimeInterval(seconds))
    }

    /// Triage over a Gmail client that tries each request once, so a test counts exactly what was sent.
    func triage() -> GmailTriage {
        let (apiURL, token, transport) = (apiURL, accessToken, transport)
        return GmailTriage(google: google, store: store, classifier: nil, delivered: {}, logger: Logger(label: "test"),
                           clock: clock, clients: { _ in
                               GmailClient(api: HTTPGoogleAPIClient(baseURL: apiURL, tokens: StaticAccessToken(token),
                                                                    transport: transport,
                                                                    retryPolicy: RetryPolicy(maxAttempts: 1)))
                           })
    }

    /// Delivers a plain-text mail to Ana; returns its Gmail id.
    @discardableResult
    func deliver(from: String, subject: String, body: String = "Hello.", contentType: String = "text/plain; charset=UTF-8",
                 extraBody: Data = Data()) async throws -> String {
        let head = """
            From: \(from)\r
            To: Ana <ana@example.com>\r
            Subject: \(subject)\r
            Date: \(Date().formatted(.iso8601))\r
            Message-ID: <\(UUID().uuidString)@mail.example.com>\r
            MIME-Version: 1.0\r
            Content-Type: \(contentType)\r
            \r
            \(body)\r

            """
        return try await state.addMail(to: Self.email, raw: Data(head.utf8) + extraBody)
    }

    /// The urgent-mail alerts queued for Ana's chat, by the mail's Gmail id.
    func alertQueued(for messageID: String) async throws -> Bool {
        try await store.item(key: "mail-alert:\(account.id):\(messageID)") != nil
    }

    /// The `messages.get` requests for one message, by format.
    func fetches(of messageID: String, format: String? = nil) async -> Int {
        await state.requests("gmail.users.messages.get").filter {
            $0.path.hasSuffix("/messages/\(messageID)") && (format == nil || $0.query("format") == format)
        }.count
    }
}
