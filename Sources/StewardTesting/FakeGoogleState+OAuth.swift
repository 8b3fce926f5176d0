import Crypto
import Foundation

/// An HTTP answer from the fake, before Hummingbird sees it.
struct FakeGoogleReply: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data = Data()

    static func json(_ value: FakeJSON, status: Int = 200, headers: [(String, String)] = []) -> FakeGoogleReply {
        FakeGoogleReply(status: status, headers: headers + [("Content-Type", "application/json; charset=UTF-8")], body: value.data)
    }

    static func html(_ text: String, status: Int) -> FakeGoogleReply {
        FakeGoogleReply(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(text.utf8))
    }
}

/// The OAuth 2.0 side, following "Using OAuth 2.0 for Web Server Applications": the consent page
/// (`GET /o/oauth2/v2/auth`, answered at once with a redirect as if the user agreed) and the token
/// endpoint (`POST /token`, form-encoded, `authorization_code` with PKCE and `refresh_token`).
extension FakeGoogleState {
    static let authorizationParameters: Set<String> = [
        "client_id", "redirect_uri", "response_type", "scope", "access_type", "prompt", "include_granted_scopes",
        "state", "code_challenge", "code_challenge_method", "login_hint", "nonce", "hd", "enable_granular_consent",
    ]
    static let knownScopes: Set<String> = [
        "openid", "email", "profile",
        "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile",
        "https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.readonly",
        "https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/calendar.events.readonly",
        "https://www.googleapis.com/auth/calendar.freebusy",
        "https://www.googleapis.com/auth/gmail.modify", "https://www.googleapis.com/auth/gmail.readonly",
        "https://www.googleapis.com/auth/gmail.send",
    ]

    /// What the consent page did with an authorization URL.
    public struct Consent: Sendable {
        /// Where the browser is sent: `redirect_uri?state=…&code=…&scope=…` (or `error=access_denied`).
        public var redirect: URL
        public var code: String?
        public var state: String?
        public var error: String?
    }

    /// Opens `url` as a browser would and consents as `email` (or the login hint / consenting account).
    /// Throws with Google's error text when the request is malformed (then nothing is granted).
    public func authorize(_ url: URL, as email: String? = nil) throws -> Consent {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let items = (components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }
        switch consent(query: items, as: email) {
        case .success(let consent): return consent
        case .failure(let error): throw error
        }
    }

    public struct AuthorizationError: Error, Sendable, CustomStringConvertible {
        public var error: String
        public var message: String
        public var description: String { "Error 400: \(error) – \(message)" }
    }

