import Foundation
@testable import GoogleWorkspace
import StewardCore
import StewardHTTP
import StewardTesting
import Testing

/// A running fake Google with a real HTTP transport pointed at it, torn down after `body`.
struct GoogleHarness: Sendable {
    static let owner = "ada@example.com"
    static let redirect = URL(string: "http://127.0.0.1:8080/oauth/google/callback")!

    let fake: FakeGoogleServer
    let transport: AsyncHTTPTransport
    let endpoints: GoogleEndpoints
    let sleeps: SleepRecorder

    var state: FakeGoogleState { fake.state }

    static func run<T: Sendable>(zone: String = "Europe/Berlin", _ body: (GoogleHarness) async throws -> T) async throws -> T {
        let fake = FakeGoogleServer()
        try await fake.start()
        await fake.state.addAccount(email: owner, timeZone: zone, calendarName: "Ada")
        let transport = AsyncHTTPTransport(connectTimeout: .seconds(30))
        let harness = GoogleHarness(
            fake: fake, transport: transport,
            endpoints: GoogleEndpoints(authorizationURL: try await fake.authorizationURL, tokenURL: try await fake.tokenURL,
                                       apiURL: try await fake.apiURL),
            sleeps: SleepRecorder())
        return try await withCleanup { try await body(harness) } cleanup: { await harness.tearDown() }
    }

    func tearDown() async {
        await fake.stop()
        try? await transport.shutdown()
    }

    func oauth(now: @escaping @Sendable () -> Date = { Date() }) -> GoogleOAuth {
        GoogleOAuth(credentials: GoogleClientCredentials(clientID: fake.clientID, clientSecret: fake.clientSecret),
                    redirectURI: Self.redirect, endpoints: endpoints, transport: transport,
                    retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)), now: now)
    }

    /// The whole consent flow, as the app will run it: link → consent at the fake → code → tokens.
    func connect(as email: String = GoogleHarness.owner, scopes: [String] = GoogleScope.calendarConnection) async throws -> GoogleTokens {
        let pkce = PKCE.random()
        let url = oauth().authorizationURL(scopes: scopes, state: "state-\(UUID().uuidString)", pkce: pkce)
        let consent = try await state.authorize(url, as: email)
        return try await oauth().exchange(code: try #require(consent.code), verifier: pkce.verifier)
    }

    /// A token provider over freshly connected tokens, counting what it persists.
    func tokenProvider(tokens: GoogleTokens, margin: TimeInterval = 60, persisted: Recorder<GoogleTokens> = Recorder(),
                       reconnects: Recorder<String> = Recorder()) -> GoogleTokenProvider {
        GoogleTokenProvider(tokens: tokens, oauth: oauth(), refreshMargin: margin,
                            persist: { await persisted.append($0) },
                            onNeedsReconnect: { await reconnects.append("\($0)") })
    }

    /// An API client with a fast retry policy whose waits are recorded instead of slept in full.
    func client(tokens: any GoogleAccessTokenSource, attempts: Int = 4) -> HTTPGoogleAPIClient {
        let sleeps = self.sleeps
        return HTTPGoogleAPIClient(baseURL: endpoints.apiURL, tokens: tokens, transport: transport,
                                   retryPolicy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(40), maxDelay: .seconds(1)),
                                   timeout: .seconds(30), sleep: { await sleeps.append($0); try await Task.sleep(for: $0) })
    }

    /// A provider for the owner's account, connected through the fake's OAuth flow.
    func provider(calendarIDs: [String]? = nil) async throws -> (GoogleCalendarProvider, GoogleTokenProvider) {
        let tokens = tokenProvider(tokens: try await connect())
        return (GoogleCalendarProvider(accountID: "google:1", client: client(tokens: tokens), calendarIDs: calendarIDs), tokens)
    }
}

/// Collects values from concurrent code.
actor Recorder<Value: Sendable> {
    private(set) var values: [Value] = []
    func append(_ value: Value) { values.append(value) }
    var count: Int { values.count }
}

typealias SleepRecorder = Recorder<Duration>

extension Date {
    /// `2026-03-29T09:00:00+02:00` → Date (test inputs are always valid).
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
}

func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

/// The path of a file under `Tests/Fixtures/google`.
func googleFixture(_ name: String) throws -> Data {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    return try Data(contentsOf: root.appendingPathComponent("Fixtures/google/\(name)"))
}
