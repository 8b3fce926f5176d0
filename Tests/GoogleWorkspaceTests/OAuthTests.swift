import Foundation
@testable import GoogleWorkspace
import StewardHTTP
import StewardTesting
import Testing

@Suite("Google OAuth")
struct OAuthTests {
    @Test("the consent link carries every parameter Google's web-server flow needs, and nothing else")
    func authorizationURLShape() throws {
        let oauth = GoogleOAuth(credentials: GoogleClientCredentials(clientID: "123.apps.googleusercontent.com", clientSecret: "s3cret"),
                                redirectURI: URL(string: "https://steward.example/oauth/google/callback")!,
                                endpoints: .google, transport: NoTransport())
        let pkce = try #require(PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        let url = oauth.authorizationURL(scopes: GoogleScope.calendarConnection, state: "st/ate+1", pkce: pkce)
        let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        #expect(components.scheme == "https")
        #expect(components.host == "accounts.google.com")
        #expect(components.path == "/o/oauth2/v2/auth")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items == [
            "client_id": "123.apps.googleusercontent.com",
            "redirect_uri": "https://steward.example/oauth/google/callback",
            "response_type": "code",
            "scope": "openid email https://www.googleapis.com/auth/calendar",
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
            "state": "st/ate+1",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
        ])
        // The secret never goes to the browser; `+` and `/` are escaped so the state survives intact.
        #expect(!url.absoluteString.contains("s3cret"))
        #expect(url.absoluteString.contains("state=st%2Fate%2B1"))
    }

    @Test("PKCE S256 matches RFC 7636 Appendix B")
    func pkceKnownVector() throws {
        // The 32 octets of Appendix B, their base64url verifier, and its challenge.
        let octets: [UInt8] = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77,
                               105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121]
        let pkce = PKCE(octets: octets)
        #expect(pkce.verifier == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        // Verifiers outside 43–128 unreserved characters are refused (§4.1).
        #expect(PKCE(verifier: "too-short") == nil)
        #expect(PKCE(verifier: String(repeating: "a", count: 42) + "!") == nil)
        let random = PKCE.random()
        #expect(random.verifier.count == 43)
        #expect(random != PKCE.random())
    }

    @Test("a signed state names its user, expires after 10 minutes, and cannot be forged")
    func signedState() throws {
        let signer = OAuthStateSigner(secret: Data(repeating: 7, count: 32))
        let issuedAt = Date(timeIntervalSince1970: 1_800_000_000)
        let state = signer.issue(userID: "42", purpose: "calendar", now: issuedAt)
        let verified = try signer.verify(state.value, now: issuedAt.addingTimeInterval(599))
        #expect(verified.userID == "42")
        #expect(verified.purpose == "calendar")
        #expect(throws: OAuthStateError.expired) { try signer.verify(state.value, now: issuedAt.addingTimeInterval(600)) }
        // Another user id with the old signature, or another installation's key: refused.
        let parts = state.value.split(separator: ".")
        let forgedBody = Data(#"{"u":"1","p":"calendar","e":1900000000,"n":"x"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
        #expect(throws: OAuthStateError.invalid) { try signer.verify(forgedBody + "." + parts[1], now: issuedAt) }
        #expect(throws: OAuthStateError.invalid) {
            try OAuthStateSigner(secret: Data(repeating: 8, count: 32)).verify(state.value, now: issuedAt)
        }
        #expect(throws: OAuthStateError.invalid) { try signer.verify("garbage", now: issuedAt) }
        // The verifier is the same at /connect and at the callback, and differs per state.
        #expect(signer.pkce(for: state) == signer.pkce(for: verified))
        #expect(signer.pkce(for: state) != signer.pkce(for: signer.issue(userID: "42", purpose: "calendar", now: issuedAt)))
    }

    @Test("the code exchange sends the documented form, verifies PKCE at the fake, and learns the address from the ID token")
    func codeExchange() async throws {
        try await GoogleHarness.run { google in
            let start = Date()
            let tokens = try await google.connect()
            #expect(tokens.email == GoogleHarness.owner)
            #expect(tokens.scopes.contains(GoogleScope.calendar))
            #expect(!tokens.refreshToken.isEmpty && !tokens.accessToken.isEmpty)
            #expect(tokens.expiresAt > start.addingTimeInterval(3500))
            let exchange = try #require(await google.state.requests("oauth.token").last)
            #expect(exchange.status == 200)
            #expect(Set(exchange.form.keys) == ["code", "client_id", "client_secret", "redirect_uri", "grant_type", "code_verifier"])
            #expect(exchange.form["grant_type"] == "authorization_code")
            #expect(exchange.form["redirect_uri"] == GoogleHarness.redirect.absoluteString)
            // The description of the tokens hides both tokens.
            #expect(!"\(tokens)".contains(tokens.accessToken) && !"\(tokens)".contains(tokens.refreshToken))
            #expect(!String(reflecting: tokens).contains(tokens.refreshToken))
        }
    }

    @Test("a wrong PKCE verifier or a reused code is refused as authorizationRejected")
    func codeRejected() async throws {
        try await GoogleHarness.run { google in
            let pkce = PKCE.random()
            let url = google.oauth().authorizationURL(scopes: GoogleScope.calendarConnection, state: "s", pkce: pkce)
            let code = try #require(try await google.state.authorize(url).code)
            await #expect(throws: GoogleError.authorizationRejected) {
                try await google.oauth().exchange(code: code, verifier: PKCE.random().verifier)
            }
            #expect(await google.state.grantedTokenRequests("authorization_code") == 0)

            let second = PKCE.random()
            let again = google.oauth().authorizationURL(scopes: GoogleScope.calendarConnection, state: "s2", pkce: second)
            let secondCode = try #require(try await google.state.authorize(again).code)
            _ = try await google.oauth().exchange(code: secondCode, verifier: second.verifier)
            await #expect(throws: GoogleError.authorizationRejected) {
                try await google.oauth().exchange(code: secondCode, verifier: second.verifier)
            }
            #expect(await google.state.grantedTokenRequests("authorization_code") == 1)
        }
    }

    @Test("connecting mail later on the same account keeps the calendar scope (incremental authorization)")
    func incrementalScopes() async throws {
        try await GoogleHarness.run { google in
            _ = try await google.connect()
            let pkce = PKCE.random()
            let url = google.oauth().authorizationURL(scopes: GoogleScope.mailConnection, state: "m", pkce: pkce,
                                                      loginHint: GoogleHarness.owner)
            #expect(URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "login_hint" }?.value
                == GoogleHarness.owner)
            let code = try #require(try await google.state.authorize(url).code)
            let tokens = try await google.oauth().exchange(code: code, verifier: pkce.verifier)
            #expect(tokens.grants(GoogleScope.gmailModify) && tokens.grants(GoogleScope.calendar))
        }
    }

    @Test("wrong client credentials are reported as a configuration problem")
    func invalidClient() async throws {
        try await GoogleHarness.run { google in
            let oauth = GoogleOAuth(credentials: GoogleClientCredentials(clientID: google.fake.clientID, clientSecret: "wrong"),
                                    redirectURI: GoogleHarness.redirect, endpoints: google.endpoints, transport: google.transport)
            let tokens = try await google.connect()
            let error = await #expect(throws: GoogleError.self) { try await oauth.refresh(tokens) }
            #expect(error == .invalidClient)
            #expect(error.map { "\($0)" }?.contains("GOOGLE_CLIENT_SECRET") == true)
            #expect(error.map { "\($0)" }?.contains("wrong") == false)
        }
    }

    @Test("a revoked refresh token is invalid_grant → needsReconnect, and the error names no token")
    func invalidGrant() async throws {
        try await GoogleHarness.run { google in
            let tokens = try await google.connect()
            await google.state.revokeRefreshTokens(of: GoogleHarness.owner)
            let error = await #expect(throws: GoogleError.self) { try await google.oauth().refresh(tokens) }
            #expect(error == .needsReconnect)
            #expect(error?.reason == "invalid_grant")
            #expect(error.map { "\($0)" }?.contains("/connect google") == true)
            #expect(error.map { "\($0)" }?.contains(tokens.refreshToken) == false)
        }
    }

    @Test("a token endpoint 5xx is retried; the refresh then succeeds and keeps the refresh token")
    func tokenEndpointServerError() async throws {
        try await GoogleHarness.run { google in
            let tokens = try await google.connect()
            await google.state.failNextTokenRequests(1, status: 503)
            let refreshed = try await google.oauth().refresh(tokens)
            #expect(refreshed.accessToken != tokens.accessToken)
            #expect(refreshed.refreshToken == tokens.refreshToken)
            #expect(refreshed.email == GoogleHarness.owner)
            #expect(await google.state.requests("oauth.token").map(\.status) == [200, 503, 200])
        }
    }

    @Test("Google's documented token endpoint refusals map to what the caller should do")
    func recordedTokenErrors() throws {
        let samples = try JSONDecoder().decode([String: RecordedError].self, from: googleFixture("token-errors.json"))
        let expected: [String: GoogleError] = [
            "invalid_grant_refresh": .needsReconnect, "invalid_grant_code": .authorizationRejected,
            "invalid_client": .invalidClient, "invalid_request": .badRequest,
        ]
        for (name, sample) in samples {
            let error = GoogleError.fromTokenEndpoint(status: sample.status, body: Data(sample.body.utf8), refreshing: name.hasSuffix("refresh"))
            #expect(error == expected[name], "\(name)")
        }
    }
}

struct RecordedError: Decodable {
    var status: Int
    var body: String
}

/// A transport for tests that must not touch the network.
struct NoTransport: HTTPTransport {
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        throw HTTPTransportError.connection("no network in this test")
    }
}