    func consent(query: [(String, String)], as requested: String? = nil) -> Result<Consent, AuthorizationError> {
        func refuse(_ error: String, _ message: String) -> Result<Consent, AuthorizationError> {
            record(FakeGoogleRequest(method: "oauth.authorize", httpMethod: "GET", path: "/o/oauth2/v2/auth", query: query,
                                     body: nil, form: [:], status: 400, account: nil, receivedAt: now))
            return .failure(AuthorizationError(error: error, message: message))
        }
        var fields: [String: String] = [:]
        for (name, value) in query {
            guard Self.authorizationParameters.contains(name) else { return refuse("invalid_request", "Unknown parameter: \(name)") }
            guard fields[name] == nil else { return refuse("invalid_request", "Parameter repeated: \(name)") }
            fields[name] = value
        }
        guard fields["client_id"] == clientID else { return refuse("invalid_client", "The OAuth client was not found.") }
        guard let redirect = fields["redirect_uri"], let redirectURL = URL(string: redirect),
              ["http", "https"].contains(redirectURL.scheme ?? ""),
              registeredRedirectURIs.isEmpty || registeredRedirectURIs.contains(redirect) else {
            return refuse("redirect_uri_mismatch", "The redirect URI in the request does not match the ones authorized for the OAuth client.")
        }
        guard fields["response_type"] == "code" else { return refuse("unsupported_response_type", "response_type must be code") }
        let scopes = (fields["scope"] ?? "").split(separator: " ").map(String.init)
        guard !scopes.isEmpty else { return refuse("invalid_request", "Missing required parameter: scope") }
        if let unknown = scopes.first(where: { !Self.knownScopes.contains($0) }) {
            return refuse("invalid_scope", "Some requested scopes were invalid: \(unknown)")
        }
        if let access = fields["access_type"], access != "online", access != "offline" {
            return refuse("invalid_request", "Invalid access_type: \(access)")
        }
        if let prompt = fields["prompt"], !prompt.split(separator: " ").allSatisfy({ ["none", "consent", "select_account"].contains($0) }) {
            return refuse("invalid_request", "Invalid prompt: \(prompt)")
        }
        if let include = fields["include_granted_scopes"], include != "true", include != "false" {
            return refuse("invalid_request", "Invalid include_granted_scopes: \(include)")
        }
        let method = fields["code_challenge_method"] ?? "plain"
        if let challenge = fields["code_challenge"] {
            guard method == "S256" || method == "plain" else { return refuse("invalid_request", "Invalid code_challenge_method: \(method)") }
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            guard (43...128).contains(challenge.count), challenge.allSatisfy(allowed.contains) else {
                return refuse("invalid_request", "Invalid code_challenge")
            }
        } else if fields["code_challenge_method"] != nil {
            return refuse("invalid_request", "code_challenge_method without code_challenge")
        }
        let email = requested ?? fields["login_hint"].flatMap { accounts[$0] != nil ? $0 : nil }
            ?? consentingAccount ?? accountOrder.first
        guard let email, var account = accounts[email] else { return refuse("access_denied", "No Google account to sign in with") }

        var redirectComponents = URLComponents(url: redirectURL, resolvingAgainstBaseURL: false)!
        var reply = redirectComponents.queryItems ?? []
        if let state = fields["state"] { reply.append(URLQueryItem(name: "state", value: state)) }
        if denyNextConsent {
            denyNextConsent = false
            reply.append(URLQueryItem(name: "error", value: "access_denied"))
            redirectComponents.queryItems = reply
            record(FakeGoogleRequest(method: "oauth.authorize", httpMethod: "GET", path: "/o/oauth2/v2/auth", query: query,
                                     body: nil, form: [:], status: 302, account: email, receivedAt: now))
            return .success(Consent(redirect: redirectComponents.url!, code: nil, state: fields["state"], error: "access_denied"))
        }
        var granted = scopes
        if fields["include_granted_scopes"] == "true" {
            granted += account.grantedScopes.filter { !granted.contains($0) }.sorted()
        }
        account.grantedScopes.formUnion(granted)
        accounts[email] = account
        let code = randomToken("4/0Afake", length: 40)
        authorizationCodes[code] = PendingCode(email: email, redirectURI: redirect, scopes: granted,
                                               challenge: fields["code_challenge"], challengeMethod: method,
                                               offline: fields["access_type"] == "offline", expiresAt: now.addingTimeInterval(600))
        reply.append(URLQueryItem(name: "code", value: code))
        reply.append(URLQueryItem(name: "scope", value: granted.joined(separator: " ")))
        redirectComponents.percentEncodedQuery = reply.map {
            "\(Self.formEscape($0.name))=\(Self.formEscape($0.value ?? ""))"
        }.joined(separator: "&")
        record(FakeGoogleRequest(method: "oauth.authorize", httpMethod: "GET", path: "/o/oauth2/v2/auth", query: query,
                                 body: nil, form: [:], status: 302, account: email, receivedAt: now))
        return .success(Consent(redirect: redirectComponents.url!, code: code, state: fields["state"], error: nil))
    }

