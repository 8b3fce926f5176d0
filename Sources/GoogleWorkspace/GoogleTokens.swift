import Foundation

/// The credentials of one connected Google account. `Codable` so the app can serialize them and
/// encrypt the result at rest; every textual form (`description`, `debugDescription`, `dump`) hides
/// both tokens, so a stray log line never leaks them.
public struct GoogleTokens: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    public var accessToken: String
    /// Long-lived; Google sends it once, at the first exchange, and keeps it across refreshes.
    public var refreshToken: String
    /// When the access token stops working.
    public var expiresAt: Date
    /// The scopes granted so far (incremental authorization adds to them).
    public var scopes: [String]
    /// The account's address, from the ID token when `openid email` was granted.
    public var email: String?

    public init(accessToken: String, refreshToken: String, expiresAt: Date, scopes: [String], email: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scopes = scopes
        self.email = email
    }

    /// True when the access token has expired or will within `margin` seconds of `now`.
    public func isExpiring(within margin: TimeInterval, at now: Date) -> Bool {
        expiresAt.timeIntervalSince(now) <= margin
    }

    public func grants(_ scope: String) -> Bool { scopes.contains(scope) }

    public var description: String {
        "GoogleTokens(email: \(email ?? "unknown"), expiresAt: \(expiresAt), scopes: \(scopes.joined(separator: " ")), tokens: <redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["email": email as Any, "expiresAt": expiresAt, "scopes": scopes], displayStyle: .struct)
    }
}

/// The claims Steward reads from a Google ID token.
///
/// The token comes straight from the token endpoint over the connection Steward opened, so its
/// signature is not checked (OpenID Connect Core §3.1.3.7 allows TLS to stand in for it); it is only
/// used to learn which account was connected.
public struct GoogleIDToken: Sendable, Hashable {
    public var subject: String?
    public var email: String?
    public var emailVerified: Bool
    public var audience: String?

    /// Decodes the payload of a JWT (`header.payload.signature`); nil when it is not one.
    public init?(_ jwt: String) {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URLEncoded: String(parts[1])),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        subject = object["sub"] as? String
        email = object["email"] as? String
        // Google sends a boolean; some older tokens carried the string "true".
        emailVerified = (object["email_verified"] as? Bool) ?? ((object["email_verified"] as? String) == "true")
        audience = object["aud"] as? String
    }

    /// The address to name the account by, when Google says it is verified.
    public var verifiedEmail: String? { emailVerified ? email : nil }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5), as PKCE and JWTs use it.
    var base64URLEncodedString: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        self.init(base64Encoded: base64)
    }
}
