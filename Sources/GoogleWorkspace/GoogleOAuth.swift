import Foundation
import Logging
import StewardHTTP

/// Google's OAuth 2.0 authorization-code flow for a web server app, with PKCE and offline access.
///
/// Sans-I/O where it can be: `authorizationURL` is pure; `exchange` and `refresh` send one form POST
/// to `GOOGLE_TOKEN_URL`, through the shared pipeline (`RemoteCall`: retried on 429, 5xx and network
/// failures). The client secret and the tokens travel
/// only in request bodies; they never appear in a log line or in a thrown error.
public struct GoogleOAuth: Sendable {
    public let credentials: GoogleClientCredentials
    public let endpoints: GoogleEndpoints
    /// `{STEWARD_PUBLIC_URL}/oauth/google/callback`; must match the one registered with Google exactly.
    public let redirectURI: URL
    private let transport: any HTTPTransport
    private let remote: RemoteCall
    private let timeout: Duration
    private let now: @Sendable () -> Date
    private let logger: Logger

    public init(credentials: GoogleClientCredentials, redirectURI: URL, endpoints: GoogleEndpoints = .google,
                transport: any HTTPTransport, retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(500)),
                timeout: Duration = .seconds(20), now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "steward.google.oauth")) {
        self.credentials = credentials
        self.endpoints = endpoints
        self.redirectURI = redirectURI
        self.transport = transport
        self.remote = RemoteCall(policy: retryPolicy)
        self.timeout = timeout
        self.now = now
        self.logger = logger
    }

    /// The consent link: `access_type=offline` and `prompt=consent` so a refresh token always comes
    /// back, `include_granted_scopes=true` so scopes granted earlier (calendar) are kept when more
    /// (Gmail) are asked for, and the PKCE challenge. `loginHint` preselects the account (an address)
    /// when scopes are being added to one already connected.
    public func authorizationURL(scopes: [String], state: String, pkce: PKCE, loginHint: String? = nil) -> URL {
        var items = [
            URLQueryItem(name: "client_id", value: credentials.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI.absoluteString),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "scope", value: scopes.joined(separator: " ")),
            URLQueryItem(name: "access_type", value: "offline"),
            URLQueryItem(name: "prompt", value: "consent"),
            URLQueryItem(name: "include_granted_scopes", value: "true"),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: PKCE.method),
        ]
        if let loginHint { items.append(URLQueryItem(name: "login_hint", value: loginHint)) }
        var components = URLComponents(url: endpoints.authorizationURL, resolvingAgainstBaseURL: false)
            ?? URLComponents()
        let query = FormEncoding.encode(items.map { ($0.name, $0.value ?? "") })
        components.percentEncodedQuery = [components.percentEncodedQuery, query].compactMap { $0 }.joined(separator: "&")
        return components.url ?? endpoints.authorizationURL
    }

    /// Trades the callback's `code` for tokens. Throws `GoogleError.authorizationRejected` when Google
    /// refuses the code (already used, expired, wrong verifier) and `.invalidClient` when the client
    /// credentials are wrong.
    public func exchange(code: String, verifier: String) async throws -> GoogleTokens {
        let reply = try await post([
            ("code", code),
            ("client_id", credentials.clientID),
            ("client_secret", credentials.clientSecret),
            ("redirect_uri", redirectURI.absoluteString),
            ("grant_type", "authorization_code"),
            ("code_verifier", verifier),
        ], refreshing: false)
        guard let refreshToken = reply.refresh_token, !refreshToken.isEmpty else {
            throw GoogleError.make(.malformedResponse, status: 200, reason: "",
                                   message: "Google granted access without a refresh token, so the account could not stay connected; connect it again")
        }
        return GoogleTokens(accessToken: reply.access_token, refreshToken: refreshToken,
                            expiresAt: now().addingTimeInterval(TimeInterval(reply.expires_in ?? 3600)),
                            scopes: reply.scopes, email: reply.id_token.flatMap(GoogleIDToken.init)?.verifiedEmail)
    }

    /// A new access token for `tokens`. Throws `GoogleError.needsReconnect` when the refresh token
    /// was revoked or expired (`invalid_grant`).
    public func refresh(_ tokens: GoogleTokens) async throws -> GoogleTokens {
        let reply = try await post([
            ("client_id", credentials.clientID),
            ("client_secret", credentials.clientSecret),
            ("refresh_token", tokens.refreshToken),
            ("grant_type", "refresh_token"),
        ], refreshing: true)
        var refreshed = tokens
        refreshed.accessToken = reply.access_token
        refreshed.expiresAt = now().addingTimeInterval(TimeInterval(reply.expires_in ?? 3600))
        // Google normally keeps the refresh token; if it ever sends a new one, the new one wins.
        if let newRefreshToken = reply.refresh_token, !newRefreshToken.isEmpty { refreshed.refreshToken = newRefreshToken }
        if !reply.scopes.isEmpty { refreshed.scopes = reply.scopes }
        if let email = reply.id_token.flatMap(GoogleIDToken.init)?.verifiedEmail { refreshed.email = email }
        return refreshed
    }

    /// The token endpoint's success body.
    private struct TokenReply: Decodable {
        var access_token: String
        var expires_in: Int?
        var refresh_token: String?
        var scope: String?
        var token_type: String?
        var id_token: String?

        var scopes: [String] { (scope ?? "").split(separator: " ").map(String.init) }
    }

    private func post(_ fields: [(String, String)], refreshing: Bool) async throws -> TokenReply {
        let request = HTTPRequestSpec(method: "POST", url: endpoints.tokenURL, headers: [
            (name: "Content-Type", value: "application/x-www-form-urlencoded"),
            (name: "Accept", value: "application/json"),
        ], body: Data(FormEncoding.encode(fields).utf8), timeout: timeout)
        let grant = refreshing ? "refresh_token" : "authorization_code"
        return try await remote.run(classify: { ($0 as? GoogleError)?.remoteFailure() }) { _ in
            let response: HTTPResponseSpec
            do {
                response = try await transport.send(request)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Transport errors never carry the request body, where the secrets are.
                throw GoogleError.network(String(describing: error))
            }
            guard (200..<300).contains(response.status) else {
                let error = GoogleError.fromTokenEndpoint(status: response.status, body: response.body, refreshing: refreshing)
                logger.debug("google token request refused", metadata: ["grant": "\(grant)", "error": "\(error)"])
                throw error
            }
            do {
                return try JSONDecoder().decode(TokenReply.self, from: response.body)
            } catch {
                throw GoogleError.malformed(status: response.status, "the token endpoint's answer could not be read")
            }
        }
    }
}

/// `application/x-www-form-urlencoded`, with everything but RFC 3986 unreserved characters escaped
/// (so `+`, `/` and `=` in tokens survive).
enum FormEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