    static func formEscape(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static let tokenFields: Set<String> = [
        "grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier", "refresh_token", "scope",
    ]

    /// `POST /token`.
    func token(form: [(String, String)], contentType: String, basicAuth: (String, String)?) -> FakeGoogleReply {
        var fields: [String: String] = [:]
        var problem: (Int, String, String)?
        if !contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            problem = (400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        }
        for (name, value) in form where problem == nil {
            if !Self.tokenFields.contains(name) { problem = (400, "invalid_request", "Unknown parameter: \(name)") }
            else if fields[name] != nil { problem = (400, "invalid_request", "Parameter repeated: \(name)") }
            else { fields[name] = value }
        }
        var reply: FakeGoogleReply
        var email: String?
        if let problem {
            reply = Self.oauthError(problem.0, problem.1, problem.2)
        } else if let status = tokenFaults.first {
            tokenFaults.removeFirst()
            reply = FakeGoogleReply(status: status, headers: [("Content-Type", "text/html")], body: Data("<html>Server Error</html>".utf8))
        } else {
            (reply, email) = grant(fields, basicAuth: basicAuth)
        }
        var redacted = fields
        for secret in ["client_secret", "code", "refresh_token", "code_verifier"] where redacted[secret] != nil {
            redacted[secret] = "<redacted>"
        }
        record(FakeGoogleRequest(method: "oauth.token", httpMethod: "POST", path: "/token", query: [], body: nil,
                                 form: redacted, status: reply.status, account: email, receivedAt: now))
        return reply
    }

    private func grant(_ fields: [String: String], basicAuth: (String, String)?) -> (FakeGoogleReply, String?) {
        let (id, secret) = basicAuth ?? (fields["client_id"] ?? "", fields["client_secret"] ?? "")
        guard id == clientID, secret == clientSecret else {
            return (Self.oauthError(401, "invalid_client", "Unauthorized"), nil)
        }
        switch fields["grant_type"] {
        case "authorization_code":
            guard let code = fields["code"], let pending = authorizationCodes.removeValue(forKey: code) else {
                return (Self.oauthError(400, "invalid_grant", "Malformed auth code."), nil)
            }
            guard pending.expiresAt > now else { return (Self.oauthError(400, "invalid_grant", "Bad Request"), nil) }
            guard fields["redirect_uri"] == pending.redirectURI else {
                return (Self.oauthError(400, "redirect_uri_mismatch", "Bad Request"), nil)
            }
            if let challenge = pending.challenge {
                guard let verifier = fields["code_verifier"] else {
                    return (Self.oauthError(400, "invalid_grant", "Missing code verifier."), nil)
                }
                let computed = pending.challengeMethod == "S256"
                    ? Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
                        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                        .replacingOccurrences(of: "=", with: "")
                    : verifier
                guard computed == challenge else { return (Self.oauthError(400, "invalid_grant", "Invalid code verifier."), nil) }
            } else if fields["code_verifier"] != nil {
                return (Self.oauthError(400, "invalid_grant", "code_verifier sent without a code_challenge"), nil)
            }
            var body = issueAccess(email: pending.email, scopes: pending.scopes)
            if pending.offline {
                let refresh = randomToken("1//0fake", length: 48)
                refreshTokens[refresh] = RefreshGrant(email: pending.email, scopes: pending.scopes)
                body["refresh_token"] = .string(refresh)
            }
            return (.json(.object(body)), pending.email)
        case "refresh_token":
            guard let token = fields["refresh_token"], let grant = refreshTokens[token], !grant.revoked else {
                return (Self.oauthError(400, "invalid_grant", "Token has been expired or revoked."), nil)
            }
            return (.json(.object(issueAccess(email: grant.email, scopes: grant.scopes))), grant.email)
        case let other?:
            return (Self.oauthError(400, "unsupported_grant_type", "Invalid grant_type: \(other)"), nil)
        case nil:
            return (Self.oauthError(400, "invalid_request", "Missing required parameter: grant_type"), nil)
        }
    }

    private func issueAccess(email: String, scopes: [String]) -> [String: FakeJSON] {
        let token = randomToken("ya29.fake-", length: 40)
        let expiresAt = now.addingTimeInterval(accessTokenLifetime)
        accessTokens[token] = AccessGrant(email: email, scopes: scopes, expiresAt: expiresAt)
        var body: [String: FakeJSON] = [
            "access_token": .string(token), "expires_in": .int(Int64(accessTokenLifetime)),
            "scope": .string(scopes.joined(separator: " ")), "token_type": "Bearer",
        ]
        if scopes.contains("openid") { body["id_token"] = .string(idToken(for: email, scopes: scopes)) }
        return body
    }

    /// A JWT shaped like Google's (RS256 header, Google's claims). Its signature is random bytes: the
    /// client reads it from the token endpoint directly and does not verify it.
    private func idToken(for email: String, scopes: [String]) -> String {
        func encode(_ json: FakeJSON) -> String {
            json.data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let issued = Int64(now.timeIntervalSince1970)
        var claims: [String: FakeJSON] = [
            "iss": "https://accounts.google.com", "azp": .string(clientID), "aud": .string(clientID),
            "sub": .string(accounts[email]?.subject ?? "0"), "iat": .int(issued), "exp": .int(issued + 3600),
        ]
        if scopes.contains("email") || scopes.contains("https://www.googleapis.com/auth/userinfo.email") {
            claims["email"] = .string(email)
            claims["email_verified"] = true
        }
        return encode(["alg": "RS256", "kid": "fake-google-key", "typ": "JWT"]) + "." + encode(.object(claims)) + "."
            + randomToken("", length: 86)
    }

    static func oauthError(_ status: Int, _ error: String, _ description: String) -> FakeGoogleReply {
        .json(["error": .string(error), "error_description": .string(description)], status: status)
    }

    /// The account and scopes behind a bearer token, or nil when it is unknown or expired.
    func accessGrant(_ token: String?) -> AccessGrant? {
        guard let token, let grant = accessTokens[token], grant.expiresAt > now else { return nil }
        return grant
    }
}
